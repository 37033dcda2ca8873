import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { useI18n, useSession, useToast } from '../context';
import { agentName } from '../escalation';
import { ChannelIcon, PencilIcon, RefreshIcon, TeamIcon, TrashIcon } from '../icons';
import {
  channelEntry,
  channelEntryLabel,
  DEFAULT_CAPACITY,
  emptyTeamForm,
  formOfTeam,
  MAX_CAPACITY,
  offeredAgents,
  offeredKinds,
  parentChoices,
  teamBody,
  teamErrorOf,
  type TeamField,
  type TeamForm,
} from '../teams';
import type { Team } from '../types';
import { errorText } from '../util';
import { Avatar, Dialog, EmptyState, Spinner } from './common';

/** Presence changes as agents open and close the inbox: the online dots refresh this often. */
const PRESENCE_REFRESH_MS = 30_000;

/**
 * Teams (issue 14): who supervises, who is a member with what capacity and whether they are
 * online, which channels a team takes, the team above. Everyone may look; admins edit.
 */
export function TeamsPage() {
  const { t } = useI18n();
  const toast = useToast();
  const { me, teams, reloadTeams } = useSession();
  const isAdmin = me.role === 'admin';
  const [loading, setLoading] = useState(true);
  /** The team in the form: null = a new one. */
  const [editing, setEditing] = useState<Team | null>(null);
  const [deleting, setDeleting] = useState<Team | null>(null);
  const [deletingBusy, setDeletingBusy] = useState(false);

  const refresh = useCallback(async () => {
    setLoading(true);
    await reloadTeams();
    setLoading(false);
  }, [reloadTeams]);

  useEffect(() => {
    document.title = `${t('teams.title')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => document.visibilityState === 'visible' && void reloadTeams(), PRESENCE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh, reloadTeams]);

  const remove = async (team: Team) => {
    setDeletingBusy(true);
    try {
      await api.deleteTeam(team.id);
      toast('success', t('teams.deleted', { name: team.name }));
      if (editing?.id === team.id) setEditing(null);
      setDeleting(null);
      await reloadTeams();
    } catch (error) {
      toast('error', errorText(error, t));
    } finally {
      setDeletingBusy(false);
    }
  };

  const table = (
    <section className="card">
      <div className="card-head">
        <span className="muted small">{t('teams.count', { n: teams.length })}</span>
      </div>
      {teams.length === 0 ? (
        loading ? (
          <div className="pane-center">
            <Spinner size={18} label={t('common.loading')} />
          </div>
        ) : (
          <EmptyState icon={<TeamIcon size={28} />} title={t('teams.empty')} testId="teams-empty" />
        )
      ) : (
        <div className="table-scroll">
          <table className="table teams-table">
            <thead>
              <tr>
                <th scope="col">{t('teams.team')}</th>
                <th scope="col">{t('teams.supervisor')}</th>
                <th scope="col">{t('teams.members')}</th>
                <th scope="col">{t('teams.channels')}</th>
                <th scope="col">{t('teams.autoAssign')}</th>
                {isAdmin ? (
                  <th scope="col">
                    <span className="visually-hidden">{t('teams.actions')}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {teams.map((team) => (
                <TeamRow key={team.id} team={team} isAdmin={isAdmin} selected={editing?.id === team.id} onEdit={() => setEditing(team)} onDelete={() => setDeleting(team)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );

  return (
    <div className="page" data-testid="teams-page" data-admin={isAdmin ? 'true' : 'false'}>
      <div className="page-head">
        <div>
          <h1>{t('teams.title')}</h1>
          <p className="muted">{t('teams.subtitle')}</p>
          {isAdmin ? null : (
            <p className="muted small" data-testid="teams-read-only">
              {t('teams.readOnly')}
            </p>
          )}
        </div>
        <button type="button" className="button" onClick={() => void refresh()} disabled={loading}>
          {loading ? <Spinner size={12} /> : <RefreshIcon size={15} />}
          {t('teams.refresh')}
        </button>
      </div>
      {isAdmin ? (
        <div className="page-grid">
          {table}
          {/* A new key per team edited: the form starts from that team's values. */}
          <TeamEditor key={editing?.id ?? 'new'} team={editing} onDone={() => setEditing(null)} />
        </div>
      ) : (
        table
      )}
      {deleting ? (
        <Dialog title={t('teams.deleteTitle', { name: deleting.name })} onClose={() => !deletingBusy && setDeleting(null)} testId="team-delete-dialog">
          <p>{t('teams.deleteText')}</p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setDeleting(null)} disabled={deletingBusy}>
              {t('teams.cancel')}
            </button>
            <button type="button" className="button danger" onClick={() => void remove(deleting)} disabled={deletingBusy} data-testid="team-delete-confirm">
              {deletingBusy ? <Spinner size={12} /> : <TrashIcon size={15} />}
              {t('teams.deleteConfirm')}
            </button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}

function TeamRow({ team, isAdmin, selected, onEdit, onDelete }: { team: Team; isAdmin: boolean; selected: boolean; onEdit: () => void; onDelete: () => void }) {
  const { t } = useI18n();
  const { agents, channels, teams } = useSession();
  const parent = team.parentId ? teams.find((other) => other.id === team.parentId) : undefined;
  return (
    <tr data-testid="team-row" data-id={team.id} data-name={team.name} className={selected ? 'selected' : ''}>
      <td>
        <div className="agent-name">{team.name}</div>
        {team.parentId ? (
          <div className="muted small" data-testid="team-parent-name">
            {t('teams.under', { team: parent?.name ?? t('teams.unknownTeam', { id: team.parentId }) })}
          </div>
        ) : null}
      </td>
      <td className="nowrap">
        {team.supervisorId ? (
          <span className="person">
            <Avatar name={agentName(team.supervisorId, agents, t)} seed={team.supervisorId} size={22} />
            <span data-testid="team-supervisor-name">{agentName(team.supervisorId, agents, t)}</span>
          </span>
        ) : (
          <span className="muted">{t('teams.noSupervisor')}</span>
        )}
      </td>
      <td>
        {team.members.length === 0 ? (
          <span className="muted">{t('teams.noMembers')}</span>
        ) : (
          <ul className="chip-list">
            {team.members.map((member) => {
              const name = agentName(member.agentId, agents, t);
              const state = member.online ? t('teams.online') : t('teams.offline');
              return (
                <li
                  key={member.agentId}
                  className="member-chip"
                  data-testid="team-member-chip"
                  data-agent-id={member.agentId}
                  data-online={member.online ? 'true' : 'false'}
                  data-capacity={member.capacity}
                  title={t('teams.memberTitle', { name, n: member.capacity, state })}
                >
                  <span className={`presence-dot${member.online ? ' online' : ''}`} aria-hidden="true" />
                  <span className="member-name">{name}</span>
                  <span className="member-capacity" aria-hidden="true">
                    {t('teams.capacityShort', { n: member.capacity })}
                  </span>
                  <span className="visually-hidden">{`: ${t('teams.memberTitle', { name, n: member.capacity, state })}`}</span>
                </li>
              );
            })}
          </ul>
        )}
      </td>
      <td>
        {team.channels.length === 0 ? (
          <span className="muted">{t('teams.noChannels')}</span>
        ) : (
          <ul className="chip-list">
            {team.channels.map((value) => {
              const entry = channelEntry(value, channels);
              return (
                <li key={value} className={`channel-chip ${entry.type}`} data-testid="team-channel-chip" data-value={value} title={value}>
                  {entry.type === 'channel' ? <ChannelIcon kind={entry.channel.kind} size={12} /> : entry.type === 'kind' ? <ChannelIcon kind={entry.kind} size={12} /> : null}
                  <span>{channelEntryLabel(entry, t)}</span>
                </li>
              );
            })}
          </ul>
        )}
      </td>
      <td>{team.autoAssign ? t('common.yes') : t('common.no')}</td>
      {isAdmin ? (
        <td className="actions-cell nowrap">
          <button type="button" className="icon-button" onClick={onEdit} data-testid="team-edit" aria-label={t('teams.editTitle', { name: team.name })} title={t('teams.edit')}>
            <PencilIcon size={16} />
          </button>
          <button type="button" className="icon-button danger" onClick={onDelete} data-testid="team-delete" aria-label={t('teams.deleteTitle', { name: team.name })} title={t('teams.delete')}>
            <TrashIcon size={16} />
          </button>
        </td>
      ) : null}
    </tr>
  );
}

/** Create a team, or edit `team`: every field of the API's TeamInput, its refusals shown at the field. */
function TeamEditor({ team, onDone }: { team: Team | null; onDone: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const { agents, channels, teams, reloadTeams } = useSession();
  const [form, setForm] = useState<TeamForm>(() => (team ? formOfTeam(team) : emptyTeamForm()));
  const [errors, setErrors] = useState<Partial<Record<TeamField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const set = <K extends keyof TeamForm>(key: K, value: TeamForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    const field = key as TeamField;
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };
  const memberOf = (agentId: string) => form.members.find((m) => m.agentId === agentId);
  const toggleMember = (agentId: string, on: boolean) =>
    set('members', on ? [...form.members, { agentId, capacity: String(DEFAULT_CAPACITY) }] : form.members.filter((m) => m.agentId !== agentId));
  const setCapacity = (agentId: string, capacity: string) =>
    set(
      'members',
      form.members.map((m) => (m.agentId === agentId ? { ...m, capacity } : m)),
    );
  const toggleChannel = (value: string, on: boolean) => set('channels', on ? [...form.channels, value] : form.channels.filter((v) => v !== value));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = teamBody(form);
    if ('problem' in result) {
      setErrors({ [result.problem.field]: t(result.problem.key) });
      return;
    }
    setSaving(true);
    setErrors({});
    setFormError(null);
    try {
      const saved = team ? await api.updateTeam(team.id, result.body) : await api.createTeam(result.body);
      toast('success', t(team ? 'teams.saved' : 'teams.created', { name: saved.name }));
      await reloadTeams();
      if (team) onDone();
      else setForm(emptyTeamForm());
    } catch (error) {
      const { field, text } = teamErrorOf(error, t);
      if (field) setErrors({ [field]: text });
      else setFormError(text);
    } finally {
      setSaving(false);
    }
  };

  const people = offeredAgents(agents, form);
  const parents = parentChoices(teams, team?.id ?? null);
  // Channel entries the team lists that are neither a configured channel nor a kind stay visible (and removable).
  const unknownChannels = form.channels.filter((value) => channelEntry(value, channels).type === 'unknown');
  const kinds = offeredKinds(channels, form.channels);
  /** A control's hint and, when the API or the form refused its value, the error beside it. */
  const described = (field: TeamField, hint?: string) => {
    const ids = [hint, errors[field] ? `team-error-${field}` : undefined].filter(Boolean).join(' ');
    return { ...(errors[field] ? { 'aria-invalid': true as const } : {}), ...(ids ? { 'aria-describedby': ids } : {}) };
  };
  const fieldError = (field: TeamField) =>
    errors[field] ? (
      <span className="field-error" id={`team-error-${field}`} role="alert" data-testid="team-field-error" data-field={field}>
        {errors[field]}
      </span>
    ) : null;

  return (
    <section className="card form-card" aria-labelledby="team-form-title" data-testid="team-form" data-mode={team ? 'edit' : 'create'}>
      <h2 id="team-form-title">
        <TeamIcon size={18} />
        {team ? t('teams.editTitle', { name: team.name }) : t('teams.add')}
      </h2>
      <form onSubmit={submit} noValidate>
        <label className="field">
          <span>{t('teams.name')}</span>
          <input type="text" value={form.name} onChange={(event) => set('name', event.target.value)} maxLength={80} autoComplete="off" data-testid="team-name" {...described('name')} />
          {fieldError('name')}
        </label>
        <label className="field">
          <span>{t('teams.supervisor')}</span>
          <select value={form.supervisorId} onChange={(event) => set('supervisorId', event.target.value)} data-testid="team-supervisor" {...described('supervisorId', 'team-supervisor-hint')}>
            <option value="">{t('teams.noSupervisor')}</option>
            {people.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.active ? agent.name : t('actions.inactive', { name: agent.name })}
              </option>
            ))}
          </select>
          <span className="hint" id="team-supervisor-hint">
            {t('teams.supervisorHint')}
          </span>
          {fieldError('supervisorId')}
        </label>

        <fieldset className="field fieldset" aria-describedby="team-members-hint">
          <legend>{t('teams.members')}</legend>
          <span className="hint" id="team-members-hint">
            {t('teams.membersHint')}
          </span>
          <ul className="check-list members-list">
            {people.map((agent) => {
              const member = memberOf(agent.id);
              return (
                <li key={agent.id} className={`member-row${member ? ' on' : ''}`} data-testid="team-member" data-agent-id={agent.id} data-email={agent.email}>
                  <label className="check">
                    <input type="checkbox" checked={member !== undefined} onChange={(event) => toggleMember(agent.id, event.target.checked)} data-testid="team-member-toggle" aria-label={t('teams.memberToggle', { name: agent.name })} />
                    <Avatar name={agent.name} seed={agent.id} size={22} />
                    <span className="member-name">{agent.active ? agent.name : t('actions.inactive', { name: agent.name })}</span>
                  </label>
                  {member ? (
                    <input
                      type="number"
                      className="capacity-input"
                      min={0}
                      max={MAX_CAPACITY}
                      step={1}
                      value={member.capacity}
                      onChange={(event) => setCapacity(agent.id, event.target.value)}
                      aria-label={t('teams.capacityFor', { name: agent.name })}
                      title={t('teams.capacity')}
                      data-testid="team-member-capacity"
                      {...described('members')}
                    />
                  ) : null}
                </li>
              );
            })}
          </ul>
          {fieldError('members')}
        </fieldset>

        <fieldset className="field fieldset" aria-describedby="team-channels-hint">
          <legend>{t('teams.channels')}</legend>
          <span className="hint" id="team-channels-hint">
            {t('teams.channelsHint')}
          </span>
          {channels.length > 0 ? (
            <div className="check-group" role="group" aria-label={t('teams.channelIds')}>
              <span className="check-group-title">{t('teams.channelIds')}</span>
              {channels.map((channel) => (
                <label key={channel.id} className="check" data-testid="team-channel" data-value={channel.id}>
                  <input type="checkbox" checked={form.channels.includes(channel.id)} onChange={(event) => toggleChannel(channel.id, event.target.checked)} />
                  <ChannelIcon kind={channel.kind} size={14} />
                  <span>{channel.name}</span>
                  <code className="muted small">{channel.id}</code>
                </label>
              ))}
            </div>
          ) : null}
          {kinds.length > 0 ? (
            <div className="check-group" role="group" aria-label={t('teams.channelKinds')}>
              <span className="check-group-title">{t('teams.channelKinds')}</span>
              {kinds.map((kind) => (
                <label key={kind} className="check" data-testid="team-channel" data-value={kind}>
                  <input type="checkbox" checked={form.channels.includes(kind)} onChange={(event) => toggleChannel(kind, event.target.checked)} />
                  <ChannelIcon kind={kind} size={14} />
                  <span>{t('teams.kindAll', { kind: t(`kind.${kind}`) })}</span>
                </label>
              ))}
            </div>
          ) : null}
          {unknownChannels.map((value) => (
            <label key={value} className="check" data-testid="team-channel" data-value={value}>
              <input type="checkbox" checked onChange={(event) => toggleChannel(value, event.target.checked)} />
              <span>{t('teams.unknownChannel', { id: value })}</span>
            </label>
          ))}
          {fieldError('channels')}
        </fieldset>

        <label className="field">
          <span>{t('teams.parent')}</span>
          <select value={form.parentId} onChange={(event) => set('parentId', event.target.value)} data-testid="team-parent" {...described('parentId', 'team-parent-hint')}>
            <option value="">{t('teams.noParent')}</option>
            {parents.map((other) => (
              <option key={other.id} value={other.id}>
                {other.name}
              </option>
            ))}
            {form.parentId && !parents.some((other) => other.id === form.parentId) ? <option value={form.parentId}>{t('teams.unknownTeam', { id: form.parentId })}</option> : null}
          </select>
          <span className="hint" id="team-parent-hint">
            {t('teams.parentHint')}
          </span>
          {fieldError('parentId')}
        </label>

        <label className="check field-check">
          <input type="checkbox" checked={form.autoAssign} onChange={(event) => set('autoAssign', event.target.checked)} data-testid="team-auto-assign" {...described('autoAssign', 'team-auto-hint')} />
          <span>{t('teams.autoAssign')}</span>
        </label>
        <span className="hint block-hint" id="team-auto-hint">
          {t('teams.autoAssignHint')}
        </span>
        {fieldError('autoAssign')}

        {formError ? (
          <p className="form-error" role="alert" data-testid="team-form-error">
            {formError}
          </p>
        ) : null}
        <div className="form-actions">
          {team ? (
            <button type="button" className="button" onClick={onDone} disabled={saving} data-testid="team-cancel">
              {t('teams.cancel')}
            </button>
          ) : null}
          <button type="submit" className="button primary" disabled={saving} data-testid="team-submit">
            {saving ? <Spinner size={12} /> : null}
            {team ? (saving ? t('teams.saving') : t('teams.save')) : saving ? t('teams.creating') : t('teams.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
