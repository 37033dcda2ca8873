import { useEffect, useId, useRef, useState } from 'react';
import { useI18n, useSession } from '../context';
import { escalationDetail, isUrgentCase } from '../escalation';
import { formatDateTime } from '../i18n';
import { AlertIcon, ChevronDownIcon, EscalateIcon } from '../icons';
import { escalationReasons, type Escalation, type EscalationReason } from '../types';
import { Spinner, onMenuArrowKeys, useDismiss } from './common';

/**
 * Above the composer: why the conversation is escalated, before anyone answers — wallet safety's
 * urgent case, or who handed it to whom, at which level and why.
 */
export function EscalationBanner({ escalation }: { escalation: Escalation }) {
  const { t, lang } = useI18n();
  const { agents } = useSession();
  const data = { 'data-testid': 'escalation', 'data-reason': escalation.reason, 'data-level': escalation.level, 'data-assigned-to': escalation.assignedTo ?? '' };
  if (isUrgentCase(escalation)) {
    return (
      <div className="reply-window soon escalated" role="note" {...data}>
        <AlertIcon size={14} />
        <strong>{t('escalation.banner')}</strong>
        <span>{escalation.reason === 'secret-exposed' ? t('escalation.secret-exposed') : t('escalation.triage')}</span>
      </div>
    );
  }
  return (
    <div className="reply-window soon escalated" role="note" {...data}>
      <EscalateIcon size={14} />
      <strong>{t('escalation.level', { level: escalation.level })}</strong>
      <span className="escalation-detail">{escalationDetail(escalation, agents, t)}</span>
      <time className="escalation-time" dateTime={escalation.at}>
        {formatDateTime(escalation.at, lang)}
      </time>
    </div>
  );
}

/** The header's Escalate action: a menu of the reasons; each escalates one level up at once. */
export function EscalateMenu({ busy, disabled, onEscalate }: { busy: boolean; disabled: boolean; onEscalate: (reason: EscalationReason) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const hintId = useId();
  useDismiss(open, box, () => {
    setOpen(false);
    button.current?.focus();
  });
  useEffect(() => {
    if (open) box.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [open]);

  const choose = (reason: EscalationReason) => {
    setOpen(false);
    button.current?.focus();
    onEscalate(reason);
  };

  return (
    <div className="menu-anchor" ref={box}>
      <button
        ref={button}
        type="button"
        className="button"
        onClick={() => setOpen((value) => !value)}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={t('escalate.action')}
        title={t('escalate.menu')}
        disabled={disabled}
        data-testid="escalate"
      >
        {busy ? <Spinner size={12} /> : <EscalateIcon size={15} />}
        <span className="collapse-label">{t('escalate.action')}</span>
        <ChevronDownIcon size={14} />
      </button>
      {open ? (
        <div className="menu" role="menu" aria-label={t('escalate.menu')} aria-describedby={hintId} onKeyDown={onMenuArrowKeys} data-testid="escalate-menu">
          <div className="menu-head" role="presentation">
            <span className="menu-title">{t('escalate.menu')}</span>
            <span className="menu-note" id={hintId}>
              {t('escalate.hint')}
            </span>
          </div>
          {escalationReasons.map((reason) => (
            <button key={reason} type="button" role="menuitem" className="menu-item" onClick={() => choose(reason)} data-testid={`escalate-reason-${reason}`}>
              <span>{t(`escalate.reason.${reason}`)}</span>
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
