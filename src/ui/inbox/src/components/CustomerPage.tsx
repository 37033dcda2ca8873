import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { useI18n, useNow, useSession, useToast } from '../context';
import { channelName, kindOfChannel, MAX_NOTE, mergeTimeline, timelineEntryOf } from '../customers';
import { formatAgo, formatDate, formatDateTime, translateSystemNote } from '../i18n';
import { ChannelIcon, ChevronLeftIcon } from '../icons';
import { hrefOf } from '../router';
import type { CustomerNote, CustomerRecord, TimelineMessage } from '../types';
import { errorText } from '../util';
import { CsatSummary } from './Csat';
import { Avatar, EmptyState, Spinner, StatusBadge } from './common';
import { TransferDetails } from './TransferDetails';
import { CustomerRecordsActions } from './CustomerRecordsActions';

const TIMELINE_PAGE = 50;
/** Transfer details are read per conversation; the most recent ones are where a missing transfer is discussed. */
const TRANSFER_CONVERSATIONS = 5;

/**
 * `#/customers/<id>` (issue 17): one customer across every channel — their identities, one
 * timeline of every conversation's messages (a channel badge on each, a link to its
 * conversation; notes and system lines marked), the team's notes about them, their ratings and
 * the transfer details they gave. New messages arrive live.
 */
