import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { useI18n, useSession, useToast } from '../context';
import type { RecordsJob } from '../types';
import { errorText } from '../util';
import { Dialog, Spinner } from './common';

/** A running job is asked about this often. */
const POLL_MS = 1_000;

/**
 * A customer's records (issue 17, admins): export everything as a zip (downloaded once), or erase
 * the customer after typing their name; each runs as a job whose progress shows here. Kept in its
 * own component so the customer page can include it too.
 */
export function CustomerRecordsActions({ contactId, contactName }: { contactId: string; contactName: string }) {
  const { t } = useI18n();
  const toast = useToast();
  const { me } = useSession();
  const [jobs, setJobs] = useState<RecordsJob[]>([]);
  const [erasing, setErasing] = useState(false);
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<unknown>(null);
  const admin = me.role === 'admin';

  useEffect(() => {
    if (!admin) return;
    let cancelled = false;
    api.contactJobs(contactId).then((list) => !cancelled && setJobs(list.items), () => undefined);
    return () => {
      cancelled = true;
    };
  }, [admin, contactId]);

  const running = jobs.filter((j) => j.status === 'queued' || j.status === 'running');
  const poll = useCallback(async () => {
    const fresh = await Promise.all(running.map((j) => api.recordsJob(j.id).catch(() => j)));
    setJobs((list) => list.map((j) => fresh.find((f) => f.id === j.id) ?? j));
  }, [running]);
  useEffect(() => {
    if (running.length === 0) return;
    const timer = setTimeout(() => void poll(), POLL_MS);
    return () => clearTimeout(timer);
  }, [running.length, poll]);

  if (!admin) return null;

  const start = async (kind: 'export' | 'erase') => {
    setError(null);
    try {
      const job = kind === 'export' ? await api.exportContact(contactId) : await api.eraseContact(contactId, confirm);
      setJobs((list) => [job, ...list]);
      if (kind === 'erase') {
        setErasing(false);
        setConfirm('');
        toast('success', t('records.eraseStarted'));
      }
    } catch (caught) {
      setError(caught);
    }
  };

  return (
    <section className="panel-section" data-testid="customer-records">
      <h3>{t('records.title')}</h3>
      <div className="records-buttons">
        <button type="button" className="button small" onClick={() => void start('export')} data-testid="records-export">
          {t('records.export')}
        </button>
        <button type="button" className="button small danger" onClick={() => setErasing(true)} data-testid="records-erase">
          {t('records.erase')}
        </button>
      </div>
      {error && !erasing ? <p className="form-error small">{errorText(error, t)}</p> : null}
      {jobs.length > 0 ? (
        <ul className="records-jobs">
          {jobs.slice(0, 5).map((job) => (
            <li key={job.id} data-testid="records-job" data-kind={job.kind} data-status={job.status}>
              <span>{t(job.kind === 'export' ? 'records.job.export' : 'records.job.erase')}</span>{' '}
              {job.status === 'queued' || job.status === 'running' ? (
                <>
                  <Spinner size={10} /> <progress max={100} value={job.progress} aria-label={t('records.progress')} /> {job.progress}%
                </>
              ) : job.status === 'failed' ? (
                <span className="form-error small">{t('records.failed', { error: job.error ?? '' })}</span>
              ) : job.download ? (
                <a href={job.download.url} download onClick={() => setTimeout(() => setJobs((list) => list.map((j) => (j.id === job.id ? { ...j, download: undefined } : j))), 500)} data-testid="records-download">
                  {t('records.download')}
                </a>
              ) : (
                <span className="muted small">{t(job.kind === 'export' ? 'records.exportGone' : 'records.erased')}</span>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {erasing ? (
        <Dialog title={t('records.eraseTitle')} onClose={() => setErasing(false)}>
          <p>{t('records.eraseWarning')}</p>
          <p className="muted small">{t('records.eraseNotReached')}</p>
          <label className="field">
            <span>{t('records.eraseConfirm', { name: contactName })}</span>
            <input value={confirm} onChange={(e) => setConfirm(e.target.value)} data-testid="records-erase-confirm" autoFocus />
          </label>
          {error ? <p className="form-error small">{errorText(error, t)}</p> : null}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setErasing(false)}>
              {t('records.cancel')}
            </button>
            <button type="button" className="button danger" disabled={confirm.trim() !== contactName.trim() && confirm.trim() !== contactId} onClick={() => void start('erase')} data-testid="records-erase-submit">
              {t('records.eraseNow')}
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  );
}
