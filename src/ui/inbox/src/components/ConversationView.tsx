import { Fragment, memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { api } from '../api';
import { useI18n, useNow, useSession, useToast } from '../context';
import { isQuestion, pickedLabel, pickedValue, type MessageChoice } from '../csat';
import { formatClock, formatDateTime, formatDay, translateSystemNote, type Lang, type Translate } from '../i18n';
import { AlertIcon, ArrowDownIcon, CheckIcon, ClockIcon, DownloadIcon, FileIcon, LockIcon, PencilIcon, TrashIcon } from '../icons';
import type { Attachment, Channel, Conversation, ConversationPatch, EscalationReason, Message } from '../types';
import { errorText, formatSize, linkify } from '../util';
import { Avatar, Spinner } from './common';
import { Composer } from './Composer';
import { ConversationHeader } from './ConversationHeader';
import { EmailHtml } from './EmailHtml';
import { MergeUndo } from './MergeSuggestions';

export interface ComposerHandle {
  focus(mode: 'reply' | 'note'): void;
}

const PAGE = 50;
const GROUP_GAP_MS = 5 * 60_000;

function sortMessages(list: Message[]): Message[] {
  // Server order is creation time; optimistic bubbles stay last until confirmed.
  return [...list].sort((a, b) => {
    if (!!a.pending !== !!b.pending) return a.pending ? 1 : -1;
    return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0;
  });
}

interface Props {
  conversation: Conversation;
  channel: Channel | undefined;
  composerRef: RefObject<ComposerHandle | null>;
  onUpdate: (patch: ConversationPatch) => Promise<Conversation | null>;
  onMoveToTeam: (teamId: string | null) => Promise<Conversation | null>;
  onEscalate: (reason: EscalationReason) => Promise<Conversation | null>;
  onTakeOver: () => Promise<Conversation | null>;
  onNewInbound: () => void;
  panelOpen: boolean;
  onTogglePanel: () => void;
}

export function ConversationView({ conversation, channel, composerRef, onUpdate, onMoveToTeam, onEscalate, onTakeOver, onNewInbound, panelOpen, onTogglePanel }: Props) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const { me, live } = useSession();
  const id = conversation.id;
  const [messages, setMessages] = useState<Message[]>([]);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [loadError, setLoadError] = useState<unknown>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [newBelow, setNewBelow] = useState(false);
  const [retrying, setRetrying] = useState<ReadonlySet<string>>(new Set());
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const pendingScroll = useRef<'bottom' | { height: number; top: number } | null>('bottom');
  const readLater = useRef(false);
  const onNewInboundRef = useRef(onNewInbound);
  onNewInboundRef.current = onNewInbound;
  const now = useNow(60_000);

  const load = useCallback(async () => {
    setState('loading');
    try {
      const { items } = await api.listMessages(id, { limit: PAGE });
      pendingScroll.current = 'bottom';
      setMessages((list) => sortMessages([...items, ...list.filter((m) => m.pending)]));
      setHasMore(items.length === PAGE);
      setState('ready');
    } catch (error) {
      setLoadError(error);
      setState('error');
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  const upsert = useCallback(
    (message: Message) => {
      setMessages((list) => {
        const index = list.findIndex((m) => m.id === message.id);
        if (index >= 0) {
          const next = [...list];
          next[index] = message;
          return next;
        }
        let base = list;
        // Our own reply seen on the stream before its 202 arrived: it replaces the optimistic bubble.
        if (message.author.type === 'agent' && message.author.id === me.id) {
          const temp = list.findIndex((m) => m.pending && m.text === message.text && m.private === message.private);
          if (temp >= 0) base = list.filter((_, i) => i !== temp);
        }
        return sortMessages([...base, message]);
      });
    },
    [me.id],
  );

  const markReadWhenVisible = useCallback(() => {
    if (document.visibilityState === 'visible') onNewInboundRef.current();
    else readLater.current = true;
  }, []);

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible' && readLater.current) {
        readLater.current = false;
        onNewInboundRef.current();
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  // Resync after a stream gap: merge the newest page with what is loaded (or start over if there is a hole).
  const resync = useCallback(async () => {
    try {
      const { items } = await api.listMessages(id, { limit: PAGE });
      const oldest = items[0];
      setMessages((list) => {
        const fetched = new Set(items.map((m) => m.id));
        const contiguous = !oldest || items.length < PAGE || list.some((m) => m.id === oldest.id);
        const older = contiguous && oldest ? list.filter((m) => !m.pending && !fetched.has(m.id) && m.createdAt < oldest.createdAt) : [];
        return sortMessages([...older, ...items, ...list.filter((m) => m.pending)]);
      });
      if (items.some((m) => m.direction === 'inbound')) markReadWhenVisible();
    } catch {
      // The next event or reconnect tries again.
    }
  }, [id, markReadWhenVisible]);

  useEffect(
    () =>
      live.subscribe((event) => {
        if (event.type === 'resync') {
          void resync();
          return;
        }
        if (event.type !== 'message.created' && event.type !== 'message.updated') return;
        const message = event.data;
        if (message.conversationId !== id) return;
        upsert(message);
        if (event.type === 'message.created') {
          const mine = message.author.type === 'agent' && message.author.id === me.id;
          if (!atBottom.current && !mine) setNewBelow(true);
          if (message.direction === 'inbound') markReadWhenVisible();
        }
      }),
    [live, id, upsert, me.id, resync, markReadWhenVisible],
  );

  const loadOlder = useCallback(async () => {
    const oldest = messages.find((m) => !m.pending);
    if (!oldest || loadingOlder || !hasMore) return;
    setLoadingOlder(true);
    try {
      const { items } = await api.listMessages(id, { before: oldest.id, limit: PAGE });
      const element = scroller.current;
      if (element) pendingScroll.current = { height: element.scrollHeight, top: element.scrollTop };
      setMessages((list) => {
        const ids = new Set(list.map((m) => m.id));
        return sortMessages([...items.filter((m) => !ids.has(m.id)), ...list]);
      });
      setHasMore(items.length === PAGE);
    } catch (error) {
      toast('error', errorText(error, t));
    } finally {
      setLoadingOlder(false);
    }
  }, [messages, loadingOlder, hasMore, id, toast, t]);

  // Keep the reading position: stick to the bottom when there, keep the view steady when older messages load.
  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const pending = pendingScroll.current;
    pendingScroll.current = null;
    if (pending === 'bottom' || (pending === null && atBottom.current)) {
      element.scrollTop = element.scrollHeight;
      atBottom.current = true;
    } else if (pending) {
      element.scrollTop = element.scrollHeight - pending.height + pending.top;
    }
  }, [messages, state]);

  const onScroll = () => {
    const element = scroller.current;
    if (!element) return;
    atBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 48;
    if (atBottom.current && newBelow) setNewBelow(false);
    if (element.scrollTop < 80 && hasMore && !loadingOlder && state === 'ready') void loadOlder();
  };

  const scrollToBottom = () => {
    const element = scroller.current;
    if (element) element.scrollTo({ top: element.scrollHeight, behavior: 'smooth' });
    setNewBelow(false);
  };

  const onMediaLoad = useCallback(() => {
    const element = scroller.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, []);

  const retry = useCallback(
    async (message: Message) => {
      setRetrying((set) => new Set(set).add(message.id));
      try {
        const updated = await api.retryMessage(message.id);
        // The stream may already have moved it past `queued`; only replace a still-failed copy.
        setMessages((list) => list.map((m) => (m.id === updated.id && m.status === 'failed' ? updated : m)));
        toast('success', t('view.retried'));
      } catch (error) {
        toast('error', errorText(error, t));
      } finally {
        setRetrying((set) => {
          const next = new Set(set);
          next.delete(message.id);
          return next;
        });
      }
    },
    [toast, t],
  );

  const onOptimistic = useCallback((temp: Message) => {
    pendingScroll.current = 'bottom';
    setMessages((list) => sortMessages([...list, temp]));
  }, []);
  const onSent = useCallback((tempId: string, message: Message) => {
    pendingScroll.current = 'bottom';
    setMessages((list) => {
      const rest = list.filter((m) => m.id !== tempId);
      const index = rest.findIndex((m) => m.id === message.id);
      if (index >= 0) {
        // The stream was faster; keep the most advanced status.
        const next = [...rest];
        const existing = next[index]!;
        if (existing.status === 'queued' || existing.status === message.status) next[index] = message;
        return next;
      }
      return sortMessages([...rest, message]);
    });
  }, []);
  const onSendFailed = useCallback((tempId: string) => setMessages((list) => list.filter((m) => m.id !== tempId)), []);

  let body;
  if (state === 'loading' && messages.length === 0) {
    body = (
      <div className="messages-skeleton" aria-busy="true">
        {[60, 40, 75, 35].map((width, index) => (
          <div key={index} className={`sk-msg ${index % 2 ? 'out' : 'in'}`}>
            <span className="sk sk-bubble" style={{ width: `${width}%` }} />
          </div>
        ))}
      </div>
    );
  } else if (state === 'error') {
    body = (
      <div className="pane-center">
        <p className="muted">{errorText(loadError, t)}</p>
        <button type="button" className="button small" onClick={() => void load()}>
          {t('common.retry')}
        </button>
      </div>
    );
  } else {
    body = (
      <MessageList
        messages={messages}
        conversation={conversation}
        hasMore={hasMore}
        loadingOlder={loadingOlder}
        onLoadOlder={() => void loadOlder()}
        onRetry={retry}
        retrying={retrying}
        onMediaLoad={onMediaLoad}
        nativeChoices={presentsChoices(channel)}
        now={now}
        lang={lang}
        t={t}
      />
    );
  }

  return (
    <div className="conversation-view" data-testid="conversation-view" data-id={conversation.id}>
      <ConversationHeader
        conversation={conversation}
        channel={channel}
        onUpdate={onUpdate}
        onMoveToTeam={onMoveToTeam}
        onEscalate={onEscalate}
        onTakeOver={onTakeOver}
        panelOpen={panelOpen}
        onTogglePanel={onTogglePanel}
      />
      <div className="messages-wrap">
        <div className="messages" ref={scroller} onScroll={onScroll} role="log" aria-label={t('view.messages')} aria-live="polite" aria-relevant="additions">
          {body}
        </div>
        {newBelow ? (
          <button type="button" className="new-below" onClick={scrollToBottom}>
            <ArrowDownIcon size={14} />
            {t('view.newMessages')}
          </button>
        ) : null}
      </div>
      <Composer
        conversation={conversation}
        channel={channel}
        handleRef={composerRef}
        onOptimistic={onOptimistic}
        onSent={onSent}
        onSendFailed={onSendFailed}
      />
    </div>
  );
}

interface ListProps {
  messages: Message[];
  conversation: Conversation;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (message: Message) => void;
  retrying: ReadonlySet<string>;
  onMediaLoad: () => void;
  /** Whether the channel shows a question's options as buttons, a menu or links (else they are written into its text). */
  nativeChoices: boolean;
  now: number;
  lang: Lang;
  t: Translate;
}

/** The channel presents a question's options itself; unknown (no longer configured): show them. */
function presentsChoices(channel: Channel | undefined): boolean {
  if (!channel) return true;
  const { buttons, menu, links } = channel.capabilities;
  return buttons === true || menu === true || links === true;
}

function MessageList({ messages, conversation, hasMore, loadingOlder, onLoadOlder, onRetry, retrying, onMediaLoad, nativeChoices, now, lang, t }: ListProps) {
  const dayKey = (iso: string) => new Date(iso).toDateString();
  // A group: consecutive messages of one author, same kind, within a few minutes, on one day.
  const newDays = messages.map((message, index) => index === 0 || dayKey(messages[index - 1]!.createdAt) !== dayKey(message.createdAt));
  const starts = messages.map((message, index) => {
    const previous = messages[index - 1];
    return (
      !previous ||
      newDays[index] === true ||
      previous.author.type === 'system' ||
      message.author.type === 'system' ||
      previous.author.type !== message.author.type ||
      previous.author.id !== message.author.id ||
      previous.private !== message.private ||
      new Date(message.createdAt).getTime() - new Date(previous.createdAt).getTime() > GROUP_GAP_MS
    );
  });
  return (
    <>
      <div className="messages-top">
        {hasMore ? (
          <button type="button" className="button small ghost" onClick={onLoadOlder} disabled={loadingOlder} data-testid="load-older">
            {loadingOlder ? <Spinner size={12} /> : null}
            {loadingOlder ? t('view.loadingOlder') : t('view.loadOlder')}
          </button>
        ) : messages.length > 0 ? (
          <span className="beginning">{t('view.beginning')}</span>
        ) : null}
      </div>
      {conversation.subject ? <div className="subject-line">{t('view.subject', { subject: conversation.subject })}</div> : null}
      {messages.length === 0 ? <p className="messages-empty muted">{t('view.noMessages')}</p> : null}
      {messages.map((message, index) => {
        const newDay = index === 0 || newDays[index] === true;
        const startsGroup = starts[index] === true;
        const endsGroup = index === messages.length - 1 || starts[index + 1] === true;
        return (
          <Fragment key={message.id}>
            {newDay ? (
              <div className="day-separator" role="separator">
                <span>{formatDay(message.createdAt, now, lang, t)}</span>
              </div>
            ) : null}
            <MessageRow
              message={message}
              startsGroup={startsGroup}
              endsGroup={endsGroup}
              contactName={conversation.contact.name}
              contactId={conversation.contact.id}
              onRetry={onRetry}
              retrying={retrying.has(message.id)}
              onMediaLoad={onMediaLoad}
              nativeChoices={nativeChoices}
              pickLabel={message.choice?.picked ? pickedLabel(message.choice, messages) : null}
              lang={lang}
              t={t}
            />
          </Fragment>
        );
      })}
    </>
  );
}

interface RowProps {
  message: Message;
  startsGroup: boolean;
  endsGroup: boolean;
  contactName: string;
  contactId: string;
  onRetry: (message: Message) => void;
  retrying: boolean;
  onMediaLoad: () => void;
  nativeChoices: boolean;
  /** On the customer's pick: the label of the option as the question offered it, when that question is loaded. */
  pickLabel: string | null;
  lang: Lang;
  t: Translate;
}

const MessageRow = memo(function MessageRow({ message: m, startsGroup, endsGroup, contactName, contactId, onRetry, retrying, onMediaLoad, nativeChoices, pickLabel, lang, t }: RowProps) {
  const common = {
    'data-testid': 'message',
    'data-id': m.id,
    'data-direction': m.direction,
    'data-private': m.private ? 'true' : 'false',
    'data-author-type': m.author.type,
    'data-status': m.status,
    ...(m.editedAt ? { 'data-edited': 'true' } : {}),
    ...(m.deletedAt ? { 'data-deleted': 'true' } : {}),
  };
  if (m.author.type === 'system') {
    return (
      <div className="msg-system" {...common}>
        <span data-testid="message-text" data-system-type={m.system?.type}>
          {translateSystemNote(m, t, lang)}
        </span>
        {m.system?.type === 'contact-merged' ? <MergeUndo mergeId={m.system.params.merge} /> : null}
        <time dateTime={m.createdAt} title={formatDateTime(m.createdAt, lang)}>
          {formatClock(m.createdAt, lang)}
        </time>
      </div>
    );
  }
  const ours = m.direction === 'outbound';
  const note = m.private;
  const isReply = ours && !note;
  const picked = pickedValue(m);
  // A customer's messages carry the name their platform gave (for anonymous visitors, an id):
  // show the conversation's contact name, the same as in the header and the list.
  const authorName = m.author.type === 'contact' ? contactName || m.author.name : m.author.name;
  const classes = [
    'msg',
    ours ? 'out' : 'in',
    note ? 'note' : '',
    m.author.type === 'bot' ? 'bot' : '',
    m.status === 'failed' ? 'failed' : '',
    m.pending ? 'pending' : '',
    m.deletedAt ? 'deleted' : '',
    picked !== null ? 'pick' : '',
    startsGroup ? 'group-start' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} {...common}>
      <div className="msg-avatar">
        {startsGroup ? <Avatar name={authorName} seed={ours ? m.author.id : contactId} size={28} /> : null}
      </div>
      <div className="msg-stack">
        {startsGroup ? (
          <div className="msg-author">
            <span>{authorName}</span>
            {m.author.type === 'bot' ? <span className="mini-badge">{t('view.bot')}</span> : null}
          </div>
        ) : null}
        <div className="bubble" title={endsGroup ? undefined : formatDateTime(m.createdAt, lang)}>
          {note ? (
            <div className="note-label">
              <LockIcon size={12} />
              {t('view.privateNote')}
            </div>
          ) : null}
          {picked !== null ? (
            <PickedAnswer label={pickLabel ?? (m.text.trim() || picked)} value={picked} t={t} />
          ) : m.text ? (
            m.deletedAt ? (
              // Kept by the server for the record (DESIGN: deletes keep the text); struck so no one answers it as current.
              <del className="msg-text" data-testid="message-text">
                <Linkified text={m.text} />
              </del>
            ) : (
              <div className="msg-text" data-testid="message-text">
                <Linkified text={m.text} />
              </div>
            )
          ) : null}
          {isQuestion(m) && nativeChoices ? <ChoiceOptions choice={m.choice} t={t} /> : null}
          {m.html ? <EmailHtml message={m} t={t} /> : null}
          {m.attachments.length > 0 ? <Attachments attachments={m.attachments} onMediaLoad={onMediaLoad} t={t} /> : null}
          {m.editedAt || m.deletedAt ? <Revisions editedAt={m.editedAt} deletedAt={m.deletedAt} lang={lang} t={t} /> : null}
        </div>
        {endsGroup || isReply ? (
          <div className="msg-meta">
            <time dateTime={m.createdAt} title={formatDateTime(m.createdAt, lang)}>
              {formatClock(m.createdAt, lang)}
            </time>
            {isReply ? (
              <span className={`msg-status st-${m.status}`} data-testid="message-status">
                {m.status === 'sent' ? <CheckIcon size={12} /> : m.status === 'failed' ? <AlertIcon size={12} /> : <ClockIcon size={12} />}
                {t(`msgStatus.${m.status}`)}
              </span>
            ) : null}
          </div>
        ) : null}
        {isReply && m.status === 'failed' ? (
          <div className="msg-error" role="alert">
            <span data-testid="message-error">{m.error?.message || t('view.deliveryFailed')}</span>
            <button type="button" className="button small danger-outline" onClick={() => onRetry(m)} disabled={retrying} data-testid="retry-button">
              {retrying ? <Spinner size={12} /> : null}
              {retrying ? t('view.retrying') : t('view.retry')}
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
});

/** A question's options as the customer was shown them: chips the agent sees but cannot press. */
function ChoiceOptions({ choice, t }: { choice: MessageChoice; t: Translate }) {
  return (
    <ul className="choice-options" aria-label={t('view.choiceOptions')} data-testid="choice-options" data-choice-id={choice.id}>
      {choice.options.map((option) => (
        <li key={option.value}>
          <button type="button" className="choice-chip" disabled title={t('view.choiceOptionTitle')} data-testid="choice-option" data-value={option.value}>
            {option.label}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** The customer's pick, as an answer: "picked 4 ★★★★" (the wording's order is the language's). */
function PickedAnswer({ label, value, t }: { label: string; value: string; t: Translate }) {
  const [before = '', after = ''] = t('view.picked').split('{choice}');
  return (
    <div className="msg-pick" data-testid="message-pick" data-value={value} title={t('view.pickedTitle')}>
      <CheckIcon size={13} />
      <span>
        {before}
        <strong className="msg-pick-label">{label}</strong>
        {after}
      </span>
    </div>
  );
}

/** What the customer did to their message after sending it, and when. */
function Revisions({ editedAt, deletedAt, lang, t }: { editedAt: string | null; deletedAt: string | null; lang: Lang; t: Translate }) {
  return (
    <div className="msg-revisions">
      {editedAt ? (
        <span className="msg-revision edited" data-testid="message-edited" title={t('view.editedTitle', { time: formatDateTime(editedAt, lang) })}>
          <PencilIcon size={11} />
          <time dateTime={editedAt}>{t('view.edited', { time: formatDateTime(editedAt, lang) })}</time>
        </span>
      ) : null}
      {deletedAt ? (
        <span className="msg-revision deleted" data-testid="message-deleted" title={t('view.deletedTitle', { time: formatDateTime(deletedAt, lang) })}>
          <TrashIcon size={11} />
          <time dateTime={deletedAt}>{t('view.deleted', { time: formatDateTime(deletedAt, lang) })}</time>
        </span>
      ) : null}
    </div>
  );
}

/** Text as text; only http(s) URLs become links, and only through elements we create. */
function Linkified({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, index) =>
        part.type === 'link' ? (
          <a key={index} href={part.href} target="_blank" rel="noopener noreferrer">
            {part.text}
          </a>
        ) : (
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </>
  );
}

/** Only our own API paths (or http(s)) are used as links or image sources. */
function safeUrl(url: string): string | null {
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  try {
    const parsed = new URL(url, location.origin);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function Attachments({ attachments, onMediaLoad, t }: { attachments: Attachment[]; onMediaLoad: () => void; t: Translate }) {
  const images = attachments.filter((a) => (a.kind === 'image' || a.kind === 'sticker') && safeUrl(a.url));
  const others = attachments.filter((a) => !images.includes(a));
  return (
    <div className="attachments">
      {images.length > 0 ? (
        <div className="att-images">
          {images.map((a) => (
            <ImageThumb key={a.id} attachment={a} onMediaLoad={onMediaLoad} t={t} />
          ))}
        </div>
      ) : null}
      {others.map((a) => {
        const url = safeUrl(a.url);
        const name = a.name || (a.kind === 'location' ? t('view.location') : t('view.file'));
        if (a.kind === 'audio' && url) {
          return <audio key={a.id} className="att-audio" controls preload="none" src={url} aria-label={name} />;
        }
        const inner = (
          <>
            <FileIcon size={18} />
            <span className="att-text">
              <span className="att-name">{name}</span>
              {a.size !== undefined ? <span className="att-size">{formatSize(a.size)}</span> : null}
            </span>
            {url ? <DownloadIcon size={16} /> : null}
          </>
        );
        return url ? (
          <a key={a.id} className="att-file" href={url} download={a.name || ''} target="_blank" rel="noopener noreferrer" aria-label={t('view.download', { name })} title={name}>
            {inner}
          </a>
        ) : (
          <span key={a.id} className="att-file">
            {inner}
          </span>
        );
      })}
    </div>
  );
}

/** An inline thumbnail that opens the full image in a new tab; a file chip if the image cannot be shown. */
function ImageThumb({ attachment: a, onMediaLoad, t }: { attachment: Attachment; onMediaLoad: () => void; t: Translate }) {
  const [broken, setBroken] = useState(false);
  const url = safeUrl(a.url)!;
  const name = a.name || t('view.image');
  if (broken) {
    return (
      <a className="att-file" href={url} target="_blank" rel="noopener noreferrer" aria-label={t('view.openImage', { name })} title={name}>
        <FileIcon size={18} />
        <span className="att-text">
          <span className="att-name">{name}</span>
          {a.size !== undefined ? <span className="att-size">{formatSize(a.size)}</span> : null}
        </span>
      </a>
    );
  }
  return (
    <a className="att-image" href={url} target="_blank" rel="noopener noreferrer" aria-label={t('view.openImage', { name })} title={name}>
      <img src={url} alt={name} loading="lazy" onLoad={onMediaLoad} onError={() => setBroken(true)} />
    </a>
  );
}