export function CustomerPage({ contactId }: { contactId: string }) {
  const { t, lang } = useI18n();
  const { channels, live } = useSession();
  const now = useNow(60_000);
  const [record, setRecord] = useState<CustomerRecord | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [timeline, setTimeline] = useState<TimelineMessage[] | null>(null);
  const [olderBefore, setOlderBefore] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);

  useEffect(() => {
    document.title = `${record?.name ?? t('customers.title')} · ${t('app.name')}`;
  }, [t, record?.name]);

  const load = useCallback(async () => {
    setError(null);
    try {
      const [loaded, page] = await Promise.all([api.getContact(contactId), api.contactTimeline(contactId, null, TIMELINE_PAGE)]);
      setRecord(loaded);
      setTimeline(page.items);
      setOlderBefore(page.nextBefore);
    } catch (caught) {
      setError(caught);
    }
  }, [contactId]);
  useEffect(() => {
    setRecord(null);
    setTimeline(null);
    void load();
  }, [load]);

  useEffect(
    () =>
      live.subscribe((event) => {
        if (event.type === 'resync') void load();
        if (!record || (event.type !== 'message.created' && event.type !== 'message.updated')) return;
        const entry = timelineEntryOf(event.data, record);
        if (entry) setTimeline((list) => (list ? mergeTimeline(list, [entry]) : list));
      }),
    [live, record, load],
  );

  const older = async () => {
    if (!olderBefore) return;
    setLoadingOlder(true);
    try {
      const page = await api.contactTimeline(contactId, olderBefore, TIMELINE_PAGE);
      setTimeline((list) => mergeTimeline(list ?? [], page.items));
      setOlderBefore(page.nextBefore);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoadingOlder(false);
    }
  };

  if (error instanceof ApiError && error.status === 404) {
    return (
      <div className="page" data-testid="customer-page">
        <BackLink />
        <EmptyState title={t('customer.notFound')} testId="customer-not-found" />
      </div>
    );
  }
  if (!record || !timeline) {
    return (
      <div className="page" data-testid="customer-page">
        <BackLink />
        <div className="pane-center">{error ? <p className="muted">{errorText(error, t)}</p> : <Spinner size={18} label={t('common.loading')} />}</div>
      </div>
    );
  }

  return (
    <div className="page" data-testid="customer-page" data-id={record.id}>
      <BackLink />
      <header className="card customer-header" data-testid="customer-header">
        <Avatar name={record.name} seed={record.id} size={56} />
        <div className="customer-header-text">
          <h1 data-testid="customer-name">{record.name}</h1>
          <div className="customer-header-facts">
            {record.email ? <a href={`mailto:${record.email}`}>{record.email}</a> : null}
            <span className="muted">{t('customer.since', { date: formatDate(record.createdAt, lang) })}</span>
          </div>
          <div className="customer-header-user" data-testid="customer-user-id">
            <span className="muted small">{t('customer.userId')}</span> {record.userId ? <code>{record.userId}</code> : <span className="muted small">{t('customer.notLinked')}</span>}
          </div>
          <ul className="identities customer-header-identities">
            {record.identities.map((identity) => {
              const kind = kindOfChannel(identity.channelId, channels, record);
              return (
                <li key={`${identity.channelId}:${identity.externalId}`} className="identity" data-testid="customer-identity" data-channel={identity.channelId}>
                  <ChannelIcon kind={kind} size={16} title={t(`kind.${kind}`)} />
                  <div className="identity-text">
                    <span className="identity-channel">{channelName(identity.channelId, channels, t)}</span>
                    <span className="identity-value" title={identity.externalId}>
                      {identity.handle || identity.externalId}
                    </span>
                  </div>
                </li>
              );
            })}
          </ul>
        </div>
        {/* Issue 17, records: export and erase, with their jobs' progress (admins only; nothing for agents). */}
        <CustomerRecordsActions contactId={record.id} contactName={record.name} />
      </header>

      <div className="page-grid">
        <section className="card customer-timeline" data-testid="customer-timeline" aria-label={t('customer.timeline')}>
          <div className="card-head">
            <h2>{t('customer.timeline')}</h2>
          </div>
          {olderBefore ? (
            <div className="customer-older">
              <button type="button" className="button small" onClick={() => void older()} disabled={loadingOlder} data-testid="customer-older">
                {loadingOlder ? <Spinner size={12} /> : null}
                {t('customer.older')}
              </button>
            </div>
          ) : null}
          {timeline.length === 0 ? (
            <p className="muted pane-center">{t('customer.timelineEmpty')}</p>
          ) : (
            <ol className="timeline">
              {timeline.map((message) => (
                <TimelineEntry key={message.id} message={message} />
              ))}
            </ol>
          )}
        </section>

        <aside className="customer-side">
          <Notes contactId={record.id} />

          <section className="card customer-side-card" data-testid="customer-conversations">
            <h3>{t('customer.conversations')}</h3>
            {record.conversations.length === 0 ? (
              <p className="muted small">{t('customer.noConversations')}</p>
            ) : (
              <ul className="other-conversations">
                {record.conversations.map((c) => (
                  <li key={c.id}>
                    <a href={hrefOf({ page: 'inbox', conversationId: c.id })} className="other-conversation" data-testid="customer-conversation" data-id={c.id} data-channel={c.channelId}>
                      <span className="other-top">
                        <ChannelIcon kind={c.channelKind} size={13} title={channelName(c.channelId, channels, t)} />
                        <span className="small">{channelName(c.channelId, channels, t)}</span>
                        <StatusBadge status={c.status} />
                        <time className="muted small" dateTime={c.lastMessageAt} title={formatDateTime(c.lastMessageAt, lang)}>
                          {formatAgo(c.lastMessageAt, now, t)}
                        </time>
                      </span>
                      <span className="other-preview">{c.subject || c.lastMessagePreview || t('list.noPreview')}</span>
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="card customer-side-card" data-testid="customer-csat">
            <h3>{t('customer.csatHistory')}</h3>
            {record.csat.length === 0 ? (
              <p className="muted small">{t('customer.csatEmpty')}</p>
            ) : (
              <ul className="customer-csat-list">
                {record.csat.map((answer) => (
                  <li key={answer.surveyId} data-testid="customer-csat-answer" data-rating={answer.rating}>
                    <a className="small" href={hrefOf({ page: 'inbox', conversationId: answer.conversationId })}>
                      <ChannelIcon kind={answer.channelKind} size={12} /> {channelName(answer.channelId, channels, t)}
                    </a>
                    <CsatSummary csat={{ rating: answer.rating, comment: answer.comment, ratedAt: answer.ratedAt, ...(answer.via ? { via: answer.via } : {}) }} />
                  </li>
                ))}
              </ul>
            )}
          </section>

          {record.conversations.length > 0 ? (
            <section className="card customer-side-card customer-transfers">
              <h3>{t('customer.transfers')}</h3>
              {record.conversations.slice(0, TRANSFER_CONVERSATIONS).map((c) => (
                <div key={c.id} className="customer-transfer-group">
                  <a className="small" href={hrefOf({ page: 'inbox', conversationId: c.id })}>
                    <ChannelIcon kind={c.channelKind} size={12} /> {channelName(c.channelId, channels, t)} · {formatDate(c.createdAt, lang)}
                  </a>
                  <TransferDetails conversationId={c.id} />
                </div>
              ))}
            </section>
          ) : null}
        </aside>
      </div>
    </div>
  );
}

function BackLink() {
  const { t } = useI18n();
  return (
    <a className="back-link small" href={hrefOf({ page: 'customers', contactId: null })} data-testid="customer-back">
      <ChevronLeftIcon size={14} />
      {t('customer.back')}
    </a>
  );
}

/** One message of the timeline: who, when, on which channel, and a way to its conversation. Text only: React escapes it. */
function TimelineEntry({ message }: { message: TimelineMessage }) {
  const { t, lang } = useI18n();
  const { channels } = useSession();
  const system = message.author.type === 'system';
  const kind = message.channelKind;
  const className = ['timeline-entry', `from-${message.author.type}`, message.private && !system ? 'is-note' : '', system ? 'is-system' : ''].filter(Boolean).join(' ');
  return (
    <li className={className} data-testid="timeline-message" data-id={message.id} data-channel={message.channelId} data-conversation={message.conversationId} data-private={message.private}>
      <div className="timeline-meta">
        <span className="channel-badge" data-testid="timeline-channel" title={t(`kind.${kind}`)}>
          <ChannelIcon kind={kind} size={12} />
          {channelName(message.channelId, channels, t)}
        </span>
        <span className="timeline-author">{system ? t('customer.systemLine') : message.author.name}</span>
        {message.private && !system ? <span className="note-badge">{t('customer.privateNote')}</span> : null}
        <time className="muted small" dateTime={message.createdAt}>
          {formatDateTime(message.createdAt, lang)}
        </time>
        <a className="small timeline-open" href={hrefOf({ page: 'inbox', conversationId: message.conversationId })} data-testid="timeline-open">
          {t('customer.openConversation')}
        </a>
      </div>
      <div className="timeline-text">{system ? translateSystemNote(message, t, lang) : message.text}</div>
      {message.attachments.length > 0 ? (
        <ul className="timeline-attachments small">
          {message.attachments.map((a) => (
            <li key={a.id}>
              <a href={a.url} target="_blank" rel="noopener noreferrer">
                {a.name ?? a.kind}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

/** The team's notes about the customer: anyone adds one; its author or an admin deletes it. */
function Notes({ contactId }: { contactId: string }) {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const toast = useToast();
  const [notes, setNotes] = useState<CustomerNote[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    let cancelled = false;
    setNotes(null);
    api
      .listContactNotes(contactId)
      .then((r) => !cancelled && setNotes(r.items))
      .catch((caught: unknown) => !cancelled && setError(caught));
    return () => {
      cancelled = true;
    };
  }, [contactId]);

  const add = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim() || text.length > MAX_NOTE) return;
    setSaving(true);
    try {
      const note = await api.addContactNote(contactId, text.trim());
      setNotes((list) => [note, ...(list ?? [])]);
      setText('');
      toast('success', t('customer.noteAdded'));
    } catch (caught) {
      toast('error', errorText(caught, t));
    } finally {
      setSaving(false);
    }
  };
  const remove = async (note: CustomerNote) => {
    if (!window.confirm(t('customer.deleteNoteConfirm'))) return;
    try {
      await api.deleteContactNote(contactId, note.id);
      setNotes((list) => (list ?? []).filter((n) => n.id !== note.id));
      toast('success', t('customer.noteDeleted'));
    } catch (caught) {
      toast('error', errorText(caught, t));
    }
  };

  return (
    <section className="card customer-side-card" data-testid="customer-notes">
      <h3>{t('customer.notes')}</h3>
      <p className="muted small">{t('customer.notesHint')}</p>
      <form className="customer-note-form" onSubmit={(e) => void add(e)}>
        <textarea value={text} onChange={(e) => setText(e.target.value)} placeholder={t('customer.notePlaceholder')} rows={3} aria-label={t('customer.notes')} data-testid="customer-note-input" />
        <div className="customer-note-actions">
          <span className={`small ${text.length > MAX_NOTE ? 'error-text' : 'muted'}`}>{t('customer.noteLength', { count: text.length, max: MAX_NOTE })}</span>
          <button type="submit" className="button primary small" disabled={saving || !text.trim() || text.length > MAX_NOTE} data-testid="customer-note-add">
            {saving ? <Spinner size={12} /> : null}
            {t('customer.addNote')}
          </button>
        </div>
      </form>
      {error ? (
        <p className="muted small">{errorText(error, t)}</p>
      ) : notes === null ? (
        <Spinner size={14} label={t('common.loading')} />
      ) : notes.length === 0 ? (
        <p className="muted small">{t('customer.notesEmpty')}</p>
      ) : (
        <ul className="customer-notes">
          {notes.map((note) => (
            <li key={note.id} className="customer-note" data-testid="customer-note" data-id={note.id}>
              <div className="customer-note-text">{note.text}</div>
              <div className="customer-note-meta small muted">
                {note.author.name} · <time dateTime={note.createdAt}>{formatDateTime(note.createdAt, lang)}</time>
                {note.author.id === me.id || me.role === 'admin' ? (
                  <button type="button" className="link-button small" onClick={() => void remove(note)} data-testid="customer-note-delete">
                    {t('customer.deleteNote')}
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
