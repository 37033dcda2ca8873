import { memo, useCallback, useEffect, useRef } from 'react';
import { useCountdownNow, useI18n, useSession } from '../context';
import { formatDateTime, formatDuration, formatListTime } from '../i18n';
import { escalationDetail, isUrgentCase } from '../escalation';
import { ChannelIcon, ClockIcon, EscalateIcon, InboxIcon, SearchIcon } from '../icons';
import { hrefOf } from '../router';
import { conversationBadge, msUntilChange } from '../sla';
import type { Agent, Conversation } from '../types';
import { errorText } from '../util';
import { Avatar, EmptyState, PriorityBadge, Spinner, StatusBadge } from './common';
import { BotChip } from './Bot';
import { CsatChip } from './Csat';
import { SlaCountdown } from './Sla';

interface Props {
  items: Conversation[];
  state: 'loading' | 'ready' | 'error';
  error: unknown;
  selectedId: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  moreFailed: boolean;
  filtered: boolean;
  /** The empty list's text when a filter is set (default: nothing matches these filters). */
  emptyFilteredText?: string;
  showStatus: boolean;
  onLoadMore: () => void;
  onRetry: () => void;
  onClearFilters: () => void;
}

export function ConversationList(props: Props) {
  const { t } = useI18n();
  const { agents } = useSession();
  // One timer for every row: relative times every 30 s, countdowns on the instant one changes.
  const untilChange = useCallback(
    (at: number) =>
      props.items.reduce((soonest, c) => {
        const badge = conversationBadge(c, at);
        return badge ? Math.min(soonest, msUntilChange([badge.clock], at)) : soonest;
      }, Infinity),
    [props.items],
  );
  const now = useCountdownNow(untilChange);
  const scroller = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const onLoadMore = useRef(props.onLoadMore);
  onLoadMore.current = props.onLoadMore;

  // Infinite scroll: load the next page when the end of the list comes into view.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !props.hasMore || props.moreFailed) return;
    const observer = new IntersectionObserver((entries) => entries.some((entry) => entry.isIntersecting) && onLoadMore.current(), {
      root: scroller.current,
      rootMargin: '200px',
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [props.hasMore, props.moreFailed, props.items.length, props.state]);

  // Keep the selected conversation visible when j/k move the selection.
  useEffect(() => {
    if (!props.selectedId || !scroller.current) return;
    const element = scroller.current.querySelector<HTMLElement>(`[data-id="${CSS.escape(props.selectedId)}"]`);
    element?.scrollIntoView({ block: 'nearest' });
  }, [props.selectedId]);

  const agentById = new Map(agents.map((agent) => [agent.id, agent]));

  let body;
  if (props.state === 'loading') {
    body = (
      <ul className="conversation-items" aria-busy="true">
        {Array.from({ length: 7 }, (_, index) => (
          <li key={index} className="conversation-skeleton">
            <span className="sk sk-circle" />
            <span className="sk-lines">
              <span className="sk sk-line" style={{ width: `${55 + ((index * 17) % 30)}%` }} />
              <span className="sk sk-line" style={{ width: `${70 + ((index * 11) % 25)}%` }} />
              <span className="sk sk-line short" />
            </span>
          </li>
        ))}
      </ul>
    );
  } else if (props.state === 'error') {
    body = (
      <EmptyState title={t('list.loadFailed', { message: errorText(props.error, t) })}>
        <button type="button" className="button small" onClick={props.onRetry}>
          {t('common.retry')}
        </button>
      </EmptyState>
    );
  } else if (props.items.length === 0) {
    body = (
      <EmptyState testId="list-empty" icon={props.filtered ? <SearchIcon size={28} /> : <InboxIcon size={28} />} title={t('list.emptyTitle')}>
        <p>{props.filtered ? (props.emptyFilteredText ?? t('list.emptyFiltered')) : t('list.emptyOpen')}</p>
        {props.filtered ? (
          <button type="button" className="button small" onClick={props.onClearFilters}>
            {t('filter.clear')}
          </button>
        ) : null}
      </EmptyState>
    );
  } else {
    body = (
      <>
        <ul className="conversation-items">
          {props.items.map((conversation) => (
            <ConversationItem
              key={conversation.id}
              conversation={conversation}
              selected={conversation.id === props.selectedId}
              assignee={conversation.assigneeId ? agentById.get(conversation.assigneeId) : undefined}
              escalated={conversation.escalation && !isUrgentCase(conversation.escalation) ? escalationDetail(conversation.escalation, agents, t) : null}
              now={now}
              showStatus={props.showStatus}
            />
          ))}
        </ul>
        <div ref={sentinel} className="list-footer">
          {props.loadingMore ? (
            <>
              <Spinner size={14} /> {t('list.loadingMore')}
            </>
          ) : props.moreFailed ? (
            <button type="button" className="button small" onClick={props.onLoadMore}>
              {t('common.retry')}
            </button>
          ) : !props.hasMore && props.items.length > 8 ? (
            <span className="muted">{t('list.end')}</span>
          ) : null}
        </div>
      </>
    );
  }

  return (
    <div className="conversation-list" ref={scroller} data-testid="conversation-list" aria-label={t('list.label')}>
      {body}
    </div>
  );
}

const ConversationItem = memo(function ConversationItem({
  conversation: c,
  selected,
  assignee,
  escalated,
  now,
  showStatus,
}: {
  conversation: Conversation;
  selected: boolean;
  assignee: Agent | undefined;
  /** An escalation to a supervisor, worded (who, to whom, why); wallet safety's urgent cases show as urgent already. */
  escalated: string | null;
  now: number;
  showStatus: boolean;
}) {
  const { t, lang } = useI18n();
  const unread = c.unread === true;
  const waitingMs = c.waitingSince && c.status !== 'resolved' ? now - new Date(c.waitingSince).getTime() : null;
  const classes = ['conversation-item', selected ? 'selected' : '', unread ? 'unread' : '', c.priority === 'urgent' ? 'urgent' : ''].filter(Boolean).join(' ');
  const labelsShown = c.labels.slice(0, 2);
  const badge = conversationBadge(c, now);
  return (
    <li>
      <a
        href={hrefOf({ page: 'inbox', conversationId: c.id })}
        className={classes}
        data-testid="conversation-item"
        data-id={c.id}
        data-unread={unread ? 'true' : 'false'}
        data-status={c.status}
        aria-current={selected ? 'true' : undefined}
      >
        <span className="ci-avatar">
          <Avatar name={c.contact.name} seed={c.contact.id} size={36} />
          <span className="ci-channel">
            <ChannelIcon kind={c.channelKind} size={11} title={t(`kind.${c.channelKind}`)} />
          </span>
        </span>
        <span className="ci-body">
          <span className="ci-row">
            <span className="ci-name">{c.contact.name}</span>
            {unread ? <span className="unread-dot" role="img" aria-label={t('list.unread')} /> : null}
            <time className="ci-time" dateTime={c.lastMessageAt} title={formatDateTime(c.lastMessageAt, lang)}>
              {formatListTime(c.lastMessageAt, now, lang, t)}
            </time>
          </span>
          <span className="ci-preview">{c.lastMessagePreview || c.subject || t('list.noPreview')}</span>
          <span className="ci-row ci-meta">
            {badge ? <SlaCountdown badge={badge} /> : null}
            {waitingMs !== null ? (
              <span className={`waiting${waitingMs > 3_600_000 ? ' late' : ''}`} title={t('list.waitingTitle', { time: formatDateTime(c.waitingSince!, lang) })}>
                <ClockIcon size={12} />
                {formatDuration(waitingMs, t)}
              </span>
            ) : null}
            {showStatus ? <StatusBadge status={c.status} /> : null}
            {c.handledBy === 'bot' ? <BotChip /> : null}
            {c.csat ? <CsatChip csat={c.csat} /> : null}
            <PriorityBadge priority={c.priority} compact />
            {escalated && c.escalation ? (
              <span className="badge escalated-pill" data-testid="escalated-badge" data-level={c.escalation.level} title={escalated}>
                <EscalateIcon size={11} />
                {t('list.escalatedLevel', { level: c.escalation.level })}
                <span className="visually-hidden">{`: ${escalated}`}</span>
              </span>
            ) : null}
            {c.labels.length > 0 ? (
              <span className="ci-labels">
                {labelsShown.map((label) => (
                  <span key={label} className="label-pill" title={label}>
                    {label}
                  </span>
                ))}
                {c.labels.length > labelsShown.length ? <span className="label-pill more">{t('list.moreLabels', { n: c.labels.length - labelsShown.length })}</span> : null}
              </span>
            ) : null}
            <span className="ci-spacer" />
            {assignee ? <Avatar name={assignee.name} seed={assignee.id} size={20} title={t('list.assignedTo', { name: assignee.name })} /> : null}
          </span>
        </span>
      </a>
    </li>
  );
});
