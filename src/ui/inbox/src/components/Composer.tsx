import { useEffect, useImperativeHandle, useLayoutEffect, useRef, useState, type ClipboardEvent, type DragEvent, type KeyboardEvent, type RefObject } from 'react';
import { api } from '../api';
import { useI18n, useNow, useSession, useToast } from '../context';
import { getDraft, saveDraft } from '../drafts';
import { formatDateTime, formatDuration } from '../i18n';
import { BanIcon, ClockIcon, CloseIcon, FileIcon, LockIcon, PaperclipIcon, SendIcon } from '../icons';
import type { Attachment, Channel, Conversation, Message } from '../types';
import { errorText, formatSize, MAX_UPLOAD_BYTES, UPLOAD_ACCEPT, uploadTypeOf, uuid } from '../util';
import { useCannedPicker } from './CannedPicker';
import { ArticlePicker } from './ArticlePicker';
import { Spinner } from './common';
import { EscalationBanner } from './Escalation';
import type { ComposerHandle } from './ConversationView';
import { DraftButton, DraftNotice, useDraftReply } from './DraftButton';

interface Upload {
  localId: string;
  name: string;
  size: number | undefined;
  state: 'uploading' | 'done';
  attachment?: Attachment;
  /** blob: URL of a local image, for a thumbnail while it uploads. */
  preview?: string;
}

interface Props {
  conversation: Conversation;
  channel: Channel | undefined;
  handleRef: RefObject<ComposerHandle | null>;
  onOptimistic: (message: Message) => void;
  onSent: (tempId: string, message: Message) => void;
  onSendFailed: (tempId: string) => void;
}

const MAX_FILES = 10;

