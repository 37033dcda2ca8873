import { useEffect, useRef, type KeyboardEvent as ReactKeyboardEvent, type ReactNode, type RefObject } from 'react';
import { useI18n } from '../context';
import { languages, type Lang } from '../i18n';
import { AlertIcon } from '../icons';
import type { ChannelHealth, ConversationStatus, Priority } from '../types';
import { avatarColors, initials } from '../util';

export function Avatar({ name, seed, size = 32, title }: { name: string; seed: string; size?: number; title?: string }) {
  const colors = avatarColors(seed);
  return (
    <span
      className="avatar"
      style={{ width: size, height: size, fontSize: Math.round(size * 0.4), ...colors }}
      title={title}
      aria-hidden={title ? undefined : true}
      role={title ? 'img' : undefined}
      aria-label={title}
    >
      {initials(name)}
    </span>
  );
}

/** The language switch of the sign-in page and the top bar (the choice is stored by the context). */
export function LanguageSelect() {
  const { t, lang, setLang } = useI18n();
  return (
    <select aria-label={t('shell.language')} data-testid="language-switch" value={lang} onChange={(event) => setLang(event.target.value as Lang)}>
      {languages.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

export function Spinner({ size = 16, label }: { size?: number; label?: string }) {
  return <span className="spinner" style={{ width: size, height: size }} role={label ? 'status' : undefined} aria-label={label} />;
}

export function StatusBadge({ status, testId }: { status: ConversationStatus; testId?: string }) {
  const { t } = useI18n();
  return (
    <span className={`badge status-${status}`} data-testid={testId} data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}

export function PriorityBadge({ priority, compact = false }: { priority: Priority; compact?: boolean }) {
  const { t } = useI18n();
  if (compact && priority === 'normal') return null;
  return (
    <span className={`badge priority-${priority}`} data-priority={priority}>
      {priority === 'urgent' ? <AlertIcon size={12} /> : null}
      {t(`priority.${priority}`)}
    </span>
  );
}

export function HealthBadge({ status }: { status: ChannelHealth }) {
  const { t } = useI18n();
  return (
    <span className={`badge health-${status}`}>
      <span className="dot" aria-hidden="true" />
      {t(`health.${status}`)}
    </span>
  );
}

export function EmptyState({ icon, title, children, testId }: { icon?: ReactNode; title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId}>
      {icon ? <div className="empty-icon">{icon}</div> : null}
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-text">{children}</div> : null}
    </div>
  );
}

/** Closes on Escape or a click outside `ref`. */
export function useDismiss(open: boolean, ref: RefObject<HTMLElement | null>, close: () => void): void {
  const closeRef = useRef(close);
  closeRef.current = close;
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (ref.current && !ref.current.contains(event.target as Node)) closeRef.current();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        closeRef.current();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open, ref]);
}

/** Up and down arrows move between a menu's items, wrapping around (Enter and Space press the focused one). */
export function onMenuArrowKeys(event: ReactKeyboardEvent<HTMLElement>): void {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  event.preventDefault();
  const items = [...event.currentTarget.querySelectorAll<HTMLElement>('[role="menuitem"]')];
  const index = items.indexOf(document.activeElement as HTMLElement);
  const next = items[(index + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length];
  next?.focus();
}

/** A modal dialog: focus moves inside, Escape and the backdrop close it, focus returns after. */
export function Dialog({ title, onClose, children, testId, wide = false }: { title: string; onClose: () => void; children: ReactNode; testId?: string; wide?: boolean }) {
  const { t } = useI18n();
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        onClose();
      } else if (event.key === 'Tab' && panel.current) {
        const focusable = panel.current.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])');
        const first = focusable[0];
        const last = focusable[focusable.length - 1];
        if (!first || !last) return;
        if (event.shiftKey && document.activeElement === first) {
          event.preventDefault();
          last.focus();
        } else if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      previous?.focus?.();
    };
  }, [onClose]);
  return (
    <div className="dialog-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div className={`dialog${wide ? ' wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby="dialog-title" ref={panel} tabIndex={-1} data-testid={testId}>
        <div className="dialog-head">
          <h2 id="dialog-title">{title}</h2>
          <button type="button" className="icon-button" onClick={onClose} aria-label={t('common.close')}>
            <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
              <path d="M6 6l12 12M18 6 6 18" />
            </svg>
          </button>
        </div>
        <div className="dialog-body">{children}</div>
      </div>
    </div>
  );
}
