import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api';
import { useI18n, useSession, useToast } from '../context';
import { DEFAULT_RESPONSE_TARGETS, emptyPolicy, formOfSla, move, slaBody, slaErrorOf, targetKinds, toggles, type PolicyForm, type SlaField, type SlaForm } from '../desk-settings';
import { agentName } from '../escalation';
import { formatDateTime } from '../i18n';
import { ChannelIcon, ClockIcon, RefreshIcon, TrashIcon } from '../icons';
import { priorities, type DeskSettingsItem } from '../types';
import { errorText } from '../util';
import { Spinner } from './common';

/**
 * The desk's settings (DESIGN §10, /api/desk/settings): service levels as a form, the
 * acknowledgement and escalate-on-breach switches, wallet safety as JSON. Everyone may look;
 * admins change them.
 */
export function DeskSettingsPage() {
  const { t } = useI18n();
  const { me } = useSession();
  const isAdmin = me.role === 'admin';
  const [items, setItems] = useState<DeskSettingsItem[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      setItems((await api.listDeskSettings()).items);
      setLoadError(null);
    } catch (error) {
      setLoadError(errorText(error, t));
    }
  }, [t]);

  useEffect(() => {
    document.title = `${t('desk.title')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const item = (feature: string) => items?.find((i) => i.feature === feature);
  const replace = (next: DeskSettingsItem) => setItems((list) => (list ?? []).map((i) => (i.feature === next.feature ? next : i)));
  const sla = item('sla');
  const safety = item('safety');
  const bot = item('bot');

  return (
    <div className="page" data-testid="desk-settings-page" data-admin={isAdmin ? 'true' : 'false'}>
      <div className="page-head">
        <div>
          <h1>{t('desk.title')}</h1>
          <p className="muted">{t('desk.subtitle')}</p>
          {isAdmin ? null : (
            <p className="muted small" data-testid="desk-read-only">
              {t('desk.readOnly')}
            </p>
          )}
        </div>
        <button type="button" className="button" onClick={() => void refresh()}>
          <RefreshIcon size={15} />
          {t('desk.refresh')}
        </button>
      </div>
      {loadError ? (
        <p className="form-error" role="alert">
          {loadError}
        </p>
      ) : null}
      {items === null ? (
        <div className="pane-center">
          <Spinner size={18} label={t('common.loading')} />
        </div>
      ) : (
        <div className="desk-settings">
          <section className="card form-card" aria-labelledby="desk-toggles-title" data-testid="desk-toggles">
            <h2 id="desk-toggles-title">{t('desk.behaviour')}</h2>
            {toggles.map(({ feature, key }) => {
              const current = item(feature);
              return current ? <Toggle key={feature} item={current} settingKey={key} isAdmin={isAdmin} onSaved={replace} /> : null;
            })}
          </section>
          {bot ? <BotSettings key={`${bot.edited?.at ?? 'file'}`} item={bot} isAdmin={isAdmin} onSaved={replace} /> : null}
          {sla ? <SlaEditor key={`${sla.edited?.at ?? 'file'}`} item={sla} isAdmin={isAdmin} onSaved={replace} /> : null}
          {safety ? (
            <section className="card form-card" aria-labelledby="desk-safety-title" data-testid="desk-safety">
              <h2 id="desk-safety-title">{t('desk.safety')}</h2>
              <p className="hint">{t('desk.safetyHint')}</p>
              <Edited item={safety} />
              <pre className="json-view" data-testid="desk-safety-json">
                {JSON.stringify(safety.settings, null, 2)}
              </pre>
            </section>
          ) : null}
        </div>
      )}
    </div>
  );
}

/** "Edited by X at …" or "As in the channels file". */
function Edited({ item }: { item: DeskSettingsItem }) {
  const { t, lang } = useI18n();
  const { agents } = useSession();
  return (
    <p className="muted small" data-testid="desk-edited" data-feature={item.feature} data-edited={item.edited ? 'true' : 'false'}>
      {item.edited
        ? t('desk.editedBy', { name: item.edited.by ? agentName(item.edited.by, agents, t) : t('desk.someone'), time: formatDateTime(item.edited.at, lang) })
        : t('desk.fromFile')}
    </p>
  );
}

function Toggle({ item, settingKey, isAdmin, onSaved }: { item: DeskSettingsItem; settingKey: 'autoAck' | 'escalateOnBreach'; isAdmin: boolean; onSaved: (item: DeskSettingsItem) => void }) {
  const { t } = useI18n();
  const toast = useToast();
  /** The value being saved, shown at once; the stored one again if the API refuses it. */
  const [pending, setPending] = useState<boolean | null>(null);
  const busy = pending !== null;
  const on = pending ?? (item.settings[settingKey] === true || item.settings[settingKey] === 'true');
  const change = async (value: boolean) => {
    setPending(value);
    try {
      onSaved(await api.updateDeskSettings(item.feature, { ...item.settings, [settingKey]: value }));
      toast('success', t('desk.saved'));
    } catch (error) {
      toast('error', errorText(error, t));
    } finally {
      setPending(null);
    }
  };
  return (
    <div className="desk-toggle">
      <label className="check field-check">
        <input type="checkbox" checked={on} disabled={!isAdmin || busy} onChange={(event) => void change(event.target.checked)} data-testid={`desk-toggle-${settingKey}`} />
        <span>{t(`desk.toggle.${settingKey}`)}</span>
        {busy ? <Spinner size={12} /> : null}
      </label>
      <Edited item={item} />
    </div>
  );
}

function SlaEditor({ item, isAdmin, onSaved }: { item: DeskSettingsItem; isAdmin: boolean; onSaved: (item: DeskSettingsItem) => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [form, setForm] = useState<SlaForm>(() => formOfSla(item.settings));
  const [formError, setFormError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<Record<SlaField, string>>({});
  const [busy, setBusy] = useState<'save' | 'reset' | null>(null);
  const disabled = !isAdmin || busy !== null;

  const update = (change: (form: SlaForm) => SlaForm) => setForm((f) => change(f));
  const setPolicy = (index: number, patch: Partial<PolicyForm>) => update((f) => ({ ...f, policies: f.policies.map((p, i) => (i === index ? { ...p, ...patch } : p)) }));

  const fail = (error: unknown) => {
    const { field, text } = slaErrorOf(error, form, t);
    setFormError(text);
    setFieldErrors(field ? { [field]: text } : {});
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy('save');
    setFormError(null);
    setFieldErrors({});
    try {
      onSaved(await api.updateDeskSettings('sla', slaBody(form)));
      toast('success', t('desk.saved'));
    } catch (error) {
      fail(error);
    } finally {
      setBusy(null);
    }
  };
  const reset = async () => {
    setBusy('reset');
    setFormError(null);
    setFieldErrors({});
    try {
      const next = await api.resetDeskSettings('sla');
      setForm(formOfSla(next.settings));
      onSaved(next);
      toast('success', t('desk.resetDone'));
    } catch (error) {
      fail(error);
    } finally {
      setBusy(null);
    }
  };

  const invalid = (field: SlaField) => (fieldErrors[field] ? { 'aria-invalid': true as const, 'aria-describedby': `desk-error-${field}` } : {});
  const fieldError = (field: SlaField): ReactNode =>
    fieldErrors[field] ? (
      <span className="field-error" id={`desk-error-${field}`} data-testid="desk-field-error" data-field={field}>
        {fieldErrors[field]}
      </span>
    ) : null;

  return (
    <section className="card form-card desk-sla" aria-labelledby="desk-sla-title" data-testid="desk-sla">
      <h2 id="desk-sla-title">
        <ClockIcon size={18} />
        {t('desk.sla')}
      </h2>
      <Edited item={item} />
      <form onSubmit={submit} noValidate>
        {formError ? (
          <p className="form-error" role="alert" data-testid="desk-form-error">
            {formError}
          </p>
        ) : null}
        <fieldset disabled={disabled} className="desk-fields">
          <label className="field">
            <span>{t('desk.timezone')}</span>
            <input type="text" value={form.timezone} onChange={(e) => update((f) => ({ ...f, timezone: e.target.value }))} placeholder="Asia/Shanghai" data-testid="desk-timezone" {...invalid('timezone')} />
            <span className="hint">{t('desk.timezoneHint')}</span>
            {fieldError('timezone')}
          </label>

          <fieldset className="field fieldset" data-testid="desk-hours">
            <legend>{t('desk.businessHours')}</legend>
            <div className="radio-row">
              <label className="check">
                <input type="radio" name="desk-hours-mode" checked={form.allDay} onChange={() => update((f) => ({ ...f, allDay: true }))} data-testid="desk-hours-always" />
                <span>{t('desk.allDay')}</span>
              </label>
              <label className="check">
                <input
                  type="radio"
                  name="desk-hours-mode"
                  checked={!form.allDay}
                  onChange={() => update((f) => ({ ...f, allDay: false, hours: f.hours.length ? f.hours : [{ days: 'mon-fri', hours: '09:00-18:00' }] }))}
                  data-testid="desk-hours-set"
                />
                <span>{t('desk.setHours')}</span>
              </label>
            </div>
            {form.allDay ? null : (
              <>
                <span className="hint">{t('desk.hoursHint')}</span>
                <ul className="desk-rows">
                  {form.hours.map((row, index) => (
                    <li key={index} className="desk-row" data-testid="desk-hours-row">
                      <input
                        type="text"
                        value={row.days}
                        onChange={(e) => update((f) => ({ ...f, hours: f.hours.map((r, i) => (i === index ? { ...r, days: e.target.value } : r)) }))}
                        placeholder="mon-fri"
                        aria-label={t('desk.days')}
                        data-testid="desk-hours-days"
                        {...invalid(`businessHours.${index}`)}
                      />
                      <input
                        type="text"
                        value={row.hours}
                        onChange={(e) => update((f) => ({ ...f, hours: f.hours.map((r, i) => (i === index ? { ...r, hours: e.target.value } : r)) }))}
                        placeholder="09:00-18:00"
                        aria-label={t('desk.hours')}
                        data-testid="desk-hours-hours"
                        {...invalid(`businessHours.${index}`)}
                      />
                      <button type="button" className="icon-button danger" onClick={() => update((f) => ({ ...f, hours: f.hours.filter((_, i) => i !== index) }))} aria-label={t('desk.remove')} title={t('desk.remove')}>
                        <TrashIcon size={15} />
                      </button>
                      {fieldError(`businessHours.${index}`)}
                    </li>
                  ))}
                </ul>
                <button type="button" className="button small" onClick={() => update((f) => ({ ...f, hours: [...f.hours, { days: '', hours: '' }] }))} data-testid="desk-hours-add">
                  {t('desk.addHours')}
                </button>
              </>
            )}
            {fieldError('businessHours')}
          </fieldset>

          <fieldset className="field fieldset" data-testid="desk-holidays">
            <legend>{t('desk.holidays')}</legend>
            <ul className="desk-rows">
              {form.holidays.map((day, index) => (
                <li key={index} className="desk-row" data-testid="desk-holiday-row">
                  <input
                    type="date"
                    value={day}
                    onChange={(e) => update((f) => ({ ...f, holidays: f.holidays.map((d, i) => (i === index ? e.target.value : d)) }))}
                    aria-label={t('desk.holiday')}
                    data-testid="desk-holiday"
                    {...invalid(`holidays.${index}`)}
                  />
                  <button type="button" className="icon-button danger" onClick={() => update((f) => ({ ...f, holidays: f.holidays.filter((_, i) => i !== index) }))} aria-label={t('desk.remove')} title={t('desk.remove')}>
                    <TrashIcon size={15} />
                  </button>
                  {fieldError(`holidays.${index}`)}
                </li>
              ))}
            </ul>
            <button type="button" className="button small" onClick={() => update((f) => ({ ...f, holidays: [...f.holidays, ''] }))} data-testid="desk-holiday-add">
              {t('desk.addHoliday')}
            </button>
            {fieldError('holidays')}
          </fieldset>

          <fieldset className="field fieldset" data-testid="desk-targets">
            <legend>{t('desk.responseTargets')}</legend>
            <span className="hint">{t('desk.targetsHint')}</span>
            <div className="desk-targets">
              {targetKinds.map((kind) => (
                <label key={kind} className="field desk-target">
                  <span>
                    <ChannelIcon kind={kind} size={14} /> {t(`kind.${kind}`)}
                  </span>
                  <input
                    type="text"
                    value={form.targets[kind]}
                    onChange={(e) => update((f) => ({ ...f, targets: { ...f.targets, [kind]: e.target.value } }))}
                    placeholder={DEFAULT_RESPONSE_TARGETS[kind]}
                    data-testid={`desk-target-${kind}`}
                    {...invalid(`responseTargets.${kind}`)}
                  />
                  {fieldError(`responseTargets.${kind}`)}
                </label>
              ))}
            </div>
            {Object.keys(form.otherTargets).length ? (
              <p className="muted small">{t('desk.otherTargets', { list: Object.entries(form.otherTargets).map(([id, value]) => `${id}: ${value}`).join(', ') })}</p>
            ) : null}
          </fieldset>

          <fieldset className="field fieldset" data-testid="desk-policies">
            <legend>{t('desk.policies')}</legend>
            <span className="hint">{t('desk.policiesHint')}</span>
            {form.policies.length === 0 ? <p className="muted small">{t('desk.noPolicies')}</p> : null}
            <ol className="desk-policies">
              {form.policies.map((policy, index) => (
                <li key={index} className="desk-policy" data-testid="desk-policy" data-name={policy.name}>
                  <div className="desk-policy-head">
                    <label className="field">
                      <span>{t('desk.policyName')}</span>
                      <input type="text" value={policy.name} onChange={(e) => setPolicy(index, { name: e.target.value })} data-testid="desk-policy-name" {...invalid(`sla.${index}.name`)} />
                      {fieldError(`sla.${index}.name`)}
                    </label>
                    <div className="desk-policy-actions">
                      <button type="button" className="button small" onClick={() => update((f) => ({ ...f, policies: move(f.policies, index, index - 1) }))} disabled={index === 0} data-testid="desk-policy-up">
                        {t('desk.up')}
                      </button>
                      <button type="button" className="button small" onClick={() => update((f) => ({ ...f, policies: move(f.policies, index, index + 1) }))} disabled={index === form.policies.length - 1} data-testid="desk-policy-down">
                        {t('desk.down')}
                      </button>
                      <button type="button" className="icon-button danger" onClick={() => update((f) => ({ ...f, policies: f.policies.filter((_, i) => i !== index) }))} aria-label={t('desk.removePolicy', { name: policy.name })} title={t('desk.remove')} data-testid="desk-policy-remove">
                        <TrashIcon size={15} />
                      </button>
                    </div>
                  </div>
                  <div className="check-group" role="group" aria-label={t('desk.matchPriority')}>
                    <span className="check-group-title">{t('desk.matchPriority')}</span>
                    {priorities.map((priority) => (
                      <label key={priority} className="check">
                        <input
                          type="checkbox"
                          checked={policy.priority.includes(priority)}
                          onChange={(e) => setPolicy(index, { priority: e.target.checked ? [...policy.priority, priority] : policy.priority.filter((p) => p !== priority) })}
                          data-testid={`desk-policy-priority-${priority}`}
                        />
                        <span>{t(`priority.${priority}`)}</span>
                      </label>
                    ))}
                  </div>
                  <div className="desk-policy-grid">
                    <label className="field">
                      <span>{t('desk.matchChannel')}</span>
                      <input type="text" value={policy.channel} onChange={(e) => setPolicy(index, { channel: e.target.value })} placeholder="telegram, web" data-testid="desk-policy-channel" {...invalid(`sla.${index}.match`)} />
                    </label>
                    <label className="field">
                      <span>{t('desk.matchLabels')}</span>
                      <input type="text" value={policy.labels} onChange={(e) => setPolicy(index, { labels: e.target.value })} placeholder="vip" data-testid="desk-policy-labels" {...invalid(`sla.${index}.match`)} />
                    </label>
                    {fieldError(`sla.${index}.match`)}
                    {(['firstResponse', 'nextResponse', 'resolution'] as const).map((metric) => (
                      <label key={metric} className="field">
                        <span>{t(`desk.metric.${metric}`)}</span>
                        <input
                          type="text"
                          value={policy[metric]}
                          onChange={(e) => setPolicy(index, { [metric]: e.target.value })}
                          placeholder={metric === 'resolution' ? '3d' : metric === 'firstResponse' ? 'channel' : '2h'}
                          data-testid={`desk-policy-${metric}`}
                          {...invalid(`sla.${index}.${metric}`)}
                        />
                        {fieldError(`sla.${index}.${metric}`)}
                      </label>
                    ))}
                  </div>
                  <label className="check">
                    <input type="checkbox" checked={policy.always} onChange={(e) => setPolicy(index, { always: e.target.checked })} data-testid="desk-policy-always" />
                    <span>{t('desk.always')}</span>
                  </label>
                </li>
              ))}
            </ol>
            <button type="button" className="button small" onClick={() => update((f) => ({ ...f, policies: [...f.policies, emptyPolicy()] }))} data-testid="desk-policy-add">
              {t('desk.addPolicy')}
            </button>
            <span className="hint">{t('desk.targetHint')}</span>
          </fieldset>
        </fieldset>
        {isAdmin ? (
          <div className="form-actions">
            <button type="button" className="button" onClick={() => void reset()} disabled={busy !== null || !item.edited} data-testid="desk-sla-reset">
              {busy === 'reset' ? <Spinner size={12} /> : null}
              {t('desk.reset')}
            </button>
            <button type="submit" className="button primary" disabled={busy !== null} data-testid="desk-sla-save">
              {busy === 'save' ? <Spinner size={12} /> : null}
              {busy === 'save' ? t('desk.saving') : t('desk.save')}
            </button>
          </div>
        ) : null}
      </form>
    </section>
  );
}

/** The FAQ bot (issue 16): on or off, and the channel kinds it answers on. */
function BotSettings({ item, isAdmin, onSaved }: { item: DeskSettingsItem; isAdmin: boolean; onSaved: (item: DeskSettingsItem) => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const stored = (item.settings.bot ?? {}) as { enabled?: boolean | string; channels?: string[] };
  const [enabled, setEnabled] = useState(stored.enabled === true || stored.enabled === 'true');
  const [channels, setChannels] = useState<string[]>(stored.channels ?? []);
  const [busy, setBusy] = useState(false);
  const disabled = !isAdmin || busy;
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      onSaved(await api.updateDeskSettings('bot', { bot: { enabled, channels } }));
      toast('success', t('desk.saved'));
    } catch (error) {
      toast('error', errorText(error, t));
    } finally {
      setBusy(false);
    }
  };
  // Channel ids the file lists stay as they are; the form offers the kinds.
  const others = channels.filter((c) => !(targetKinds as readonly string[]).includes(c));
  return (
    <form className="card form-card" aria-labelledby="desk-bot-title" data-testid="desk-bot" onSubmit={(e) => void save(e)}>
      <h2 id="desk-bot-title">{t('desk.bot')}</h2>
      <p className="hint">{t('desk.botHint')}</p>
      <Edited item={item} />
      <label className="check field-check">
        <input type="checkbox" checked={enabled} disabled={disabled} onChange={(e) => setEnabled(e.target.checked)} data-testid="desk-bot-enabled" />
        <span>{t('desk.botEnabled')}</span>
      </label>
      <fieldset className="kind-checks" disabled={disabled}>
        <legend>{t('desk.botChannels')}</legend>
        {targetKinds.map((kind) => (
          <label key={kind} className="check">
            <input
              type="checkbox"
              checked={channels.includes(kind)}
              onChange={(e) => setChannels((list) => (e.target.checked ? [...list, kind] : list.filter((c) => c !== kind)))}
              data-testid={`desk-bot-channel-${kind}`}
            />
            <ChannelIcon kind={kind} size={13} /> {t(`kind.${kind}`)}
          </label>
        ))}
        {others.length > 0 ? <p className="muted small">{t('desk.botOtherChannels', { ids: others.join(', ') })}</p> : null}
      </fieldset>
      {isAdmin ? (
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? <Spinner size={12} /> : null}
            {t('desk.botSave')}
          </button>
        </div>
      ) : null}
    </form>
  );
}
