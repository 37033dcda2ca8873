import { useCallback, useEffect, useState } from 'react';
import { api } from '../api';
import { useI18n } from '../context';
import { BotIcon, RefreshIcon } from '../icons';
import type { MessageKey } from '../i18n';
import type { SelfServiceReport } from '../types';
import { errorText } from '../util';
import { EmptyState, Spinner } from './common';

const PERIODS = [
  { days: 1, label: 'reports.period.1' },
  { days: 7, label: 'reports.period.7' },
  { days: 30, label: 'reports.period.30' },
] as const satisfies readonly { days: number; label: MessageKey }[];

const percent = (share: number, lang: string): string => new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en', { style: 'percent', maximumFractionDigits: 1 }).format(share);

/**
 * Reports (issue 16: the FAQ bot's deflection; issue 19 adds the rest): of the questions the bot
 * answered in the period, how many the customer confirmed solved, how many went to a person, and
 * which articles did the work.
 */
export function ReportsPage() {
  const { t, lang } = useI18n();
  const [days, setDays] = useState<number>(7);
  const [report, setReport] = useState<SelfServiceReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const load = useCallback(async () => {
    setLoading(true);
    try {
      const to = new Date();
      setReport(await api.selfServiceReport(new Date(to.getTime() - days * 86_400_000).toISOString(), to.toISOString()));
      setError(null);
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setLoading(false);
    }
  }, [days, t]);
  useEffect(() => void load(), [load]);

  const parts = report
    ? [
        { key: 'solved', n: report.solved, label: t('reports.solved') },
        { key: 'handed-off', n: report.handedOff, label: t('reports.handedOff') },
        { key: 'unsettled', n: report.unsettled, label: t('reports.unsettled') },
      ]
    : [];
  const reasons = report ? Object.entries(report.handoffs).sort((a, b) => b[1] - a[1]) : [];

  return (
    <div className="page" data-testid="reports-page">
      <div className="page-head">
        <div>
          <h1>{t('reports.title')}</h1>
          <p className="muted">{t('reports.subtitle')}</p>
        </div>
        <div className="report-controls">
          <select value={days} onChange={(e) => setDays(Number(e.target.value))} aria-label={t('reports.period')} data-testid="report-period">
            {PERIODS.map((p) => (
              <option key={p.days} value={p.days}>
                {t(p.label)}
              </option>
            ))}
          </select>
          <button type="button" className="button" onClick={() => void load()} disabled={loading}>
            {loading ? <Spinner size={12} /> : <RefreshIcon size={15} />}
            {t('reports.refresh')}
          </button>
        </div>
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <section className="card report-card" aria-labelledby="self-service-title" data-testid="self-service-report">
        <div className="card-head">
          <h2 id="self-service-title">
            <BotIcon size={16} /> {t('reports.selfService')}
          </h2>
        </div>
        {!report ? (
          <Spinner size={16} label={t('common.loading')} />
        ) : report.answered === 0 ? (
          <EmptyState title={t('reports.noAnswers')} testId="self-service-empty">
            {t('reports.noAnswersHint')}
          </EmptyState>
        ) : (
          <>
            <p className="report-figure">
              <strong data-testid="deflection-rate">{percent(report.deflectionRate ?? 0, lang)}</strong>
              <span>{t('reports.deflection', { solved: report.solved, answered: report.answered })}</span>
            </p>
            <div className="report-bar" role="img" aria-label={parts.map((p) => `${p.label}: ${p.n}`).join(', ')}>
              {parts.map((p) => (p.n > 0 ? <span key={p.key} className={`seg seg-${p.key}`} style={{ flexGrow: p.n }} title={`${p.label}: ${p.n}`} /> : null))}
            </div>
            <ul className="report-legend">
              {parts.map((p) => (
                <li key={p.key} data-testid={`report-${p.key}`}>
                  <span className={`swatch seg-${p.key}`} aria-hidden="true" />
                  {p.label}: <strong>{p.n}</strong>
                </li>
              ))}
            </ul>
            {reasons.length > 0 ? (
              <>
                <h3>{t('reports.handoffs')}</h3>
                <ul className="report-legend">
                  {reasons.map(([reason, n]) => (
                    <li key={reason}>
                      {t(`handoff.${reason as 'asked'}`)}: <strong>{n}</strong>
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <h3>{t('reports.articles')}</h3>
            <table className="table">
              <thead>
                <tr>
                  <th>{t('reports.article')}</th>
                  <th>{t('reports.answeredCol')}</th>
                  <th>{t('reports.solvedCol')}</th>
                </tr>
              </thead>
              <tbody>
                {report.articles.map((a) => (
                  <tr key={a.articleId}>
                    <td>{a.title}</td>
                    <td>{a.answered}</td>
                    <td>{a.answered > 0 ? `${a.solved} (${percent(a.solved / a.answered, lang)})` : a.solved}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </div>
  );
}
