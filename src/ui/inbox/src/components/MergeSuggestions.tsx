import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api';
import { useI18n, useToast } from '../context';
import { formatDateTime } from '../i18n';
import type { Conversation, MergeSuggestionList } from '../types';
import { errorText } from '../util';
import { Dialog, Spinner } from './common';

type Suggestion = MergeSuggestionList['items'][number];

/**
 * The customer panel's identity section (issue 17): the app's user id when the customer linked
 * one, contacts that may be the same person (shown, never merged by themselves) with a Merge
 * that asks for a reason, and the merges into this customer with their Undo.
 */
export function MergeSuggestions({ conversation }: { conversation: Conversation }) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const contact = conversation.contact;
  const [data, setData] = useState<MergeSuggestionList | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [merging, setMerging] = useState<Suggestion | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    api
      .mergeSuggestions(contact.id, controller.signal)
      .then(setData)
      .catch((caught: unknown) => !controller.signal.aborted && setError(caught));
    return () => controller.abort();
  }, [contact.id, reload]);

  const undo = async (mergeId: string) => {
    try {
      await api.undoMerge(mergeId);
      toast('success', t('identity.undone'));
      setReload((n) => n + 1);
    } catch (caught) {
      toast('error', errorText(caught, t));
    }
  };

  return (
    <section className="panel-section" data-testid="customer-identity-links">
      <dl className="details">
        <div>
          <dt>{t('identity.userId')}</dt>
          <dd className="mono" data-testid="customer-user-id">
            {contact.userId ?? <span className="muted">{t('identity.notLinked')}</span>}
          </dd>
        </div>
      </dl>
      {error ? <p className="muted small">{errorText(error, t)}</p> : data === null ? <Spinner size={14} label={t('common.loading')} /> : null}
      {data && data.items.length > 0 ? (
        <>
          <h3>{t('identity.suggestions')}</h3>
          <ul className="merge-suggestions">
            {data.items.map((s) => (
              <li key={s.contact.id} className="merge-suggestion" data-testid="merge-suggestion" data-id={s.contact.id}>
                <span className="merge-who">
                  <span>{s.contact.name}</span>
                  <span className="muted small">{s.reasons.map((r) => t(`identity.reason.${r}`)).join(' · ')}</span>
                </span>
                <button type="button" className="button small" onClick={() => setMerging(s)}>
                  {t('identity.merge')}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {data && data.merges.length > 0 ? (
        <>
          <h3>{t('identity.mergedRecords')}</h3>
          <ul className="merge-suggestions">
            {data.merges.map((m) => (
              <li key={m.id} className="merge-suggestion" data-testid="contact-merge" data-id={m.id}>
                <span className="merge-who">
                  <span>{t('identity.merged', { other: m.mergedName ?? m.mergedContactId })}</span>
                  <span className="muted small">
                    {m.by} · {formatDateTime(m.at, lang)}
                  </span>
                </span>
                <button type="button" className="button small" onClick={() => void undo(m.id)}>
                  {t('identity.undo')}
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {merging ? (
        <MergeDialog
          keptName={contact.name}
          other={merging}
          onClose={() => setMerging(null)}
          onMerge={async (reason) => {
            await api.mergeContact(contact.id, merging.contact.id, reason);
            toast('success', t('identity.merged', { other: merging.contact.name }));
            setMerging(null);
            setReload((n) => n + 1);
          }}
        />
      ) : null}
    </section>
  );
}

function MergeDialog({ keptName, other, onClose, onMerge }: { keptName: string; other: Suggestion; onClose: () => void; onMerge: (reason: string) => Promise<void> }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onMerge(reason.trim());
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('identity.mergeTitle', { other: other.contact.name, name: keptName })} onClose={onClose} testId="merge-dialog">
      <form onSubmit={(e) => void submit(e)} className="merge-form">
        <p>{t('identity.mergeBody', { name: keptName })}</p>
        <label>
          {t('identity.mergeReason')}
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('identity.mergeReasonHint')} required maxLength={500} rows={3} data-testid="merge-reason" />
        </label>
        {error ? <p className="form-error">{errorText(error, t)}</p> : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('identity.cancel')}
          </button>
          <button type="submit" className="button primary" disabled={busy || reason.trim() === ''} data-testid="merge-confirm">
            {t('identity.confirmMerge')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The Undo on a merge's system line in the conversation. */
export function MergeUndo({ mergeId }: { mergeId: string }) {
  const { t } = useI18n();
  const toast = useToast();
  const [done, setDone] = useState(false);
  if (done) return null;
  return (
    <button
      type="button"
      className="link-button small"
      data-testid="merge-undo"
      onClick={() =>
        void api.undoMerge(mergeId).then(
          () => {
            setDone(true);
            toast('success', t('identity.undone'));
          },
          (caught: unknown) => toast('error', errorText(caught, t)),
        )
      }
    >
      {t('identity.undo')}
    </button>
  );
}
