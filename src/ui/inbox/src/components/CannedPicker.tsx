import { useEffect, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import { api } from '../api';
import { cannedReplies, pickerMatches, slashQuery } from '../canned';
import { useI18n, useToast } from '../context';
import type { Canned } from '../types';
import { errorText } from '../util';
import { Spinner } from './common';

interface Options {
  textarea: RefObject<HTMLTextAreaElement | null>;
  text: string;
  setText: (text: string) => void;
  conversationId: string;
}

/**
 * The composer's `/` picker (issue 16): typing `/` at the start of the text or after a space
 * lists the canned replies whose shortcut or title match what follows; arrows choose, Enter or
 * Tab puts the reply — filled in by the server for this conversation — in place of the `/query`,
 * Esc closes it. It listens on the composer's textarea itself, ahead of the composer's own keys
 * (Enter sends there), so the composer only calls this hook and shows what it returns.
 */
export function useCannedPicker({ textarea, text, setText, conversationId }: Options): ReactNode {
  const { t } = useI18n();
  const toast = useToast();
  /** The `/query` the caret is in; null most of the time, so typing ordinary text renders nothing more. */
  const [token, setToken] = useState<{ start: number; query: string } | null>(null);
  const [focused, setFocused] = useState(false);
  const [items, setItems] = useState<Canned[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [active, setActive] = useState(0);
  /** Where the `/query` the agent closed with Esc starts: it stays closed until another one. */
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [inserting, setInserting] = useState(false);
  const caretAfterInsert = useRef<number | null>(null);

  const open = focused && token !== null && token.start !== dismissed;
  const matches = open && items ? pickerMatches(items, token.query) : [];

  const follow = (element: HTMLTextAreaElement): void => {
    const at = element.selectionStart === element.selectionEnd ? element.selectionStart : -1;
    const next = at >= 0 ? slashQuery(element.value, at) : null;
    setToken((previous) => (previous?.start === next?.start && previous?.query === next?.query ? previous : next && { start: next.start, query: next.query }));
  };

  useEffect(() => {
    const element = textarea.current;
    if (!element) return;
    const track = () => follow(element);
    const focus = () => {
      setFocused(true);
      track();
    };
    const blur = () => setFocused(false);
    // Not `input`: a state update there would render before React's own onChange and undo the
    // keystroke in the controlled textarea. The caret after typing is read once React has the text.
    const events = ['keyup', 'click', 'select'] as const;
    for (const name of events) element.addEventListener(name, track);
    element.addEventListener('focus', focus);
    element.addEventListener('blur', blur);
    if (document.activeElement === element) focus();
    return () => {
      for (const name of events) element.removeEventListener(name, track);
      element.removeEventListener('focus', focus);
      element.removeEventListener('blur', blur);
    };
  }, [textarea]);

  // Each opening asks again (answered from a cache of a minute), so a reply added meanwhile shows up.
  useEffect(() => {
    if (!open) return;
    let current = true;
    setFailed(false);
    cannedReplies()
      .then((list) => current && setItems(list))
      .catch(() => current && setFailed(true));
    return () => {
      current = false;
    };
  }, [open]);
  const loading = items === null && !failed;

  const query = token?.query;
  useEffect(() => setActive(0), [query]);
  const typing = token !== null;
  useEffect(() => {
    if (!typing) setDismissed(null);
  }, [typing]);

  // The text changed: typed (the caret is where the browser put it) or an inserted reply (after it).
  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element) return;
    const at = caretAfterInsert.current;
    if (at !== null) {
      caretAfterInsert.current = null;
      element.focus();
      element.setSelectionRange(at, at);
    }
    follow(element);
  }, [text, textarea]);

  const insert = async (item: Canned): Promise<void> => {
    if (inserting) return;
    setInserting(true);
    try {
      const rendered = await api.renderCanned(item.id, conversationId);
      const element = textarea.current;
      const current = element?.value ?? text;
      const at = element ? element.selectionStart : current.length;
      // What the agent typed meanwhile stays: the `/query` is replaced where it is now.
      const where = slashQuery(current, at) ?? { start: at, end: at };
      caretAfterInsert.current = where.start + rendered.text.length;
      setText(current.slice(0, where.start) + rendered.text + current.slice(where.end));
    } catch (error) {
      toast('error', t('canned.renderFailed', { message: errorText(error, t) }));
    } finally {
      setInserting(false);
    }
  };

  const state = useRef({ open, loading, matches, active, token, insert });
  state.current = { open, loading, matches, active, token, insert };
  useEffect(() => {
    const element = textarea.current;
    if (!element) return;
    const onKey = (event: KeyboardEvent) => {
      const s = state.current;
      // keyCode 229: an input method is composing; its keys are its own.
      if (!s.open || event.isComposing || event.keyCode === 229) return;
      const consume = () => {
        event.preventDefault();
        // Before the composer's own handler (Enter sends, Esc leaves the field) and the inbox's.
        event.stopPropagation();
      };
      if (event.key === 'Escape') {
        consume();
        setDismissed(s.token?.start ?? null);
        return;
      }
      const picks = (event.key === 'Enter' && !event.shiftKey && !event.altKey) || (event.key === 'Tab' && !event.shiftKey);
      const count = s.matches.length;
      // Still loading: Enter must not send the "/query" meant as a search.
      if (count === 0) {
        if (s.loading && picks) consume();
        return;
      }
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        consume();
        setActive((a) => (a + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
      } else if (picks) {
        consume();
        const item = s.matches[Math.min(s.active, count - 1)];
        if (item) void s.insert(item);
      }
    };
    element.addEventListener('keydown', onKey);
    return () => element.removeEventListener('keydown', onKey);
  }, [textarea]);

  if (!open || !token) return null;
  return (
    <CannedPicker
      items={matches}
      loading={loading}
      failed={failed}
      nothingSaved={items !== null && items.length === 0}
      query={token.query}
      active={Math.min(active, Math.max(0, matches.length - 1))}
      inserting={inserting}
      onHover={setActive}
      onPick={(item) => void insert(item)}
    />
  );
}

