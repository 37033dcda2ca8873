import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api';
import { useI18n } from '../context';
import type { Translate } from '../i18n';
import { CloseIcon, PencilIcon } from '../icons';
import type { ReplyDraftResult } from '../types';
import { errorText } from '../util';
import { Spinner } from './common';

/**
 * Reply drafts in the composer (issue 16): a "Draft reply" button, shown only when the server
 * says drafts are configured, and a notice above the text saying what the composer now holds —
 * a suggestion from named articles, to edit; nothing is ever sent by itself — or why there is
 * no draft. `useDraftReply` holds the state both share; the composer places the two.
 */

type Notice =
  | { kind: 'suggestion'; articles: ReplyDraftResult['articles'] }
  | { kind: 'info'; text: string }
  | { kind: 'error'; text: string };

export interface DraftReply {
  readonly enabled: boolean;
  readonly working: boolean;
  readonly notice: Notice | null;
  request(): void;
  dismiss(): void;
}

/** Why a draft failed, in the agent's language (the codes of src/desk/drafts/api.ts). */
function failureText(error: unknown, t: Translate): string {
  if (!(error instanceof ApiError)) return errorText(error, t);
  if (error.code === 'unsafe_content') return t('draft.unsafe');
  if (error.code === 'llm_rate_limited') return t('draft.rateLimited');
  if (error.code === 'llm_timeout') return t('draft.timeout');
  if (error.code === 'llm_unauthorized') return t('draft.unauthorized');
  if (error.code === 'drafts_disabled') return t('draft.disabled');
  if (error.code.startsWith('llm_')) return t('draft.failed', { message: error.message });
  return errorText(error, t);
}

/**
 * `composerText` lets the suggestion notice go once the composer is emptied (sent, or cleared by
 * the agent); `fill` puts the draft in the composer.
 */
export function useDraftReply(conversationId: string, composerText: string, fill: (draft: string) => void): DraftReply {
  const { t } = useI18n();
  const [enabled, setEnabled] = useState(false);
  const [working, setWorking] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    api
      .draftsStatus()
      .then((status) => alive.current && setEnabled(status.enabled))
      // Unknown is off: the button appears only when the server said yes.
      .catch(() => undefined);
    return () => {
      alive.current = false;
    };
  }, [conversationId]);

  useEffect(() => {
    if (composerText.trim() === '') setNotice((current) => (current?.kind === 'suggestion' ? null : current));
  }, [composerText]);

  const request = () => {
    if (working) return;
    setWorking(true);
    setNotice(null);
    api
      .draftReply(conversationId)
      .then((result) => {
        if (!alive.current) return;
        if (result.text === null) {
          setNotice({ kind: 'info', text: t('draft.noArticle') });
          return;
        }
        fill(result.text);
        setNotice({ kind: 'suggestion', articles: result.articles });
      })
      .catch((error: unknown) => {
        if (!alive.current) return;
        if (error instanceof ApiError && error.code === 'drafts_disabled') setEnabled(false);
        setNotice({ kind: 'error', text: failureText(error, t) });
      })
      .finally(() => alive.current && setWorking(false));
  };

  return { enabled, working, notice, request, dismiss: () => setNotice(null) };
}

export function DraftButton({ draft }: { draft: DraftReply }) {
  const { t } = useI18n();
  if (!draft.enabled) return null;
  return (
    <button
      type="button"
      className="button ghost small draft-button"
      onClick={draft.request}
      disabled={draft.working}
      aria-busy={draft.working}
      title={t('draft.buttonTitle')}
      data-testid="draft-button"
    >
      {draft.working ? <Spinner size={12} /> : <PencilIcon size={14} />}
      <span>{draft.working ? t('draft.working') : t('draft.button')}</span>
    </button>
  );
}

export function DraftNotice({ draft }: { draft: DraftReply }) {
  const { t } = useI18n();
  const notice = draft.notice;
  if (!notice) return null;
  return (
    <div className={`draft-notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="draft-notice" data-kind={notice.kind}>
      <div className="draft-notice-text">
        {notice.kind === 'suggestion' ? (
          <>
            <span>{t('draft.suggestion')}</span>
            {notice.articles.length > 0 ? (
              <span className="draft-sources">
                {t('draft.sources')}{' '}
                {notice.articles.map((article, i) => (
                  <span key={article.id}>
                    {i > 0 ? ', ' : null}
                    <a href={article.url} target="_blank" rel="noopener noreferrer" data-testid="draft-article">
                      {article.title}
                    </a>
                  </span>
                ))}
              </span>
            ) : null}
          </>
        ) : (
          <span>{notice.text}</span>
        )}
      </div>
      <button type="button" className="chip-remove" onClick={draft.dismiss} aria-label={t('draft.dismiss')} data-testid="draft-dismiss">
        <CloseIcon size={12} />
      </button>
    </div>
  );
}
