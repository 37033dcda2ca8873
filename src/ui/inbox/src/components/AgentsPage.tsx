import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { useI18n, useSession, useToast } from '../context';
import { formatDate, type MessageKey } from '../i18n';
import { UserPlusIcon } from '../icons';
import type { Agent, AgentRole } from '../types';
import { errorText } from '../util';
import { Avatar, EmptyState, Spinner } from './common';

function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

export function AgentsPage() {
  const { t, lang } = useI18n();
  const toast = useToast();
  const { me, agents, reloadAgents } = useSession();
  const [loaded, setLoaded] = useState(false);
  const [toggling, setToggling] = useState<string | null>(null);

  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Exclude<AgentRole, 'bot'>>('agent');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    document.title = `${t('agents.title')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => {
    void reloadAgents().finally(() => setLoaded(true));
  }, [reloadAgents]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    let problem: MessageKey | null = null;
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/u.test(email.trim())) problem = 'agents.invalidEmail';
    else if (!name.trim()) problem = 'agents.nameRequired';
    else if (password.length < 8) problem = 'agents.passwordShort';
    if (problem) {
      setFormError(t(problem));
      return;
    }
    setCreating(true);
    setFormError(null);
    try {
      const agent = await api.createAgent({ email: email.trim(), name: name.trim(), role, password });
      toast('success', t('agents.created', { name: agent.name }));
      setEmail('');
      setName('');
      setPassword('');
      setRole('agent');
      setShowPassword(false);
      await reloadAgents();
    } catch (error) {
      setFormError(errorText(error, t));
    } finally {
      setCreating(false);
    }
  };

  const toggle = async (agent: Agent) => {
    setToggling(agent.id);
    try {
      const updated = await api.setAgentActive(agent.id, !agent.active);
      toast('success', t(updated.active ? 'agents.reactivated' : 'agents.deactivated', { name: updated.name }));
      await reloadAgents();
    } catch (error) {
      toast('error', errorText(error, t));
    } finally {
      setToggling(null);
    }
  };

  const activeCount = agents.filter((a) => a.active).length;

  return (
    <div className="page" data-testid="agents-page">
      <div className="page-head">
        <div>
          <h1>{t('agents.title')}</h1>
          <p className="muted">{t('agents.subtitle')}</p>
        </div>
      </div>
      <div className="page-grid">
        <section className="card">
          <div className="card-head">
            <span className="muted small">{t('agents.count', { n: agents.length, active: activeCount })}</span>
          </div>
          {!loaded && agents.length === 0 ? (
            <div className="pane-center">
              <Spinner size={18} label={t('common.loading')} />
            </div>
          ) : agents.length === 0 ? (
            <EmptyState title={t('agents.empty')} />
          ) : (
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">{t('agents.name')}</th>
                    <th scope="col">{t('agents.role')}</th>
                    <th scope="col">{t('agents.status')}</th>
                    <th scope="col">{t('agents.added')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('agents.status')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {agents.map((agent) => {
                    const self = agent.id === me.id;
                    return (
                      <tr key={agent.id} data-testid="agent-row" data-email={agent.email} data-active={agent.active ? 'true' : 'false'} className={agent.active ? '' : 'inactive'}>
                        <td>
                          <div className="agent-cell">
                            <Avatar name={agent.name} seed={agent.id} size={32} />
                            <div>
                              <div className="agent-name">
                                {agent.name}
                                {self ? <span className="mini-badge">{t('agents.you')}</span> : null}
                              </div>
                              <div className="muted small">{agent.email}</div>
                            </div>
                          </div>
                        </td>
                        <td>
                          <span className={`badge role-${agent.role}`}>{t(`role.${agent.role}`)}</span>
                        </td>
                        <td>
                          <span className={`badge ${agent.active ? 'health-ok' : 'health-paused'}`}>
                            <span className="dot" aria-hidden="true" />
                            {agent.active ? t('agents.active') : t('agents.inactive')}
                          </span>
                        </td>
                        <td className="muted small nowrap">{formatDate(agent.createdAt, lang)}</td>
                        <td className="actions-cell">
                          <button
                            type="button"
                            className={`button small${agent.active ? ' danger-outline' : ''}`}
                            onClick={() => void toggle(agent)}
                            disabled={self || toggling === agent.id}
                            title={self ? t('agents.cannotSelf') : undefined}
                            data-testid="agent-toggle-active"
                          >
                            {toggling === agent.id ? <Spinner size={12} /> : null}
                            {agent.active ? t('agents.deactivate') : t('agents.reactivate')}
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section className="card form-card" aria-labelledby="invite-title">
          <h2 id="invite-title">
            <UserPlusIcon size={18} />
            {t('agents.invite')}
          </h2>
          <p className="muted small">{t('agents.inviteText')}</p>
          <form onSubmit={create} noValidate>
            <label className="field">
              <span>{t('agents.email')}</span>
              <input type="email" value={email} onChange={(event) => setEmail(event.target.value)} autoComplete="off" data-testid="agent-create-email" maxLength={320} />
            </label>
            <label className="field">
              <span>{t('agents.name')}</span>
              <input type="text" value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" data-testid="agent-create-name" maxLength={100} />
            </label>
            <label className="field">
              <span>{t('agents.role')}</span>
              <select value={role} onChange={(event) => setRole(event.target.value as Exclude<AgentRole, 'bot'>)} data-testid="agent-create-role">
                <option value="agent">{t('role.agent')}</option>
                <option value="admin">{t('role.admin')}</option>
              </select>
            </label>
            <label className="field">
              <span>{t('agents.password')}</span>
              <span className="input-with-button">
                <input
                  type={showPassword ? 'text' : 'password'}
                  value={password}
                  onChange={(event) => setPassword(event.target.value)}
                  autoComplete="new-password"
                  data-testid="agent-create-password"
                  aria-describedby="password-hint"
                />
                <button
                  type="button"
                  className="button small"
                  onClick={() => {
                    setPassword(generatePassword());
                    setShowPassword(true);
                  }}
                >
                  {t('agents.generate')}
                </button>
              </span>
              <span className="hint" id="password-hint">
                {t('agents.passwordHint')}
              </span>
            </label>
            {formError ? (
              <p className="form-error" role="alert">
                {formError}
              </p>
            ) : null}
            <button type="submit" className="button primary block" disabled={creating} data-testid="agent-create-submit">
              {creating ? <Spinner size={12} /> : null}
              {creating ? t('agents.creating') : t('agents.create')}
            </button>
          </form>
        </section>
      </div>
    </div>
  );
}
