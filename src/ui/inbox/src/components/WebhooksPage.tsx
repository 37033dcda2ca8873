import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../api';
import { useI18n, useToast } from '../context';
import { formatDateTime } from '../i18n';
import { RefreshIcon, TrashIcon } from '../icons';
import { WEBHOOK_EVENT_TYPES, type WebhookDelivery, type WebhookDeliveryDetail, type WebhookEndpoint, type WebhookEventChoice } from '../types';
import { errorText } from '../util';
import { Dialog, EmptyState, Spinner } from './common';

/** Two linked nodes with an arrow out: an outbound webhook's mark in the navigation. */
export const WebhookIcon = ({ size = 16 }: { size?: number }) => (
  <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
    <circle cx="6" cy="17" r="3" />
    <circle cx="12" cy="6" r="3" />
    <path d="M10.5 8.6 7.5 14.4M9 17h6.5M15 13.5l3.5 3.5-3.5 3.5" />
  </svg>
);

/** A new secret, shown this once: after the panel is closed only a rotation makes another. */
interface Revealed {
  endpointId: string;
  secret: string;
  rotated: boolean;
}

/**
 * Outbound webhooks (issue 18, admins): receivers, the events they get, their state (a disabled
 * one says why, prominently: nothing reaches it until it is enabled again), and each one's
 * delivery log, where an attempt log opens and a delivery is sent again with the same `webhook-id`.
 */
