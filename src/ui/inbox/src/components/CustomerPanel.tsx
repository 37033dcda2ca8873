import { useEffect, useState } from 'react';
import { api } from '../api';
import { useI18n, useNow, useSession } from '../context';
import { formatAgo, formatDateTime } from '../i18n';
import { ChannelIcon, CloseIcon } from '../icons';
import { hrefOf } from '../router';
import type { Conversation } from '../types';
import { errorText, sortConversations } from '../util';
import { Avatar, Spinner, StatusBadge } from './common';
import { TransferDetails } from './TransferDetails';
import { MergeSuggestions } from './MergeSuggestions';
import { CustomerRecordsActions } from './CustomerRecordsActions';
import { TranscriptSender } from './TranscriptSender';

export function CustomerPanel({ conversation, onClose }: { conversation: Conversation; onClose: () => void }) {
  const { t, lang } = useI18n();
  const { channels, live } = useSession();
  const now = useNow(60_000);
  const contact = conversation.contact;
  const [others, setOthers] = useState<Conversation[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let cancelled = false;
    setOthers(null);
    setError(null);
    api
      .listConversations({ contact: contact.id }, null, 20)
      .then((page) => !cancelled && setOthers(page.items))
      .catch((caught: unknown) => !cancelled && setError(caught));
    return () => {
      cancelled = true;
    };
  }, [contact.id]);

  // Keep the list current: a new or changed conversation of this customer.
  useEffect(
    () =>
      live.subscribe((event) => {
        if (event.type !== 'conversation.created' && event.type !== 'conversation.updated') return;
        const changed = event.data;
        if (changed.contact.id !== contact.id) return;
        setOthers((list) => (list ? sortConversations([...list.filter((c) => c.id !== changed.id), changed]) : list));
      }),
    [live, contact.id],
  );

  const channelOf = (id: string) => channels.find((c) => c.id === id);
  const otherList = (others ?? []).filter((c) => c.id !== conversation.id);

  return (
    <aside className="customer-panel" data-testid="customer-panel" aria-label={t('customer.panel')}>
      <div className="panel-head">
        <h2>{t('customer.title')}</h2>
        <button type="button" className="icon-button small" onClick={onClose} aria-label={t('view.hidePanel')}>
          <CloseIcon size={14} />
        </button>
      </div>
      <div className="customer-card">
        <Avatar name={contact.name} seed={contact.id} size={56} />
        <div className="customer-name">{contact.name}</div>
        {contact.email ? (
          <a className="customer-email" href={`mailto:${contact.email}`} title={contact.email}>
            {contact.email}
          </a>
        ) : null}
        <a className="customer-page-link small" href={hrefOf({ page: 'customers', contactId: contact.id })} title={t('customer.openPageTitle')} data-testid="customer-page-link">
          {t('customer.openPage')}
        </a>
      </div>

      <section className="panel-section">
        <h3>{t('customer.identities')}</h3>
        {contact.identities.length === 0 ? (
          <p className="muted small">{t('customer.noIdentities')}</p>
        ) : (
          <ul className="identities">
            {contact.identities.map((identity) => {
              const channel = channelOf(identity.channelId);
              const kind = channel?.kind ?? (identity.channelId === conversation.channelId ? conversation.channelKind : 'webchat');
              const primary = identity.handle || identity.externalId;
              return (
                <li key={`${identity.channelId}:${identity.externalId}`} className="identity" data-testid="customer-identity" data-channel={identity.channelId}>
                  <ChannelIcon kind={kind} size={16} title={t(`kind.${kind}`)} />
                  <div className="identity-text">
                    <span className="identity-channel">{channel?.name ?? t('customer.unknownChannel', { id: identity.channelId })}</span>
                    <span className="identity-value" title={identity.externalId}>
                      {primary}
                    </span>
                    {identity.handle && identity.handle !== identity.externalId ? (
                      <span className="identity-sub" title={identity.externalId}>
                        {identity.externalId}
                      </span>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </section>

      <MergeSuggestions conversation={conversation} />

      <TransferDetails conversationId={conversation.id} />

      <TranscriptSender conversation={conversation} />
      <CustomerRecordsActions contactId={contact.id} contactName={contact.name} />

      <section className="panel-section">
        <h3>{t('customer.other')}</h3>
        {others === null && !error ? (
          <Spinner size={14} label={t('common.loading')} />
        ) : error ? (
          <p className="muted small">{errorText(error, t)}</p>
        ) : otherList.length === 0 ? (
          <p className="muted small">{t('customer.noOther')}</p>
        ) : (
          <ul className="other-conversations">
            {otherList.map((other) => (
              <li key={other.id}>
                <a href={hrefOf({ page: 'inbox', conversationId: other.id })} className="other-conversation" data-testid="customer-other-conversation" data-id={other.id}>
                  <span className="other-top">
                    <ChannelIcon kind={other.channelKind} size={13} />
                    <StatusBadge status={other.status} />
                    <time className="muted small" dateTime={other.lastMessageAt} title={formatDateTime(other.lastMessageAt, lang)}>
                      {formatAgo(other.lastMessageAt, now, t)}
                    </time>
                  </span>
                  <span className="other-preview">{other.lastMessagePreview || other.subject || t('list.noPreview')}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel-section">
        <h3>{t('customer.details')}</h3>
        <dl className="details">
          <div>
            <dt>{t('customer.created')}</dt>
            <dd>{formatDateTime(conversation.createdAt, lang)}</dd>
          </div>
          <div>
            <dt>{t('customer.firstResponse')}</dt>
            <dd>{conversation.firstResponseAt ? formatDateTime(conversation.firstResponseAt, lang) : t('common.none')}</dd>
          </div>
          <div>
            <dt>{t('customer.lastCustomerMessage')}</dt>
            <dd>{conversation.lastInboundAt ? formatAgo(conversation.lastInboundAt, now, t) : t('common.none')}</dd>
          </div>
          <div>
            <dt>{t('customer.id')}</dt>
            <dd className="mono" title={conversation.id}>
              {conversation.id}
            </dd>
          </div>
        </dl>
      </section>
    </aside>
  );
}
