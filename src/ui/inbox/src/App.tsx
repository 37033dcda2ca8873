import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, onUnauthorized } from './api';
import { I18nContext, SessionContext, ToastContext, useI18n, useToast, type Session } from './context';
import { isUrgentCase } from './escalation';
import { deskName, escalationReasonText, initialLang, makeTranslate, storeLang, type Lang, type MessageKey } from './i18n';
import { LiveConnection } from './live';
import { navigate, useRoute, type Route } from './router';
import type { Agent, Channel, Team } from './types';
import { errorText, isFormControl, isTypingTarget } from './util';
import { AgentsPage } from './components/AgentsPage';
import { CannedPage } from './components/CannedPage';
import { ChannelsPage } from './components/ChannelsPage';
import { CustomerPage } from './components/CustomerPage';
import { CustomersPage } from './components/CustomersPage';
import { DeskSettingsPage } from './components/DeskSettingsPage';
import { Spinner } from './components/common';
import { HelpDialog } from './components/HelpDialog';
import { Inbox } from './components/Inbox';
import { KnowledgePage } from './components/KnowledgePage';
import { Login } from './components/Login';
import { Forbidden, Shell } from './components/Shell';
import { ReportsPage } from './components/ReportsPage';
import { TeamsPage } from './components/TeamsPage';
import { AuditPage } from './components/AuditPage';
import { WebhooksPage } from './components/WebhooksPage';
import { Toasts, useToasts } from './components/Toasts';
import { LogoMark } from './icons';
import { clearDrafts } from './drafts';

type AuthState = { state: 'loading' } | { state: 'out' } | { state: 'in'; me: Agent } | { state: 'error'; error: unknown };

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    storeLang(next);
  }, []);
  const t = useMemo(() => makeTranslate(lang), [lang]);
  const i18n = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);

  const { toasts, show, dismiss } = useToasts();
  const route = useRoute();
  const [auth, setAuth] = useState<AuthState>({ state: 'loading' });
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const returnTo = useRef<Route | null>(null);

  const check = useCallback(async () => {
    setAuth({ state: 'loading' });
    try {
      setAuth({ state: 'in', me: await api.me() });
    } catch (error) {
      setAuth(error instanceof ApiError && error.status === 401 ? { state: 'out' } : { state: 'error', error });
    }
  }, []);
  useEffect(() => {
    void check();
  }, [check]);

  useEffect(() => {
    onUnauthorized(() => {
      setAuth((previous) => {
        if (previous.state !== 'in') return previous;
        setNotice('errors.sessionExpired');
        return { state: 'out' };
      });
    });
    return () => onUnauthorized(null);
  }, []);

  // Signed out: remember where the agent was and show the login page; signed in: leave it.
  useEffect(() => {
    if (auth.state === 'out' && route.page !== 'login') {
      returnTo.current = route;
      navigate({ page: 'login' }, true);
    } else if (auth.state === 'in' && route.page === 'login') {
      navigate(returnTo.current ?? { page: 'inbox', conversationId: null }, true);
      returnTo.current = null;
    }
  }, [auth.state, route]);

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } catch {
      // Signing out locally is what matters; the cookie is replaced on the next login anyway.
    }
    clearDrafts();
    returnTo.current = null;
    setNotice(null);
    setAuth({ state: 'out' });
  }, []);

  let content;
  if (auth.state === 'loading') {
    content = (
      <div className="boot">
        <LogoMark size={40} />
        <Spinner size={20} label={t('common.loading')} />
      </div>
    );
  } else if (auth.state === 'error') {
    content = (
      <div className="boot">
        <LogoMark size={40} />
        <h1>{t('boot.failed')}</h1>
        <p className="muted">{errorText(auth.error, t)}</p>
        <button type="button" className="button primary" onClick={() => void check()}>
          {t('boot.retry')}
        </button>
      </div>
    );
  } else if (auth.state === 'out') {
    content = (
      <Login
        notice={notice ? t(notice) : null}
        onSignedIn={(me) => {
          setNotice(null);
          setAuth({ state: 'in', me });
        }}
      />
    );
  } else {
    content = <SignedIn key={auth.me.id} me={auth.me} route={route} onSignOut={() => void signOut()} />;
  }

  return (
    <I18nContext.Provider value={i18n}>
      <ToastContext.Provider value={show}>
        {content}
        <Toasts toasts={toasts} dismiss={dismiss} />
      </ToastContext.Provider>
    </I18nContext.Provider>
  );
}

