import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n, useSession, useToast } from '../context';
import { agentName } from '../escalation';
import { formatDateTime } from '../i18n';
import { ChannelIcon, CheckIcon, ChevronDownIcon, ChevronLeftIcon, CloseIcon, FlagIcon, PanelRightIcon, ReopenIcon, SnoozeIcon, TagIcon, TeamIcon, UserIcon } from '../icons';
import { priorities, type Channel, type Conversation, type ConversationPatch, type EscalationReason, type Priority } from '../types';
import { labelProblem, snoozeTime } from '../util';
import { Avatar, Spinner, StatusBadge, onMenuArrowKeys, useDismiss } from './common';
import { BotBanner } from './Bot';
import { CsatSummary } from './Csat';
import { EscalateMenu } from './Escalation';
import { SlaClocks } from './Sla';
import type { MessageKey } from '../i18n';

interface Props {
  conversation: Conversation;
  channel: Channel | undefined;
  onUpdate: (patch: ConversationPatch) => Promise<Conversation | null>;
  /** Moves it to a team's queue (null: no team). */
  onMoveToTeam: (teamId: string | null) => Promise<Conversation | null>;
  /** Escalates it one level up; null when refused (the agent was told why). */
  onEscalate: (reason: EscalationReason) => Promise<Conversation | null>;
  /** Takes it over from the FAQ bot; null when refused (the agent was told why). */
  onTakeOver: () => Promise<Conversation | null>;
  panelOpen: boolean;
  onTogglePanel: () => void;
}

type SnoozePreset = '1h' | 'tomorrow' | 'next-week';
const presets: { preset: SnoozePreset; label: MessageKey; testId: string }[] = [
  { preset: '1h', label: 'actions.snooze1h', testId: 'snooze-1h' },
  { preset: 'tomorrow', label: 'actions.snoozeTomorrow', testId: 'snooze-tomorrow' },
  { preset: 'next-week', label: 'actions.snoozeNextWeek', testId: 'snooze-next-week' },
];

