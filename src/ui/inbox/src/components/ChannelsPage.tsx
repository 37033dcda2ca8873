import { useEffect, useState } from 'react';
import { useI18n, useNow, useSession } from '../context';
import { formatAgo, formatDateTime } from '../i18n';
import { AlertIcon, ChannelIcon, RefreshIcon } from '../icons';
import { EmptyState, HealthBadge, Spinner } from './common';

export function ChannelsPage() {
  const { t, lang } = useI18n();
  const { channels, reloadChannels } = useSession();
  const now = useNow(30_000);
  const [loading, setLoading] = useState(true);

  const refresh = async () => {
    setLoading(true);
    await reloadChannels();
    setLoading(false);
  };

  useEffect(() => {
    document.title = `${t('channels.title')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => {
    void refresh();
    // Once on open; the refresh button does it again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <div className="page" data-testid="channels-page">
      <div className="page-head">
        <div>
          <h1>{t('channels.title')}</h1>
          <p className="muted">{t('channels.subtitle')}</p>
        </div>
        <button type="button" className="button" onClick={() => void refresh()} disabled={loading}>
          {loading ? <Spinner size={12} /> : <RefreshIcon size={15} />}
          {t('channels.refresh')}
        </button>
      </div>
      <section className="card">
        {channels.length === 0 ? (
          loading ? (
            <div className="pane-center">
              <Spinner size={18} label={t('common.loading')} />
            </div>
          ) : (
            <EmptyState title={t('channels.empty')} />
          )
        ) : (
          <div className="table-scroll">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('channels.name')}</th>
                  <th scope="col">{t('channels.status')}</th>
                  <th scope="col">{t('channels.textLimit')}</th>
                  <th scope="col">{t('channels.replyWindow')}</th>
                  <th scope="col">{t('channels.attachments')}</th>
                  <th scope="col">{t('channels.formats')}</th>
                </tr>
              </thead>
              <tbody>
                {channels.map((channel) => (
                  <tr key={channel.id} data-testid="channel-row" data-id={channel.id} data-status={channel.status}>
                    <td>
                      <div className="channel-cell">
                        <span className="channel-tile">
                          <ChannelIcon kind={channel.kind} size={20} title={t(`kind.${channel.kind}`)} />
                        </span>
                        <div>
                          <div className="agent-name">{channel.name}</div>
                          <div className="muted small">
                            {t(`kind.${channel.kind}`)} · <code>{channel.id}</code>
                          </div>
                        </div>
                      </div>
                    </td>
                    <td>
                      <HealthBadge status={channel.status} />
                      <div className="muted small" title={channel.checkedAt ? formatDateTime(channel.checkedAt, lang) : undefined}>
                        {channel.checkedAt ? t('channels.checked', { d: formatAgo(channel.checkedAt, now, t) }) : t('channels.neverChecked')}
                      </div>
                      {channel.error ? (
                        <div className="channel-error" role="note">
                          <AlertIcon size={12} />
                          <span>
                            <span className="visually-hidden">{t('channels.lastError')}: </span>
                            {channel.error}
                          </span>
                        </div>
                      ) : null}
                    </td>
                    <td className="nowrap">{t('channels.chars', { n: channel.capabilities.maxTextLength.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US') })}</td>
                    <td className="nowrap">{channel.capabilities.replyWindowHours === null ? t('channels.noWindow') : t('channels.hours', { n: channel.capabilities.replyWindowHours })}</td>
                    <td>{channel.capabilities.attachments ? t('common.yes') : t('common.no')}</td>
                    <td className="muted small">{channel.capabilities.formats.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