export function WebhooksPage() {
  const { t } = useI18n();
  const toast = useToast();
  const [items, setItems] = useState<WebhookEndpoint[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [revealed, setRevealed] = useState<Revealed | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setItems((await api.listWebhooks()).items);
    } catch (error) {
      toast('error', errorText(error, t));
    } finally {
      setLoading(false);
    }
  }, [toast, t]);

  useEffect(() => {
    document.title = `${t('webhooks.title')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="page webhooks-page" data-testid="webhooks-page">
      <div className="page-head">
        <div>
          <h1>{t('webhooks.title')}</h1>
          <p className="muted">{t('webhooks.subtitle')}</p>
        </div>
        <button type="button" className="button" onClick={() => void load()} disabled={loading}>
          {loading ? <Spinner size={12} /> : <RefreshIcon size={15} />}
          {t('webhooks.refresh')}
        </button>
      </div>
      {revealed ? <SecretPanel revealed={revealed} onClose={() => setRevealed(null)} /> : null}
      <div className="page-grid">
        <section className="webhook-list" aria-label={t('webhooks.listLabel')}>
          {items === null ? (
            <div className="pane-center">
              <Spinner size={18} label={t('common.loading')} />
            </div>
          ) : items.length === 0 ? (
            <EmptyState icon={<WebhookIcon size={28} />} title={t('webhooks.empty')} testId="webhooks-empty" />
          ) : (
            items.map((endpoint) => <EndpointCard key={endpoint.id} endpoint={endpoint} onChanged={load} onSecret={setRevealed} />)
          )}
        </section>
        <CreateForm
          onCreated={async (endpointId, secret) => {
            setRevealed({ endpointId, secret, rotated: false });
            await load();
          }}
        />
      </div>
    </div>
  );
}

function SecretPanel({ revealed, onClose }: { revealed: Revealed; onClose: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const copy = () =>
    void navigator.clipboard?.writeText(revealed.secret).then(
      () => toast('success', t('webhooks.secretCopied')),
      () => toast('error', t('webhooks.copyFailed')),
    );
  return (
    <div className="webhook-secret" role="alert" data-testid="webhook-secret-panel" data-endpoint={revealed.endpointId}>
      <strong>{t(revealed.rotated ? 'webhooks.secretRotatedTitle' : 'webhooks.secretTitle')}</strong>
      <p>{t('webhooks.secretWarning')}</p>
      {revealed.rotated ? <p>{t('webhooks.rotateOverlap')}</p> : null}
      <div className="webhook-secret-row">
        <code data-testid="webhook-secret">{revealed.secret}</code>
        <button type="button" className="button small" onClick={copy} data-testid="webhook-secret-copy">
          {t('webhooks.copy')}
        </button>
        <button type="button" className="button small ghost" onClick={onClose} data-testid="webhook-secret-done">
          {t('webhooks.secretDone')}
        </button>
      </div>
    </div>
  );
}

function CreateForm({ onCreated }: { onCreated: (endpointId: string, secret: string) => Promise<void> }) {
  const { t } = useI18n();
  const toast = useToast();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<Set<WebhookEventChoice>>(() => new Set());
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = (type: WebhookEventChoice) =>
    setEvents((current) => {
      const next = new Set(current);
      if (next.has(type)) next.delete(type);
      else next.add(type);
      return next;
    });
  const all = events.has('*');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!url.trim()) return setError(t('webhooks.urlRequired'));
    if (events.size === 0) return setError(t('webhooks.eventsRequired'));
    setSaving(true);
    setError(null);
    try {
      const created = await api.createWebhook({ url: url.trim(), description: description.trim(), events: all ? ['*'] : [...events] });
      toast('success', t('webhooks.created'));
      setUrl('');
      setDescription('');
      setEvents(new Set());
      await onCreated(created.endpoint.id, created.secret);
    } catch (caught) {
      setError(errorText(caught, t));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section className="card form-card" aria-labelledby="webhook-form-title" data-testid="webhook-form">
      <h2 id="webhook-form-title">
        <WebhookIcon size={18} />
        {t('webhooks.add')}
      </h2>
      <form onSubmit={submit} noValidate>
        <label className="field">
          <span>{t('webhooks.url')}</span>
          <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/hooks/switchboard" autoComplete="off" spellCheck={false} data-testid="webhook-url" />
          <span className="hint">{t('webhooks.urlHint')}</span>
        </label>
        <label className="field">
          <span>{t('webhooks.description')}</span>
          <input type="text" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} autoComplete="off" data-testid="webhook-description" />
        </label>
        <fieldset className="field fieldset">
          <legend>{t('webhooks.events')}</legend>
          <div className="check-list">
            <label className="check">
              <input type="checkbox" checked={all} onChange={() => toggle('*')} data-testid="webhook-event" data-event="*" />
              <span>{t('webhooks.allEvents')}</span>
            </label>
            {WEBHOOK_EVENT_TYPES.map((type) => (
              <label key={type} className="check">
                <input type="checkbox" checked={all || events.has(type)} disabled={all} onChange={() => toggle(type)} data-testid="webhook-event" data-event={type} />
                <code>{type}</code>
              </label>
            ))}
          </div>
        </fieldset>
        {error ? (
          <p className="form-error" role="alert" data-testid="webhook-form-error">
            {error}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={saving} data-testid="webhook-submit">
            {saving ? <Spinner size={12} /> : null}
            {t('webhooks.create')}
          </button>
        </div>
      </form>
    </section>
  );
}

type Confirming = 'delete' | 'rotate' | null;

function EndpointCard({ endpoint, onChanged, onSecret }: { endpoint: WebhookEndpoint; onChanged: () => Promise<void>; onSecret: (revealed: Revealed) => void }) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<Confirming>(null);
  const [deliveries, setDeliveries] = useState<WebhookDelivery[] | null>(null);
  const [showLog, setShowLog] = useState(false);
  const [opened, setOpened] = useState<WebhookDeliveryDetail | null>(null);
  /** Agent bots' endpoints are the bot's: changed through the bot, only read here. */
  const readOnly = endpoint.ownerAgentId !== null;

  const loadDeliveries = useCallback(async () => {
    try {
      setDeliveries((await api.listWebhookDeliveries(endpoint.id)).items);
    } catch (error) {
      toast('error', errorText(error, t));
    }
  }, [endpoint.id, toast, t]);

  useEffect(() => {
    if (showLog) void loadDeliveries();
  }, [showLog, loadDeliveries]);

  const act = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } catch (error) {
      toast('error', errorText(error, t));
    } finally {
      setBusy(false);
    }
  };

  const rotate = () =>
    act(async () => {
      const { secret } = await api.rotateWebhookSecret(endpoint.id);
      setConfirming(null);
      onSecret({ endpointId: endpoint.id, secret, rotated: true });
      await onChanged();
    });
  const enable = () =>
    act(async () => {
      await api.enableWebhook(endpoint.id);
      toast('success', t('webhooks.enabledToast'));
      await onChanged();
    });
  const sendTest = () =>
    act(async () => {
      await api.testWebhook(endpoint.id);
      toast('success', t('webhooks.testSent'));
      setShowLog(true);
      await loadDeliveries();
    });
  const remove = () =>
    act(async () => {
      await api.deleteWebhook(endpoint.id);
      setConfirming(null);
      toast('success', t('webhooks.deleted'));
      await onChanged();
    });
  const open = (id: string) =>
    act(async () => {
      setOpened(await api.getWebhookDelivery(id));
    });
  const replay = (id: string) =>
    act(async () => {
      await api.replayWebhookDelivery(id);
      toast('success', t('webhooks.replayed'));
      await loadDeliveries();
      if (opened?.id === id) setOpened(await api.getWebhookDelivery(id));
    });

  return (
    <article className={`card webhook-card${endpoint.enabled ? '' : ' disabled'}`} data-testid="webhook-endpoint" data-id={endpoint.id} data-enabled={endpoint.enabled ? 'true' : 'false'}>
      <div className="webhook-card-head">
        <div className="webhook-card-title">
          <code className="webhook-url" data-testid="webhook-endpoint-url">
            {endpoint.url}
          </code>
          {endpoint.description ? <div className="muted small">{endpoint.description}</div> : null}
        </div>
        <span className={`mini-badge webhook-state ${endpoint.enabled ? 'on' : 'off'}`} data-testid="webhook-state">
          {t(endpoint.enabled ? 'webhooks.stateEnabled' : 'webhooks.stateDisabled')}
        </span>
      </div>
      {!endpoint.enabled ? (
        <div className="webhook-disabled" role="status" data-testid="webhook-disabled">
          <strong>{t('webhooks.disabledTitle', { time: endpoint.disabledAt ? formatDateTime(endpoint.disabledAt, lang) : t('common.none') })}</strong>
          <p data-testid="webhook-disabled-reason">{endpoint.disabledReason ?? t('common.none')}</p>
        </div>
      ) : null}
      <div className="webhook-meta small">
        <span className="muted">{t('webhooks.events')}:</span>{' '}
        {endpoint.events.map((type) => (
          <span key={type} className="mini-badge" data-testid="webhook-endpoint-event">
            {type === '*' ? t('webhooks.allEvents') : type}
          </span>
        ))}
        {endpoint.previousSecretExpiresAt ? <div className="muted">{t('webhooks.rotating', { time: formatDateTime(endpoint.previousSecretExpiresAt, lang) })}</div> : null}
      </div>
      {readOnly ? (
        <p className="muted small webhook-readonly" data-testid="webhook-readonly">
          {t('webhooks.ownedByBot')}
        </p>
      ) : (
        <div className="webhook-actions">
          {!endpoint.enabled ? (
            <button type="button" className="button small primary" onClick={() => void enable()} disabled={busy} data-testid="webhook-enable">
              {t('webhooks.enable')}
            </button>
          ) : null}
          <button type="button" className="button small" onClick={() => void sendTest()} disabled={busy || !endpoint.enabled} data-testid="webhook-test">
            {t('webhooks.sendTest')}
          </button>
          <button type="button" className="button small" onClick={() => setConfirming('rotate')} disabled={busy} data-testid="webhook-rotate">
            {t('webhooks.rotate')}
          </button>
          <button type="button" className="button small danger-outline" onClick={() => setConfirming('delete')} disabled={busy} data-testid="webhook-delete">
            <TrashIcon size={14} />
            {t('webhooks.delete')}
          </button>
        </div>
      )}
      <div className="webhook-log">
        <button type="button" className="link-button small" onClick={() => setShowLog((v) => !v)} aria-expanded={showLog} data-testid="webhook-log-toggle">
          {t(showLog ? 'webhooks.hideLog' : 'webhooks.showLog')}
        </button>
        {showLog ? (
          <>
            <button type="button" className="link-button small" onClick={() => void loadDeliveries()} data-testid="webhook-log-refresh">
              {t('webhooks.refresh')}
            </button>
            {deliveries === null ? (
              <Spinner size={14} label={t('common.loading')} />
            ) : deliveries.length === 0 ? (
              <p className="muted small" data-testid="webhook-log-empty">
                {t('webhooks.noDeliveries')}
              </p>
            ) : (
              <div className="table-scroll">
                <table className="table webhook-deliveries">
                  <thead>
                    <tr>
                      <th scope="col">{t('webhooks.col.status')}</th>
                      <th scope="col">{t('webhooks.col.event')}</th>
                      <th scope="col">{t('webhooks.col.attempts')}</th>
                      <th scope="col">{t('webhooks.col.last')}</th>
                      <th scope="col">{t('webhooks.col.created')}</th>
                      <th scope="col">
                        <span className="visually-hidden">{t('webhooks.col.actions')}</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {deliveries.map((d) => (
                      <tr key={d.id} data-testid="webhook-delivery" data-id={d.id} data-status={d.status}>
                        <td>
                          <button type="button" className="link-button" onClick={() => void open(d.id)} data-testid="webhook-delivery-open" title={d.id}>
                            <span className={`mini-badge delivery-${d.status}`} data-testid="webhook-delivery-status">
                              {t(`webhooks.status.${d.status}`)}
                            </span>
                          </button>
                        </td>
                        <td>
                          <code>{d.eventType}</code>
                        </td>
                        <td data-testid="webhook-delivery-attempts">{d.attempts}</td>
                        <td className="small" data-testid="webhook-delivery-last">
                          {lastText(d, t('common.none'))}
                        </td>
                        <td className="muted small nowrap">{formatDateTime(d.createdAt, lang)}</td>
                        <td className="nowrap">
                          {readOnly ? null : (
                            <button type="button" className="button small" onClick={() => void replay(d.id)} disabled={busy || d.status === 'pending'} data-testid="webhook-replay">
                              {t('webhooks.replay')}
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        ) : null}
      </div>
      {confirming === 'delete' ? (
        <Dialog title={t('webhooks.deleteTitle')} onClose={() => !busy && setConfirming(null)} testId="webhook-delete-dialog">
          <p>{t('webhooks.deleteText', { url: endpoint.url })}</p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setConfirming(null)} disabled={busy}>
              {t('webhooks.cancel')}
            </button>
            <button type="button" className="button danger-outline" onClick={() => void remove()} disabled={busy} data-testid="webhook-delete-confirm">
              {t('webhooks.delete')}
            </button>
          </div>
        </Dialog>
      ) : null}
      {confirming === 'rotate' ? (
        <Dialog title={t('webhooks.rotateTitle')} onClose={() => !busy && setConfirming(null)} testId="webhook-rotate-dialog">
          <p>{t('webhooks.rotateOverlap')}</p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setConfirming(null)} disabled={busy}>
              {t('webhooks.cancel')}
            </button>
            <button type="button" className="button primary" onClick={() => void rotate()} disabled={busy} data-testid="webhook-rotate-confirm">
              {t('webhooks.rotate')}
            </button>
          </div>
        </Dialog>
      ) : null}
      {opened ? (
        <Dialog title={t('webhooks.deliveryTitle', { id: opened.id })} onClose={() => setOpened(null)} testId="webhook-delivery-dialog" wide>
          <p className="small">
            <code>{opened.eventType}</code> · {t(`webhooks.status.${opened.status}`)} · {t('webhooks.attemptsN', { n: opened.attempts })}
            {opened.nextAttemptAt && opened.status === 'pending' ? ` · ${t('webhooks.nextAttempt', { time: formatDateTime(opened.nextAttemptAt, lang) })}` : ''}
          </p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('webhooks.col.when')}</th>
                <th scope="col">{t('webhooks.col.status')}</th>
                <th scope="col">{t('webhooks.col.duration')}</th>
                <th scope="col">{t('webhooks.col.response')}</th>
              </tr>
            </thead>
            <tbody>
              {opened.log.map((a, index) => (
                <tr key={index} data-testid="webhook-attempt" data-status={a.status ?? ''}>
                  <td>{a.attempt}</td>
                  <td className="muted small nowrap">{formatDateTime(a.at, lang)}</td>
                  <td>{a.status ?? a.error ?? t('common.none')}</td>
                  <td className="small">{a.durationMs} ms</td>
                  <td className="small">
                    <code className="webhook-response">{a.response ?? (a.status !== null ? a.error : null) ?? ''}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <details className="webhook-payload">
            <summary>{t('webhooks.payload')}</summary>
            <pre>{JSON.stringify(opened.payload, null, 2)}</pre>
          </details>
          {readOnly ? null : (
            <div className="dialog-actions">
              <button type="button" className="button" onClick={() => void replay(opened.id)} disabled={busy || opened.status === 'pending'} data-testid="webhook-delivery-replay">
                {t('webhooks.replay')}
              </button>
            </div>
          )}
        </Dialog>
      ) : null}
    </article>
  );
}

/** "HTTP 204", "HTTP 500 · down", or the network error. */
function lastText(d: WebhookDelivery, none: string): string {
  if (d.lastStatus !== null) return d.lastError ? `HTTP ${d.lastStatus} · ${d.lastError}` : `HTTP ${d.lastStatus}`;
  return d.lastError ?? none;
}