export function ConversationHeader({ conversation: c, channel, onUpdate, onMoveToTeam, onEscalate, onTakeOver, panelOpen, onTogglePanel }: Props) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const { me, agents, teams, reloadTeams } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [snoozeOpen, setSnoozeOpen] = useState(false);
  const [labelDraft, setLabelDraft] = useState('');
  const [labelError, setLabelError] = useState<MessageKey | null>(null);
  const snoozeBox = useRef<HTMLDivElement>(null);
  const snoozeButton = useRef<HTMLButtonElement>(null);
  useDismiss(snoozeOpen, snoozeBox, () => {
    setSnoozeOpen(false);
    snoozeButton.current?.focus();
  });
  useEffect(() => {
    if (snoozeOpen) snoozeBox.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
  }, [snoozeOpen]);

  // A team made since the teams were loaded (by another admin): fetch them again, once per team.
  const askedFor = useRef(new Set<string>());
  const unknownTeam = c.teamId !== null && !teams.some((team) => team.id === c.teamId);
  useEffect(() => {
    if (!unknownTeam || !c.teamId || askedFor.current.has(c.teamId)) return;
    askedFor.current.add(c.teamId);
    void reloadTeams();
  }, [unknownTeam, c.teamId, reloadTeams]);

  const perform = async (what: string, action: () => Promise<Conversation | null>, success?: (updated: Conversation) => string) => {
    setBusy(what);
    const updated = await action();
    setBusy(null);
    if (updated && success) toast('success', success(updated));
    return updated;
  };
  const run = (what: string, patch: ConversationPatch, success?: (updated: Conversation) => string) => perform(what, () => onUpdate(patch), success);

  const escalate = (reason: EscalationReason) =>
    void perform(
      'escalate',
      () => onEscalate(reason),
      (u) => {
        const to = u.escalation?.assignedTo;
        return t('escalate.done', { name: to ? agentName(to, agents, t) : t('common.none'), level: u.escalation?.level ?? 1 });
      },
    );

  const snooze = async (preset: SnoozePreset) => {
    setSnoozeOpen(false);
    const until = snoozeTime(preset).toISOString();
    await run('snooze', { status: 'snoozed', snoozedUntil: until }, (u) => t('actions.snoozed', { time: formatDateTime(u.snoozedUntil ?? until, lang) }));
  };

  const addLabel = async () => {
    const label = labelDraft.trim();
    if (!label) return;
    const problem = labelProblem(label) ?? (c.labels.includes(label) ? 'actions.labelDuplicate' : c.labels.length >= 20 ? 'actions.labelMax' : null);
    if (problem) {
      setLabelError(problem);
      return;
    }
    setLabelError(null);
    const updated = await run('labels', { labels: [...c.labels, label] });
    if (updated) setLabelDraft('');
  };

  const onLabelKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void addLabel();
    }
  };

  // Offer active agents, plus the current assignee even if since deactivated.
  const assignable = agents.filter((agent) => agent.active || agent.id === c.assigneeId);
  const unknownAssignee = c.assigneeId !== null && !agents.some((agent) => agent.id === c.assigneeId);
  const channelName = channel?.name ?? t(`kind.${c.channelKind}`);

  return (
    <header className="conv-header">
      <div className="conv-title-row">
        <a className="icon-button back-button" href="#/conversations" aria-label={t('view.back')}>
          <ChevronLeftIcon size={18} />
        </a>
        <Avatar name={c.contact.name} seed={c.contact.id} size={36} />
        <div className="conv-title">
          <h2 title={c.contact.name}>{c.contact.name}</h2>
          <div className="conv-sub">
            <ChannelIcon kind={c.channelKind} size={13} />
            <span className="conv-channel" title={t('view.via', { channel: channelName })}>
              {channelName}
            </span>
            <StatusBadge status={c.status} testId="conversation-status" />
            {c.status === 'snoozed' && c.snoozedUntil ? <span className="muted small">{t('actions.snoozedUntil', { time: formatDateTime(c.snoozedUntil, lang) })}</span> : null}
          </div>
        </div>
        <div className="conv-primary-actions">
          {c.status !== 'resolved' ? <EscalateMenu busy={busy === 'escalate'} disabled={busy !== null} onEscalate={escalate} /> : null}
          {c.status !== 'resolved' ? (
            <div className="menu-anchor" ref={snoozeBox}>
              <button
                ref={snoozeButton}
                type="button"
                className="button"
                onClick={() => setSnoozeOpen((open) => !open)}
                aria-haspopup="menu"
                aria-label={t('actions.snooze')}
                aria-expanded={snoozeOpen}
                disabled={busy !== null}
                data-testid="action-snooze"
              >
                {busy === 'snooze' ? <Spinner size={12} /> : <SnoozeIcon size={15} />}
                <span className="collapse-label">{t('actions.snooze')}</span>
                <ChevronDownIcon size={14} />
              </button>
              {snoozeOpen ? (
                <div className="menu" role="menu" aria-label={t('actions.snooze')} onKeyDown={onMenuArrowKeys}>
                  {presets.map(({ preset, label, testId }) => (
                    <button key={preset} type="button" role="menuitem" className="menu-item" onClick={() => void snooze(preset)} data-testid={testId}>
                      <span>{t(label)}</span>
                      <span className="menu-hint">{formatDateTime(snoozeTime(preset).toISOString(), lang)}</span>
                    </button>
                  ))}
                </div>
              ) : null}
            </div>
          ) : null}
          {c.status === 'resolved' || c.status === 'snoozed' ? (
            <button
              type="button"
              className={`button${c.status === 'resolved' ? ' primary' : ''}`}
              onClick={() => void run('reopen', { status: 'open' }, () => t('actions.reopened'))}
              disabled={busy !== null}
              data-testid="action-reopen"
            >
              {busy === 'reopen' ? <Spinner size={12} /> : <ReopenIcon size={15} />}
              <span>{t('actions.reopen')}</span>
            </button>
          ) : null}
          {c.status !== 'resolved' ? (
            <button
              type="button"
              className="button primary"
              onClick={() => void run('resolve', { status: 'resolved' }, () => t('actions.resolved'))}
              disabled={busy !== null}
              data-testid="action-resolve"
              title={`${t('actions.resolve')} (e)`}
            >
              {busy === 'resolve' ? <Spinner size={12} /> : <CheckIcon size={15} />}
              <span>{t('actions.resolve')}</span>
            </button>
          ) : null}
          <button
            type="button"
            className={`icon-button panel-toggle${panelOpen ? ' active' : ''}`}
            onClick={onTogglePanel}
            aria-pressed={panelOpen}
            aria-label={panelOpen ? t('view.hidePanel') : t('view.showPanel')}
            title={panelOpen ? t('view.hidePanel') : t('view.showPanel')}
          >
            <PanelRightIcon size={18} />
          </button>
        </div>
      </div>
      <div className="conv-toolbar" role="group" aria-label={t('actions.toolbar')}>
        <div className="tool">
          <UserIcon size={14} />
          <select
            value={c.assigneeId ?? ''}
            onChange={(event) => void run('assign', { assigneeId: event.target.value || null })}
            aria-label={t('actions.assignee')}
            data-testid="assign-select"
            disabled={busy === 'assign'}
          >
            <option value="">{t('actions.unassigned')}</option>
            {assignable.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.active ? agent.name : t('actions.inactive', { name: agent.name })}
              </option>
            ))}
            {unknownAssignee ? <option value={c.assigneeId!}>{c.assigneeId}</option> : null}
          </select>
          <button
            type="button"
            className="link-button"
            onClick={() => void run('assign', { assigneeId: me.id })}
            disabled={busy === 'assign'}
            data-testid="assign-me"
            aria-pressed={c.assigneeId === me.id}
          >
            {t('actions.assignMe')}
          </button>
        </div>
        <div className="tool">
          <TeamIcon size={14} />
          <select
            value={c.teamId ?? ''}
            onChange={(event) => void perform('team', () => onMoveToTeam(event.target.value || null))}
            aria-label={t('actions.team')}
            title={t('actions.team')}
            data-testid="team-select"
            disabled={busy === 'team'}
          >
            <option value="">{t('actions.noTeam')}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
            {unknownTeam ? <option value={c.teamId!}>{t('teams.unknownTeam', { id: c.teamId! })}</option> : null}
          </select>
        </div>
        <div className="tool">
          <FlagIcon size={14} />
          <select
            value={c.priority}
            onChange={(event) => void run('priority', { priority: event.target.value as Priority })}
            aria-label={t('actions.priority')}
            data-testid="priority-select"
            className={`priority-select p-${c.priority}`}
            disabled={busy === 'priority'}
          >
            {priorities.map((priority) => (
              <option key={priority} value={priority}>
                {t(`priority.${priority}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="tool labels-tool">
          <TagIcon size={14} />
          <ul className="label-chips" aria-label={t('actions.labels')}>
            {c.labels.map((label) => (
              <li key={label} className="label-chip" data-testid="label-chip" data-label={label}>
                <span>{label}</span>
                <button
                  type="button"
                  className="chip-remove"
                  onClick={() => void run('labels', { labels: c.labels.filter((l) => l !== label) })}
                  aria-label={t('actions.removeLabel', { label })}
                  data-testid="label-remove"
                  disabled={busy === 'labels'}
                >
                  <CloseIcon size={11} />
                </button>
              </li>
            ))}
          </ul>
          <input
            type="text"
            className={`label-input${labelError ? ' invalid' : ''}`}
            value={labelDraft}
            onChange={(event) => {
              setLabelDraft(event.target.value);
              if (labelError) setLabelError(null);
            }}
            onKeyDown={onLabelKey}
            placeholder={`+ ${t('actions.addLabel')}`}
            aria-label={t('actions.addLabel')}
            aria-invalid={labelError ? true : undefined}
            aria-describedby={labelError ? 'label-error' : undefined}
            maxLength={60}
            data-testid="labels-input"
          />
        </div>
      </div>
      {labelError ? (
        <p className="field-error" id="label-error" role="alert">
          {t(labelError)}
        </p>
      ) : null}
      {c.handledBy === 'bot' ? <BotBanner busy={busy === 'take-over'} onTakeOver={() => void perform('take-over', onTakeOver, () => t('bot.takenOver'))} /> : null}
      {c.sla && c.sla.clocks.length > 0 ? <SlaClocks sla={c.sla} /> : null}
      {c.csat ? <CsatSummary csat={c.csat} /> : null}
    </header>
  );
}
