import { useEffect, useState, type ReactNode } from 'react';
import { useI18n, useSession } from '../context';
import { ChartIcon, ClockIcon, GlobeIcon, InboxIcon, KeyboardIcon, LogoMark, LogoutIcon, PlugIcon, TeamIcon, UsersIcon } from '../icons';
import { CannedIcon } from './CannedPage';
import type { Route } from '../router';
import { Avatar, LanguageSelect, Spinner } from './common';
import { BookIcon } from './KnowledgePage';
import { AuditIcon } from './AuditPage';
import { WebhookIcon } from './WebhooksPage';

export function Shell({ route, children }: { route: Route; children: ReactNode }) {
  const { t } = useI18n();
  const { me, live, signOut, openHelp } = useSession();
  const [connected, setConnected] = useState(() => live.isConnected());
  useEffect(() => live.onStatus(setConnected), [live]);
  const isAdmin = me.role === 'admin';

  const navItem = (page: Route['page'], href: string, label: string, icon: ReactNode, testId: string) => (
    <a href={href} className="nav-item" aria-current={route.page === page ? 'page' : undefined} data-testid={testId} title={label}>
      {icon}
      <span>{label}</span>
    </a>
  );

  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/conversations" aria-label={t('app.name')}>
          <LogoMark size={26} />
          <span className="brand-name">{t('app.name')}</span>
        </a>
        <nav className="nav" aria-label={t('nav.main')}>
          {navItem('inbox', '#/conversations', t('nav.inbox'), <InboxIcon size={16} />, 'nav-inbox')}
          {navItem('customers', '#/customers', t('nav.customers'), <UsersIcon size={16} />, 'nav-customers')}
          {isAdmin ? navItem('agents', '#/agents', t('nav.agents'), <UsersIcon size={16} />, 'nav-agents') : null}
          {/* Everyone sees the teams (who supervises, who is online); only admins change them. */}
          {navItem('teams', '#/teams', t('nav.teams'), <TeamIcon size={16} />, 'nav-teams')}
          {isAdmin ? navItem('channels', '#/channels', t('nav.channels'), <PlugIcon size={16} />, 'nav-channels') : null}
          {/* Every agent keeps personal canned replies; admins also the shared ones. */}
          {navItem('canned', '#/canned', t('nav.canned'), <CannedIcon size={16} />, 'nav-canned')}
          {/* Every agent may read the desk's settings (what the customer is promised); admins change them. */}
          {navItem('desk', '#/desk', t('nav.desk'), <ClockIcon size={16} />, 'nav-desk')}
          {navItem('reports', '#/reports', t('nav.reports'), <ChartIcon size={16} />, 'nav-reports')}
          {/* Every agent reads the knowledge base (to answer with it); admins write it. */}
          {navItem('kb', '#/kb', t('nav.kb'), <BookIcon size={16} />, 'nav-kb')}
          {isAdmin ? navItem('audit', '#/audit', t('nav.audit'), <AuditIcon size={16} />, 'nav-audit') : null}
          {isAdmin ? navItem('webhooks', '#/webhooks', t('nav.webhooks'), <WebhookIcon size={16} />, 'nav-webhooks') : null}
        </nav>
        <div className="topbar-right">
          {!connected ? (
            <span className="connection-pill" role="status" data-testid="connection-status" title={t('shell.reconnectingTitle')}>
              <Spinner size={12} />
              {t('shell.reconnecting')}
            </span>
          ) : null}
          <button type="button" className="icon-button" onClick={openHelp} aria-label={t('shell.help')} title={`${t('shell.help')} (?)`}>
            <KeyboardIcon size={18} />
          </button>
          <label className="lang-select" title={t('shell.language')}>
            <GlobeIcon size={16} />
            <LanguageSelect />
          </label>
          <div className="current-agent" data-testid="current-agent" data-role={me.role} title={t('shell.signedInAs', { name: me.name, role: t(`role.${me.role}`) })}>
            <Avatar name={me.name} seed={me.id} size={28} />
            <span className="current-agent-text">
              <span className="current-agent-name">{me.name}</span>
              <span className="current-agent-role">{t(`role.${me.role}`)}</span>
              {/* The raw role too, for scripts reading the text; hidden from people and screen readers. */}
              <span className="visually-hidden" aria-hidden="true">
                {` (${me.role})`}
              </span>
            </span>
          </div>
          <button type="button" className="button ghost small" onClick={signOut} data-testid="sign-out">
            <LogoutIcon size={16} />
            <span className="sign-out-text">{t('shell.signOut')}</span>
          </button>
        </div>
      </header>
      <div className="app-body">{children}</div>
    </div>
  );
}

export function Forbidden() {
  const { t } = useI18n();
  return (
    <div className="page">
      <div className="forbidden" data-testid="forbidden" role="alert">
        <div className="forbidden-icon" aria-hidden="true">
          <svg width="40" height="40" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round">
            <rect x="5" y="10.5" width="14" height="10" rx="2" />
            <path d="M8 10.5V8a4 4 0 0 1 8 0v2.5" />
          </svg>
        </div>
        <h1>{t('forbidden.title')}</h1>
        <p className="muted">{t('forbidden.text')}</p>
        <a className="button" href="#/conversations">
          {t('forbidden.back')}
        </a>
      </div>
    </div>
  );
}
