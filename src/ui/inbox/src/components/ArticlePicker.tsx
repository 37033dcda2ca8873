import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { api } from '../api';
import { useI18n } from '../context';
import { customerLang, excerpt, insertSnippet, kbLangs, snippetOf, type KbLang } from '../kb';
import { LockIcon, SearchIcon } from '../icons';
import type { ArticleHit, Conversation } from '../types';
import { errorText } from '../util';
import { Spinner } from './common';
import { BookIcon } from './KnowledgePage';

/** Searching waits for a pause in typing this long: one request per word, not per key. */
const SEARCH_DEBOUNCE_MS = 200;
const RESULTS = 8;
/** How far back the customer's language is read from. */
const LANGUAGE_SAMPLE = 30;

interface Props {
  conversation: Pick<Conversation, 'id' | 'channelKind' | 'subject'>;
  /** The composer's textarea: the article goes in at its cursor (or over its selection). */
  textarea: RefObject<HTMLTextAreaElement | null>;
  setText: (text: string) => void;
}

type Results = { state: 'idle' } | { state: 'loading' } | { state: 'error'; text: string } | { state: 'done'; items: ArticleHit[] };

/**
 * "Insert article": searches the knowledge base as the agent types (in the customer's language,
 * for the conversation's channel) and puts the article's title, a short excerpt and its public
 * link into the reply at the cursor, for the agent to edit before sending. Arrows choose, Enter
 * inserts, Escape closes.
 */
