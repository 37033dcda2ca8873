import { useEffect, useState } from 'react';
import { api } from '../api';
import type { TransferDetail } from '../types';
import { useI18n, useSession, useToast } from '../context';
import { errorText } from '../util';
import { Spinner } from './common';

/**
 * Transaction hashes, addresses and amounts the customer gave (wallet safety, DESIGN §10): copy
 * with one click, open in the chain's explorer. Refreshed when the conversation gets a message.
 */
export function TransferDetails({ conversationId }: { conversationId: string }) {
  const { t } = useI18n();
  const { live } = useSession();
  const toast = useToast();
  const [items, setItems] = useState<TransferDetail[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setError(null);
    api
      .transferDetails(conversationId)
      .then((r) => !cancelled && setItems(r.items))
      .catch((caught: unknown) => !cancelled && setError(caught));
    return () => {
      cancelled = true;
    };
  }, [conversationId, version]);

  useEffect(
    () =>
      live.subscribe((event) => {
        if ((event.type === 'message.created' || event.type === 'message.updated') && event.data.conversationId === conversationId && event.data.author.type === 'contact') setVersion((v) => v + 1);
      }),
    [live, conversationId],
  );

  const copy = (value: string): void => {
    void navigator.clipboard?.writeText(value).then(
      () => toast('success', t('transfer.copied')),
      () => toast('error', t('transfer.copyFailed')),
    );
  };

  return (
    <section className="panel-section" data-testid="transfer-details">
      <h3>{t('transfer.title')}</h3>
      {items === null && !error ? (
        <Spinner size={14} label={t('common.loading')} />
      ) : error ? (
        <p className="muted small">{errorText(error, t)}</p>
      ) : items!.length === 0 ? (
        <p className="muted small">{t('transfer.none')}</p>
      ) : (
        <ul className="transfer-details">
          {items!.map((item) => (
            <li key={item.value} className="transfer-detail" data-testid="transfer-detail" data-kind={item.kind}>
              <span className="transfer-kind">{t(`transfer.${item.kind}`)}</span>
              <code className="transfer-value" title={item.value}>
                {item.value}
              </code>
              <span className="transfer-actions">
                <button type="button" className="link-button small" onClick={() => copy(item.value)} data-testid="transfer-copy">
                  {t('transfer.copy')}
                </button>
                {item.links.map((link) => (
                  <a key={link.url} className="small" href={link.url} target="_blank" rel="noopener noreferrer" data-testid="transfer-explorer">
                    {t(`chain.${link.chain}`)}
                  </a>
                ))}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
