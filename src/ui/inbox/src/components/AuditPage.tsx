import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { useI18n } from '../context';
import { formatDateTime } from '../i18n';
import { RefreshIcon } from '../icons';
import type { AuditEntry, AuditVerification } from '../types';
import { errorText } from '../util';
import { EmptyState, Spinner } from './common';

/** A shield with a check: the audit log's mark in the navigation. */
export const AuditIcon = ({ size = 16 }: { size?: number }) => (
  <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
    <path d="M12 3l7 3v5c0 4.5-3 8.3-7 10-4-1.7-7-5.5-7-10V6z" />
    <path d="M9 12l2 2 4-4" />
  </svg>
);

/** Details as a short line: keys and values, never long (they hold counts and ids only). */
const detailsText = (details: Record<string, unknown>): string =>
  Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' · ');

/**
 * The audit log (issue 17, admins): who did what to which target and when, newest first; Verify
 * recomputes the hash chain on the server, Export downloads every entry as NDJSON.
 */
export function AuditPage() {
  const { t, lang } = useI18n();
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [verification, setVerification] = useState<AuditVerification | null>(null);
  const [verifying, setVerifying] = useState(false);

  const load = useCallback(async (before: number | null) => {
    setError(null);
    try {
      const page = await api.listAudit(before);
      setItems((list) => (before === null ? page.items : [...(list ?? []), ...page.items]));
      setNext(page.nextCursor);
    } catch (caught) {
      setError(caught);
    }
  }, []);

  useEffect(() => {
    document.title = `${t('audit.title')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => {
    void load(null);
  }, [load]);

  const verify = async () => {
    setVerifying(true);
    try {
      setVerification(await api.verifyAudit());
    } catch (caught) {
      setError(caught);
    } finally {
      setVerifying(false);
    }
  };

  return (
    <div className="page" data-testid="audit-page">
      <div className="page-head">
        <div>
          <h1>{t('audit.title')}</h1>
          <p className="muted">{t('audit.subtitle')}</p>
        </div>
        <div className="audit-actions">
          <button type="button" className="button" onClick={() => void verify()} disabled={verifying} data-testid="audit-verify">
            {verifying ? <Spinner size={12} /> : <AuditIcon size={15} />}
            {t('audit.verify')}
          </button>
          <a className="button" href="/api/audit/export" download data-testid="audit-export">
            {t('audit.export')}
          </a>
          <button type="button" className="button" onClick={() => void load(null)}>
            <RefreshIcon size={15} />
            {t('audit.refresh')}
          </button>
        </div>
      </div>
      {verification ? (
        <p className={`audit-verification ${verification.ok ? 'ok' : 'broken'}`} role="status" data-testid="audit-verification" data-ok={verification.ok ? 'true' : 'false'}>
          {verification.ok ? t('audit.verified', { entries: verification.entries }) : t('audit.broken', { seq: verification.brokenAt ?? 0, entries: verification.entries })}
          {verification.head ? <code className="audit-hash">{verification.head.slice(0, 16)}</code> : null}
        </p>
      ) : null}
      {error ? <p className="form-error">{errorText(error, t)}</p> : null}
      {items === null && !error ? (
        <div className="pane-center">
          <Spinner size={18} label={t('common.loading')} />
        </div>
      ) : items && items.length === 0 ? (
        <EmptyState title={t('audit.empty')} />
      ) : items ? (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.who')}</th>
                <th scope="col">{t('audit.what')}</th>
                <th scope="col">{t('audit.target')}</th>
                <th scope="col">{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((entry) => (
                <tr key={entry.seq} data-testid="audit-row" data-action={entry.action}>
                  <td className="muted small">{entry.seq}</td>
                  <td className="muted small nowrap">{formatDateTime(entry.at, lang)}</td>
                  <td>
                    {entry.actor.name}
                    {entry.actor.type !== 'agent' ? <span className="mini-badge">{t(`audit.actor.${entry.actor.type}`)}</span> : null}
                  </td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td className="small">
                    {entry.target.type} <code>{entry.target.id}</code>
                  </td>
                  <td className="muted small">{detailsText(entry.details)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {next !== null ? (
            <button type="button" className="button" onClick={() => void load(next)}>
              {t('audit.more')}
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