export function ArticlePicker({ conversation, textarea, setText }: Props) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [q, setQ] = useState('');
  /** The language the agent picked; null follows the customer's. */
  const [chosenLang, setChosenLang] = useState<KbLang | null>(null);
  const [theirLang, setTheirLang] = useState<KbLang | null>(null);
  const [results, setResults] = useState<Results>({ state: 'idle' });
  const [active, setActive] = useState(0);
  const root = useRef<HTMLSpanElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const listId = useId();
  const lang: KbLang = chosenLang ?? theirLang ?? 'en';

  const close = useCallback(
    (refocus: boolean) => {
      setOpen(false);
      if (refocus) requestAnimationFrame(() => textarea.current?.focus());
    },
    [textarea],
  );
  // Escape goes back to the reply; a click elsewhere leaves the focus where the agent clicked.
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) close(false);
    };
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      close(true);
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open, close]);

  // The customer's language, from what they wrote: read at each opening, since they may switch.
  useEffect(() => {
    if (!open) return;
    let live = true;
    api
      .listMessages(conversation.id, { limit: LANGUAGE_SAMPLE })
      .then((page) => live && setTheirLang(customerLang(page.items, conversation.subject) ?? 'en'))
      .catch(() => live && setTheirLang('en'));
    return () => {
      live = false;
    };
  }, [open, conversation.id, conversation.subject]);

  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  useEffect(() => {
    const query = q.trim();
    if (!open || !query) {
      setResults({ state: 'idle' });
      return;
    }
    const controller = new AbortController();
    setResults((previous) => (previous.state === 'done' ? previous : { state: 'loading' }));
    const timer = setTimeout(() => {
      api
        .searchArticles({ q: query, lang, channel: conversation.channelKind, limit: RESULTS }, controller.signal)
        .then((page) => {
          setResults({ state: 'done', items: page.items });
          setActive(0);
        })
        .catch((error: unknown) => {
          if (!controller.signal.aborted) setResults({ state: 'error', text: errorText(error, t) });
        });
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [open, q, lang, conversation.channelKind, t]);

  const insert = (hit: ArticleHit) => {
    const element = textarea.current;
    const value = element?.value ?? '';
    const next = insertSnippet(value, element?.selectionStart ?? value.length, element?.selectionEnd ?? value.length, snippetOf(hit));
    setText(next.value);
    setOpen(false);
    setQ('');
    // After React has put the new text in: the cursor right after the article, ready to edit.
    requestAnimationFrame(() => {
      const target = textarea.current;
      if (!target) return;
      target.focus();
      target.setSelectionRange(next.caret, next.caret);
    });
  };

  const items = results.state === 'done' ? results.items : [];
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // An IME (Chinese input) is composing: Enter and the arrows pick its candidates.
    if (event.nativeEvent.isComposing || event.keyCode === 229) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (items.length > 0) setActive((index) => (index + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length);
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const hit = items[active];
      if (hit) insert(hit);
    }
  };

  return (
    <span className="article-picker" ref={root}>
      <button
        type="button"
        className={`button ghost small${open ? ' active' : ''}`}
        onClick={() => (open ? close(true) : setOpen(true))}
        aria-expanded={open}
        aria-haspopup="dialog"
        data-testid="kb-insert"
        title={t('kb.insert')}
      >
        <BookIcon size={16} />
        <span className="article-picker-label">{t('kb.insert')}</span>
      </button>
      {open ? (
        <div className="article-picker-panel" role="dialog" aria-label={t('kb.insert')} data-testid="kb-picker" data-lang={lang}>
          <div className="article-picker-search">
            <SearchIcon size={15} />
            <input
              ref={input}
              type="text"
              role="combobox"
              aria-expanded={items.length > 0}
              aria-controls={listId}
              aria-autocomplete="list"
              aria-activedescendant={items[active] ? `${listId}-${active}` : undefined}
              aria-label={t('kb.pickerSearch')}
              placeholder={t('kb.pickerPlaceholder')}
              value={q}
              onChange={(event) => setQ(event.target.value)}
              onKeyDown={onKeyDown}
              data-testid="kb-picker-search"
            />
            {results.state === 'loading' ? <Spinner size={12} /> : null}
          </div>
          <div className="article-picker-langs">
            <span className="muted small">{theirLang ? t(theirLang === 'zh' ? 'kb.pickerCustomerZh' : 'kb.pickerCustomerEn') : t('kb.pickerCustomerUnknown')}</span>
            <span className="spacer" />
            <div className="segmented" role="group" aria-label={t('kb.pickerLang')}>
              {kbLangs.map((code) => (
                <button
                  key={code}
                  type="button"
                  className={lang === code ? 'active' : ''}
                  aria-pressed={lang === code}
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => {
                    setChosenLang(code);
                    input.current?.focus();
                  }}
                  data-testid="kb-picker-lang"
                  data-lang={code}
                >
                  {code === 'en' ? 'EN' : '中文'}
                </button>
              ))}
            </div>
          </div>
          {results.state === 'idle' ? (
            <p className="article-picker-note muted small">{t('kb.pickerHint')}</p>
          ) : results.state === 'error' ? (
            <p className="article-picker-note form-error" role="alert">
              {results.text}
            </p>
          ) : results.state === 'done' && items.length === 0 ? (
            <p className="article-picker-note muted small" data-testid="kb-picker-none">
              {t('kb.pickerNone')}
            </p>
          ) : null}
          <ul className="article-picker-list" id={listId} role="listbox" aria-label={t('kb.pickerResults')}>
            {items.map((hit, index) => (
              <li
                key={`${hit.id}-${hit.lang}`}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                className={`article-picker-item${index === active ? ' active' : ''}`}
                data-testid="kb-picker-item"
                data-slug={hit.slug}
                data-lang={hit.lang}
                onMouseEnter={() => setActive(index)}
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => insert(hit)}
                lang={hit.lang === 'zh' ? 'zh-CN' : 'en'}
              >
                <span className="article-picker-title">
                  {hit.title}
                  {hit.lang !== lang ? <span className="mini-badge">{hit.lang === 'zh' ? '中文' : 'EN'}</span> : null}
                  {hit.audience === 'internal' ? (
                    <span className="mini-badge internal" data-testid="kb-picker-internal" title={t('kb.pickerInternalTitle')}>
                      <LockIcon size={10} />
                      {t('kb.audience.internal')}
                    </span>
                  ) : null}
                </span>
                <span className="article-picker-excerpt">{excerpt(hit.text, 120)}</span>
                <span className="article-picker-url mono">{hit.audience === 'public' ? hit.url : t('kb.pickerNoLink')}</span>
              </li>
            ))}
          </ul>
          <p className="article-picker-keys muted small" aria-hidden="true">
            {t('kb.pickerKeys')}
          </p>
        </div>
      ) : null}
    </span>
  );
}
