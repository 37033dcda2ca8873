import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { useI18n, useToast } from '../context';
import type { Conversation, TranscriptRequest } from '../types';
import { errorText } from '../util';
import { Spinner } from './common';

/**
 * "Send the transcript" (issue 17): when a customer asks for a record of what support told them,
 * the agent sends it as a PDF or HTML file on the conversation's channel or by email. What goes
 * out and where is the server's decision (no notes, redaction markers, the customer's language).
 */
export function TranscriptSender({ conversation }: { conversation: Conversation }) {
  const { t } = useI18n();
  const toast = useToast();
  const [via, setVia] = useState<TranscriptRequest['via']>(conversation.channelKind === 'email' ? 'email' : 'channel');
  const [format, setFormat] = useState<NonNullable<TranscriptRequest['format']>>('pdf');
  const [to, setTo] = useState(conversation.contact.email ?? '');
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await api.sendTranscript(conversation.id, { via, format, ...(via === 'email' && to.trim() ? { to: to.trim() } : {}) });
      toast('success', t('transcript.sent'));
    } catch (error) {
      toast('error', errorText(error, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel-section" data-testid="transcript-sender">
      <h3>{t('transcript.title')}</h3>
      <form className="transcript-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('transcript.via')}
          <select value={via} onChange={(e) => setVia(e.target.value as TranscriptRequest['via'])} data-testid="transcript-via">
            <option value="channel">{t('transcript.viaChannel')}</option>
            <option value="email">{t('transcript.viaEmail')}</option>
          </select>
        </label>
        <label>
          {t('transcript.format')}
          <select value={format} onChange={(e) => setFormat(e.target.value as 'pdf' | 'html')} data-testid="transcript-format">
            <option value="pdf">PDF</option>
            <option value="html">HTML</option>
          </select>
        </label>
        {via === 'email' ? (
          <label>
            {t('transcript.to')}
            <input type="email" value={to} onChange={(e) => setTo(e.target.value)} maxLength={320} data-testid="transcript-to" />
          </label>
        ) : null}
        <button type="submit" className="button" disabled={busy} data-testid="transcript-send">
          {busy ? <Spinner size={12} /> : null}
          {t('transcript.send')}
        </button>
      </form>
    </section>
  );
}
