import { useCallback } from 'react';
import { useCountdownNow, useI18n } from '../context';
import { formatDateTime } from '../i18n';
import { ClockIcon, PauseIcon, TimerIcon } from '../icons';
import {
  clockBadge,
  clockLeftMs,
  clockState,
  formatSlaLong,
  formatSlaShort,
  msUntilChange,
  slaBadgeLabel,
  type ConversationSla,
  type SlaBadge,
  type SlaClock,
} from '../sla';

/** The list's countdown for a conversation's most urgent target; `now` comes from the list's one timer. */
export function SlaCountdown({ badge }: { badge: SlaBadge }) {
  const { t, lang } = useI18n();
  const label = slaBadgeLabel(badge, t, lang);
  const text = badge.paused && badge.state !== 'breached' ? t('sla.badge.paused') : formatSlaShort(badge.leftMs, t);
  return (
    <span
      className={`sla-badge sla-${badge.state}`}
      data-testid="sla-badge"
      data-state={badge.state}
      data-metric={badge.metric}
      data-paused={badge.paused ? 'true' : 'false'}
      role="img"
      aria-label={label}
      title={label}
    >
      {badge.paused ? <PauseIcon size={11} /> : <ClockIcon size={12} />}
      <span aria-hidden="true">{text}</span>
    </span>
  );
}

/** Every target of the conversation's service level, with its state, in the conversation header. */
export function SlaClocks({ sla }: { sla: ConversationSla }) {
  const { t } = useI18n();
  const untilChange = useCallback((at: number) => msUntilChange(sla.clocks, at), [sla]);
  const now = useCountdownNow(untilChange);
  return (
    <div className="sla-clocks" data-testid="sla-clocks" data-policy={sla.policy}>
      <span className="sla-policy" title={sla.always ? t('sla.aroundTheClock') : t('sla.businessHours')}>
        <TimerIcon size={14} />
        <span>{t('sla.policy', { policy: sla.policy })}</span>
      </span>
      <ul className="sla-clock-list" aria-label={t('sla.clocks')}>
        {sla.clocks.map((clock) => (
          <SlaClockRow key={clock.metric} clock={clock} now={now} />
        ))}
      </ul>
    </div>
  );
}

function SlaClockRow({ clock, now }: { clock: SlaClock; now: number }) {
  const { t, lang } = useI18n();
  const state = clockState(clock, now);
  const left = clockLeftMs(clock, now);
  const at = (iso: string | null) => (iso ? formatDateTime(iso, lang) : t('common.none'));
  const running = clock.state === 'running' && clock.dueAt !== null;
  let when: string;
  if (clock.state === 'met') {
    when = clock.breachedAt ? t('sla.at.metLate', { time: at(clock.metAt), due: at(clock.breachedAt) }) : t('sla.at.met', { time: at(clock.metAt) });
  } else if (running) {
    when = state === 'breached' ? t('sla.at.breached', { time: at(clock.breachedAt ?? clock.dueAt) }) : t('sla.at.due', { time: at(clock.dueAt) });
  } else if (clock.breachedAt) {
    when = t('sla.at.pausedBreached', { time: at(clock.breachedAt) });
  } else {
    when = left <= 0 ? t('sla.at.pausedOverdue', { time: formatSlaLong(left, lang) }) : t('sla.at.paused', { time: formatSlaLong(left, lang) });
  }
  const metric = t(`sla.clock.${clock.metric}`);
  const spoken = running ? slaBadgeLabel(clockBadge(clock, now), t, lang) : null;
  return (
    <li className={`sla-clock sla-${state}`} data-testid="sla-due" data-metric={clock.metric} data-state={state}>
      <span className="sla-dot" aria-hidden="true" />
      <span className="sla-clock-metric">{metric}</span>
      <span className="sla-clock-when">{when}</span>
      {running ? (
        <>
          <span className={`sla-badge sla-${state}`} aria-hidden="true" title={spoken ?? undefined}>
            {formatSlaShort(left, t)}
          </span>
          <span className="visually-hidden">{spoken}</span>
        </>
      ) : null}
    </li>
  );
}