function SignedIn({ me, route, onSignOut }: { me: Agent; route: Route; onSignOut: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [agents, setAgents] = useState<Agent[]>([]);
  const [channels, setChannels] = useState<Channel[]>([]);
  const [teams, setTeams] = useState<Team[]>([]);
  const [helpOpen, setHelpOpen] = useState(false);
  const live = useMemo(
    () =>
      new LiveConnection(() => {
        // The stream was refused: a 401 here signs the app out; anything else just retries.
        api.checkSession().catch(() => undefined);
      }),
    [],
  );

  const reloadAgents = useCallback(async () => {
    try {
      // Agent bots are never assignees (issue 18): the pickers and the agents page list people only.
      setAgents((await api.listAgents()).items.filter((a) => a.role !== 'bot'));
    } catch (error) {
      toast('error', errorText(error, t));
    }
  }, [toast, t]);
  const reloadChannels = useCallback(async () => {
    try {
      setChannels(await api.listChannels());
    } catch (error) {
      toast('error', errorText(error, t));
    }
  }, [toast, t]);
  const reloadTeams = useCallback(async () => {
    try {
      setTeams((await api.listTeams()).items);
    } catch (error) {
      toast('error', errorText(error, t));
    }
  }, [toast, t]);

  useEffect(() => {
    live.start();
    return () => live.stop();
  }, [live]);
  useEffect(() => {
    void reloadAgents();
    void reloadChannels();
    void reloadTeams();
    // Load once per session; pages reload explicitly when they need fresh data.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(
    () =>
      live.subscribe((event) => {
        if (event.type === 'resync') {
          void reloadAgents();
          void reloadChannels();
          void reloadTeams();
        }
      }),
    [live, reloadAgents, reloadChannels, reloadTeams],
  );

  // An urgent case (wallet safety) reaches every agent, and an escalation the supervisor it went
  // to, even in another tab: a browser notification, asked for on the first click (browsers only
  // ask in answer to a gesture), else a toast.
  useEffect(() => {
    if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
    const ask = (): void => void Notification.requestPermission().catch(() => undefined);
    document.addEventListener('click', ask, { once: true });
    return () => document.removeEventListener('click', ask);
  }, []);
  useEffect(
    () =>
      live.subscribe((event) => {
        if (event.type !== 'conversation.escalated') return;
        const conversation = event.data;
        const escalation = conversation.escalation;
        if (!escalation) return;
        let title: string;
        let reason: string;
        if (isUrgentCase(escalation)) {
          title = t('escalation.notify', { name: conversation.contact.name });
          reason = escalation.reason === 'secret-exposed' ? t('escalation.secret-exposed') : t('escalation.triage');
        } else if (escalation.assignedTo === me.id && escalation.by !== me.name) {
          // The one who escalated was told already; the rest of the team sees it in the list.
          title = t('escalation.notifyYou', { name: conversation.contact.name });
          reason = t('escalation.notifyBody', { name: deskName(escalation.by, t), reason: escalationReasonText(escalation.reason, t) });
        } else {
          return;
        }
        if (typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
          const note = new Notification(title, { body: reason, tag: `escalated-${conversation.id}` });
          note.onclick = () => {
            window.focus();
            navigate({ page: 'inbox', conversationId: conversation.id });
          };
        } else {
          toast('info', `${title} — ${reason}`);
        }
      }),
    [live, t, toast, me.id, me.name],
  );

  // `?` opens the help from anywhere; Escape leaves a field.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      if (event.key === 'Escape' && isFormControl(event.target)) {
        event.target.blur();
        return;
      }
      if (event.key === '?' && !isTypingTarget(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        setHelpOpen(true);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const openHelp = useCallback(() => setHelpOpen(true), []);
  const session = useMemo<Session>(
    () => ({ me, agents, channels, teams, live, reloadAgents, reloadChannels, reloadTeams, signOut: onSignOut, openHelp }),
    [me, agents, channels, teams, live, reloadAgents, reloadChannels, reloadTeams, onSignOut, openHelp],
  );

  let page;
  if (route.page === 'agents') page = me.role === 'admin' ? <AgentsPage /> : <Forbidden />;
  else if (route.page === 'teams') page = <TeamsPage />;
  else if (route.page === 'channels') page = me.role === 'admin' ? <ChannelsPage /> : <Forbidden />;
  else if (route.page === 'desk') page = <DeskSettingsPage />;
  else if (route.page === 'reports') page = <ReportsPage />;
  else if (route.page === 'audit') page = me.role === 'admin' ? <AuditPage /> : <Forbidden />;
  else if (route.page === 'webhooks') page = me.role === 'admin' ? <WebhooksPage /> : <Forbidden />;
  else if (route.page === 'canned') page = <CannedPage />;
  else if (route.page === 'kb') page = <KnowledgePage articleId={route.articleId} />;
  else if (route.page === 'customers') page = route.contactId ? <CustomerPage key={route.contactId} contactId={route.contactId} /> : <CustomersPage />;
  else page = <Inbox conversationId={route.page === 'inbox' ? route.conversationId : null} helpOpen={helpOpen} />;

  return (
    <SessionContext.Provider value={session}>
      <Shell route={route}>{page}</Shell>
      {helpOpen ? <HelpDialog onClose={() => setHelpOpen(false)} /> : null}
    </SessionContext.Provider>
  );
}