export function Composer({ conversation, channel, handleRef, onOptimistic, onSent, onSendFailed }: Props) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const { me } = useSession();
  const now = useNow(60_000);
  const draft = getDraft(conversation.id);
  const [mode, setMode] = useState<'reply' | 'note'>(draft?.mode ?? 'reply');
  const [text, setText] = useState(draft?.text ?? '');
  const [uploads, setUploads] = useState<Upload[]>(
    () => draft?.attachments.map((a) => ({ localId: a.id, name: a.name ?? a.id, size: a.size, state: 'done' as const, attachment: a })) ?? [],
  );
  const [sending, setSending] = useState(false);
  const [dragging, setDragging] = useState(false);
  const key = useRef(draft?.key ?? uuid());
  const textarea = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const uploadsRef = useRef(uploads);
  uploadsRef.current = uploads;
  // A reply draft goes under what the agent already typed, never over it.
  const draftReply = useDraftReply(conversation.id, text, (draft) => {
    setText((current) => (current.trim() ? `${current.trimEnd()}\n\n${draft}` : draft));
    textarea.current?.focus();
  });
  const cannedPicker = useCannedPicker({ textarea, text, setText, conversationId: conversation.id });

  useImperativeHandle(handleRef, () => ({
    focus(next) {
      setMode(next);
      textarea.current?.focus();
    },
  }));

  // Drafts survive switching conversations.
  useEffect(() => {
    saveDraft(conversation.id, { text, mode, attachments: uploads.flatMap((u) => (u.attachment ? [u.attachment] : [])), key: key.current });
  }, [conversation.id, text, mode, uploads]);

  useEffect(
    () => () => {
      for (const upload of uploadsRef.current) if (upload.preview) URL.revokeObjectURL(upload.preview);
    },
    [],
  );

  // Grow with the text, up to a limit.
  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element) return;
    element.style.height = 'auto';
    element.style.height = `${Math.min(element.scrollHeight + 2, 240)}px`;
  }, [text]);

  const isNote = mode === 'note';
  const capabilities = channel?.capabilities;
  const canAttach = isNote || capabilities?.attachments !== false;
  const length = text.trim().length;
  const max = capabilities?.maxTextLength;
  const parts = max && length > max ? Math.ceil(length / max) : 1;
  const uploading = uploads.some((u) => u.state === 'uploading');
  const ready = uploads.filter((u) => u.attachment);
  const canSend = !sending && (text.trim().length > 0 || ready.length > 0);

  const windowEnds = conversation.replyWindowEndsAt ? new Date(conversation.replyWindowEndsAt).getTime() : null;
  const windowLeft = windowEnds !== null ? windowEnds - now : null;
  const kindName = t(`kind.${conversation.channelKind}`);

  const addFiles = (files: FileList | File[]) => {
    let count = uploadsRef.current.length;
    for (const file of Array.from(files)) {
      if (count >= MAX_FILES) {
        toast('error', t('errors.tooManyFiles'));
        break;
      }
      const type = uploadTypeOf(file);
      if (!type) {
        toast('error', t('errors.fileType', { name: file.name }));
        continue;
      }
      if (file.size > MAX_UPLOAD_BYTES) {
        toast('error', t('errors.fileTooBig', { name: file.name }));
        continue;
      }
      count += 1;
      const localId = uuid();
      const preview = type.startsWith('image/') ? URL.createObjectURL(file) : undefined;
      setUploads((list) => [...list, { localId, name: file.name, size: file.size, state: 'uploading', preview }]);
      api
        .upload(file, type)
        .then((attachment) => setUploads((list) => list.map((u) => (u.localId === localId ? { ...u, state: 'done', attachment } : u))))
        .catch((error: unknown) => {
          setUploads((list) => list.filter((u) => u.localId !== localId));
          if (preview) URL.revokeObjectURL(preview);
          toast('error', t('errors.uploadFailed', { name: file.name, message: errorText(error, t) }));
        });
    }
    if (fileInput.current) fileInput.current.value = '';
  };

  const removeUpload = (localId: string) => {
    setUploads((list) => {
      const gone = list.find((u) => u.localId === localId);
      if (gone?.preview) URL.revokeObjectURL(gone.preview);
      return list.filter((u) => u.localId !== localId);
    });
  };

  const send = async () => {
    if (sending) return;
    if (uploading) {
      toast('error', t('errors.waitUploads'));
      return;
    }
    const body = text.trim();
    const attachments = ready.map((u) => u.attachment!);
    if (!body && attachments.length === 0) return;
    if (!isNote && attachments.length > 0 && capabilities?.attachments === false) {
      toast('error', t('errors.noAttachments'));
      return;
    }
    const idempotencyKey = key.current;
    const temp: Message = {
      id: `tmp-${idempotencyKey}`,
      conversationId: conversation.id,
      direction: 'outbound',
      author: { type: 'agent', id: me.id, name: me.name },
      text: body,
      attachments,
      private: isNote,
      status: isNote ? 'sent' : 'sending',
      externalId: null,
      createdAt: new Date().toISOString(),
      sentAt: null,
      replyToExternalId: null,
      clientMessageId: null,
      editedAt: null,
      deletedAt: null,
      redactions: [],
      pending: true,
    };
    const keptText = text;
    const keptUploads = uploads;
    onOptimistic(temp);
    setText('');
    setUploads([]);
    setSending(true);
    try {
      const message = await api.sendMessage(conversation.id, { text: body, private: isNote, attachments: attachments.map((a) => a.id) }, idempotencyKey);
      onSent(temp.id, message);
      key.current = uuid();
      for (const upload of keptUploads) if (upload.preview) URL.revokeObjectURL(upload.preview);
    } catch (error) {
      onSendFailed(temp.id);
      // Give the text back (unless the agent already typed something new); the same key is reused.
      setText((current) => (current ? current : keptText));
      setUploads((current) => (current.length > 0 ? current : keptUploads));
      toast('error', t('errors.sendFailed', { message: errorText(error, t) }));
    } finally {
      setSending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // keyCode 229: an IME (Chinese, Japanese…) is composing; Enter picks a candidate, it does not send.
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.nativeEvent.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      void send();
    } else if (event.key === 'Escape') {
      event.currentTarget.blur();
    }
  };

  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>) => {
    if (event.clipboardData.files.length > 0 && canAttach) {
      event.preventDefault();
      addFiles(event.clipboardData.files);
    }
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    setDragging(false);
    if (event.dataTransfer.files.length === 0) return;
    event.preventDefault();
    if (!canAttach) toast('error', t('errors.noAttachments'));
    else addFiles(event.dataTransfer.files);
  };

  return (
    <div
      className={`composer${isNote ? ' note' : ''}${dragging ? ' dragging' : ''}`}
      data-mode={mode}
      onDragOver={(event) => {
        if (event.dataTransfer.types.includes('Files')) {
          event.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      {conversation.customerUnreachable ? (
        // The reason is the platform's detail in English (e.g. "The customer blocked the bot"); the
        // translated channel-event line in the conversation says the same in the agent's language.
        <div className="reply-window closed unreachable" data-testid="customer-unreachable" role="alert" title={conversation.customerUnreachable.reason}>
          <BanIcon size={14} />
          <span>{t('view.unreachable', { time: formatDateTime(conversation.customerUnreachable.since, lang) })}</span>
        </div>
      ) : null}
      {/* What the agent must know before answering: an urgent case, or who escalated it to whom and why. */}
      {conversation.escalation ? <EscalationBanner escalation={conversation.escalation} /> : null}
      {windowLeft !== null ? (
        <div className={`reply-window${windowLeft <= 0 ? ' closed' : windowLeft < 3_600_000 ? ' soon' : ''}`} data-testid="reply-window" role="note">
          <ClockIcon size={14} />
          <span>
            {windowLeft > 0
              ? t('composer.windowLeft', { channel: kindName, d: formatDuration(windowLeft, t, 48) })
              : t('composer.windowClosed', { channel: kindName, d: formatDuration(-windowLeft, t, 48) })}
          </span>
        </div>
      ) : null}
      <div className="composer-box">
        <div className="composer-tabs" role="group" aria-label={t('composer.mode')}>
          <button
            type="button"
            aria-pressed={!isNote}
            className={`composer-tab${!isNote ? ' active' : ''}`}
            onClick={() => {
              setMode('reply');
              textarea.current?.focus();
            }}
            data-testid="composer-mode-reply"
          >
            {t('composer.reply')}
          </button>
          <button
            type="button"
            aria-pressed={isNote}
            className={`composer-tab note-tab${isNote ? ' active' : ''}`}
            onClick={() => {
              setMode('note');
              textarea.current?.focus();
            }}
            data-testid="composer-mode-note"
          >
            <LockIcon size={12} />
            {t('composer.note')}
          </button>
          {isNote ? <span className="composer-note-hint">{t('composer.noteHint')}</span> : null}
        </div>
        <DraftNotice draft={draftReply} />
        {cannedPicker}
        <textarea
          ref={textarea}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          placeholder={isNote ? t('composer.placeholderNote') : t('composer.placeholderReply', { name: conversation.contact.name })}
          aria-label={isNote ? t('composer.note') : t('composer.reply')}
          rows={2}
          data-testid="composer-input"
        />
        {uploads.length > 0 ? (
          <ul className="upload-chips">
            {uploads.map((upload) => (
              <li key={upload.localId} className={`upload-chip${upload.state === 'uploading' ? ' uploading' : ''}`}>
                {upload.preview ? <img src={upload.preview} alt="" /> : <FileIcon size={16} />}
                <span className="upload-text">
                  <span className="upload-name" title={upload.name}>
                    {upload.name}
                  </span>
                  <span className="upload-size">{upload.state === 'uploading' ? t('composer.uploading') : formatSize(upload.size)}</span>
                </span>
                {upload.state === 'uploading' ? <Spinner size={12} /> : null}
                <button type="button" className="chip-remove" onClick={() => removeUpload(upload.localId)} aria-label={t('composer.removeAttachment', { name: upload.name })}>
                  <CloseIcon size={12} />
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        <div className="composer-bar">
          <button
            type="button"
            className="icon-button"
            onClick={() => fileInput.current?.click()}
            disabled={!canAttach}
            aria-label={t('composer.attach')}
            title={canAttach ? t('composer.attach') : t('errors.noAttachments')}
          >
            <PaperclipIcon size={18} />
          </button>
          <input
            ref={fileInput}
            type="file"
            multiple
            className="visually-hidden"
            tabIndex={-1}
            accept={UPLOAD_ACCEPT}
            onChange={(event) => event.target.files && addFiles(event.target.files)}
            data-testid="attach-input"
          />
          {!isNote ? <DraftButton draft={draftReply} /> : null}
          <ArticlePicker conversation={conversation} textarea={textarea} setText={setText} />
          <span className="composer-hint">{t('composer.hint')}</span>
          <span className="spacer" />
          {!isNote && max ? (
            <span className={`composer-limit${length > max ? ' over' : ''}`}>
              {length > max ? <span className="split-warning">{t('composer.split', { n: parts })}</span> : null}
              <span data-testid="composer-limit">
                {length} / {max}
              </span>
            </span>
          ) : null}
          <button type="button" className={`button ${isNote ? 'note-button' : 'primary'}`} onClick={() => void send()} disabled={!canSend} data-testid="composer-send">
            {sending ? <Spinner size={12} /> : <SendIcon size={15} />}
            <span>{isNote ? t('composer.addNote') : t('composer.send')}</span>
          </button>
        </div>
      </div>
    </div>
  );
}
