import { useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { useI18n, useNow, useSession } from '../context';
import { channelName, identityChannels, kindOfChannel } from '../customers';
import { formatAgo, formatDateTime } from '../i18n';
import { ChannelIcon, SearchIcon } from '../icons';
import { hrefOf } from '../router';
import type { ContactSummary } from '../types';
import { errorText } from '../util';
import { Avatar, EmptyState, Spinner } from './common';

/** Typing pauses this long before the search runs (one request per pause, not per key). */
const SEARCH_DELAY_MS = 250;
const PAGE = 25;

/** `#/customers`: find a customer by name, email, handle, platform id or app user id (issue 17). */
export function CustomersPage() {
  const { t, lang } = useI18n();
  const { channels } = useSession();
  const now = useNow(60_000);
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<ContactSummary[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    document.title = `${t('customers.title')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(q.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q]);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    api
      .searchContacts(query, null, PAGE, controller.signal)
      .then((page) => {
        setItems(page.items);
        setCursor(page.nextCursor);
      })
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(caught);
      });
    return () => controller.abort();
  }, [query]);

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api.searchContacts(query, cursor, PAGE);
      setItems((list) => [...(list ?? []), ...page.items.filter((c) => !list?.some((o) => o.id === c.id))]);
      setCursor(page.nextCursor);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div className="page" data-testid="customers-page">
      <div className="page-head">
        <div>
          <h1>{t('customers.title')}</h1>
          <p className="muted">{t('customers.subtitle')}</p>
        </div>
      </div>
      <label className="customers-search">
        <SearchIcon size={16} />
        <span className="visually-hidden">{t('customers.search')}</span>
        <input ref={input} type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('customers.searchPlaceholder')} data-testid="customers-search" maxLength={200} />
      </label>
      <section className="card">
        {error ? (
          <p className="muted pane-center">{errorText(error, t)}</p>
        ) : items === null ? (
          <div className="pane-center">
            <Spinner size={18} label={t('common.loading')} />
          </div>
        ) : items.length === 0 ? (
          <EmptyState title={query ? t('customers.empty', { q: query }) : t('customers.none')} testId="customers-empty" />
        ) : (
          <div className="table-scroll">
            <table className="table customers-table">
              <thead>
                <tr>
                  <th scope="col">{t('customers.name')}</th>
                  <th scope="col">{t('customers.channels')}</th>
                  <th scope="col">{t('customers.userId')}</th>
                  <th scope="col">{t('customers.lastActivity')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((contact) => (
                  <tr key={contact.id} data-testid="customer-result" data-id={contact.id}>
                    <td>
                      <a className="customer-result-name" href={hrefOf({ page: 'customers', contactId: contact.id })}>
                        <Avatar name={contact.name} seed={contact.id} size={28} />
                        <span>
                          <span className="customer-result-title">{contact.name}</span>
                          {contact.email ? <span className="muted small customer-result-email">{contact.email}</span> : null}
                        </span>
                      </a>
                    </td>
                    <td>
                      <span className="customer-result-channels">
                        {identityChannels(contact.identities).map((channelId) => {
                          const kind = kindOfChannel(channelId, channels);
                          return <ChannelIcon key={channelId} kind={kind} size={15} title={`${channelName(channelId, channels, t)} (${t(`kind.${kind}`)})`} />;
                        })}
                      </span>
                    </td>
                    <td className="mono small">{contact.userId ?? <span className="muted">{t('common.none')}</span>}</td>
                    <td className="small">
                      {contact.lastActivityAt ? (
                        <time dateTime={contact.lastActivityAt} title={formatDateTime(contact.lastActivityAt, lang)}>
                          {formatAgo(contact.lastActivityAt, now, t)}
                        </time>
                      ) : (
                        <span className="muted">{t('customers.noActivity')}</span>
                      )}
                      <span className="muted"> · {t('customers.conversations', { count: contact.conversations })}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {cursor && !error ? (
          <div className="customers-more">
            <button type="button" className="button" onClick={() => void more()} disabled={loadingMore} data-testid="customers-more">
              {loadingMore ? <Spinner size={12} /> : null}
              {t('customers.more')}
            </button>
          </div>
        ) : null}
      </section>
    </div>
  );
}