interface PickerProps {
  items: readonly Canned[];
  loading: boolean;
  failed: boolean;
  nothingSaved: boolean;
  query: string;
  active: number;
  inserting: boolean;
  onHover: (index: number) => void;
  onPick: (item: Canned) => void;
}

/** The list itself; a press on an option must not take the focus from the textarea (the picker would close). */
export function CannedPicker({ items, loading, failed, nothingSaved, query, active, inserting, onHover, onPick }: PickerProps) {
  const { t, lang } = useI18n();
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    list.current?.children[active]?.scrollIntoView({ block: 'nearest' });
  }, [active]);
  const selected = items[active];
  const keep = (event: { preventDefault(): void }) => event.preventDefault();

  let body: ReactNode;
  if (loading) body = <div className="canned-picker-note"><Spinner size={12} label={t('canned.picker.loading')} /></div>;
  else if (failed) body = <div className="canned-picker-note">{t('errors.generic')}</div>;
  else if (nothingSaved)
    body = (
      <div className="canned-picker-note">
        {t('canned.picker.empty')}{' '}
        <a href="#/canned" onMouseDown={keep}>
          {t('canned.picker.manage')}
        </a>
      </div>
    );
  else if (items.length === 0) body = <div className="canned-picker-note" data-testid="canned-picker-empty">{t('canned.picker.noMatch', { query })}</div>;
  else
    body = (
      <ul className="canned-options" role="listbox" id="canned-options" aria-label={t('canned.picker.label')} ref={list}>
        {items.map((item, index) => {
          const preview = (lang === 'zh' ? (item.variants.zh ?? item.variants.en) : (item.variants.en ?? item.variants.zh)) ?? '';
          return (
            <li
              key={item.id}
              id={`canned-option-${item.id}`}
              role="option"
              aria-selected={index === active}
              className={`canned-option${index === active ? ' active' : ''}`}
              data-testid="canned-option"
              data-shortcut={item.shortcut}
              data-scope={item.scope}
              onMouseDown={keep}
              onMouseEnter={() => onHover(index)}
              onClick={() => onPick(item)}
            >
              <span className="canned-option-head">
                <code className="canned-shortcut">/{item.shortcut}</code>
                <span className="canned-option-title">{item.title}</span>
                <span className={`mini-badge canned-scope ${item.scope}`}>{t(`canned.badge.${item.scope}`)}</span>
              </span>
              <span className="canned-option-preview">{preview}</span>
            </li>
          );
        })}
      </ul>
    );

  return (
    <div className="canned-anchor">
      <div className="canned-picker" data-testid="canned-picker" data-inserting={inserting ? 'true' : 'false'}>
        {body}
        <div className="canned-picker-foot">
          {inserting ? (
            <span>
              <Spinner size={10} /> {t('canned.picker.inserting')}
            </span>
          ) : (
            <span>{t('canned.picker.hint')}</span>
          )}
        </div>
        <span className="visually-hidden" role="status">
          {selected ? t('canned.picker.status', { n: items.length, title: `/${selected.shortcut} ${selected.title}` }) : ''}
        </span>
      </div>
    </div>
  );
}
