import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError } from '../api';
import { useI18n, useSession, useToast } from '../context';
import { AlertIcon, CloseIcon, EscalateIcon, InboxIcon, SearchIcon } from '../icons';
import { navigate } from '../router';
import { csatFilters } from '../csat';
import { escalateErrorText } from '../escalation';
import { conversationStatuses, priorities, type Conversation, type ConversationFilters, type ConversationPatch, type ConversationSort, type EscalationReason } from '../types';
import { compareConversations, errorText, isTypingTarget, matchesFilters, sortConversations } from '../util';
import { EmptyState, Spinner } from './common';
import { ConversationList } from './ConversationList';
import { ConversationView, type ComposerHandle } from './ConversationView';
import { CustomerPanel } from './CustomerPanel';

const defaultFilters: ConversationFilters = { status: 'open', channel: '', assignee: '', priority: '', label: '', q: '', sla: '', team: '', escalated: false, csat: '' };
const PANEL_KEY = 'sb.customerPanel';
const SORT_KEY = 'sb.sort';
const sorts: readonly ConversationSort[] = ['activity', 'due'];

/** The agent's chosen order is a preference, kept like the panel's (filters are not). */
function initialSort(): ConversationSort {
  try {
    return localStorage.getItem(SORT_KEY) === 'due' ? 'due' : 'activity';
  } catch {
    return 'activity';
  }
}

function initialPanelOpen(): boolean {
  try {
    const stored = localStorage.getItem(PANEL_KEY);
    if (stored === 'open') return true;
    if (stored === 'closed') return false;
  } catch {
    // ignore
  }
  return window.innerWidth >= 1200;
}

type CurrentState = 'none' | 'loading' | 'ready' | 'missing';

export function Inbox({ conversationId, helpOpen }: { conversationId: string | null; helpOpen: boolean }) {
  const { t } = useI18n();
  const toast = useToast();
  const { me, live, channels, agents, teams } = useSession();

  const [filters, setFilters] = useState<ConversationFilters>(defaultFilters);
  const [sort, setSort] = useState<ConversationSort>(initialSort);
  const [search, setSearch] = useState('');
  const [labelText, setLabelText] = useState('');
  const [items, setItems] = useState<Conversation[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [listState, setListState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [listError, setListError] = useState<unknown>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreFailed, setMoreFailed] = useState(false);
  const [current, setCurrent] = useState<Conversation | null>(null);
  const [currentState, setCurrentState] = useState<CurrentState>('none');
  const [panelOpen, setPanelOpen] = useState(initialPanelOpen);
  const [reloadToken, setReloadToken] = useState(0);

  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const sortRef = useRef(sort);
  sortRef.current = sort;
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const nextCursorRef = useRef(nextCursor);
  nextCursorRef.current = nextCursor;
  const openIdRef = useRef(conversationId);
  openIdRef.current = conversationId;
  const currentRef = useRef(current);
  currentRef.current = current;
  const helpOpenRef = useRef(helpOpen);
  helpOpenRef.current = helpOpen;
  const requestSeq = useRef(0);
  const composer = useRef<ComposerHandle | null>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  /** Last known unread flag per conversation: live events do not carry the per-agent flag. */
  const seen = useRef(new Map<string, { unread: boolean; lastInboundAt: string | null }>());

  const remember = (list: Conversation[]) => {
    for (const c of list) seen.current.set(c.id, { unread: c.unread === true, lastInboundAt: c.lastInboundAt });
  };

  // Debounced text filters.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.q === search.trim() ? f : { ...f, q: search.trim() })), 300);
    return () => clearTimeout(timer);
  }, [search]);
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.label === labelText.trim() ? f : { ...f, label: labelText.trim() })), 300);
    return () => clearTimeout(timer);
  }, [labelText]);

  const loadFirst = useCallback(
    async (soft: boolean) => {
      const seq = ++requestSeq.current;
      if (!soft) setListState('loading');
      setMoreFailed(false);
      try {
        const page = await api.listConversations({ ...filtersRef.current, sort: sortRef.current }, null);
        if (seq !== requestSeq.current) return;
        const open = openIdRef.current;
        const list = page.items.map((c) => (c.id === open ? { ...c, unread: false } : c));
        remember(list);
        setItems(list);
        setNextCursor(page.nextCursor);
        setListState('ready');
      } catch (error) {
        if (seq !== requestSeq.current) return;
        if (soft) toast('error', errorText(error, t));
        else {
          setListError(error);
          setListState('error');
        }
      }
    },
    [toast, t],
  );

  useEffect(() => {
    void loadFirst(false);
    // Reload whenever the filters or the order change (or on an explicit retry).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [filters, sort, reloadToken]);

  const loadMore = useCallback(async () => {
    const cursor = nextCursorRef.current;
    if (!cursor || loadingMore) return;
    const seq = requestSeq.current;
    setLoadingMore(true);
    setMoreFailed(false);
    try {
      const page = await api.listConversations({ ...filtersRef.current, sort: sortRef.current }, cursor);
      if (seq !== requestSeq.current) return;
      remember(page.items);
      setItems((list) => {
        const ids = new Set(list.map((c) => c.id));
        return [...list, ...page.items.filter((c) => !ids.has(c.id))];
      });
      setNextCursor(page.nextCursor);
    } catch (error) {
      if (seq === requestSeq.current) {
        setMoreFailed(true);
        toast('error', errorText(error, t));
      }
    } finally {
      setLoadingMore(false);
    }
  }, [loadingMore, toast, t]);

  /** Folds a conversation from the API or a live event into the list and the open view. */
  const applyConversation = useCallback(
    (incoming: Conversation, fromEvent: boolean) => {
      const isOpen = incoming.id === openIdRef.current;
      const known = seen.current.get(incoming.id);
      let unread: boolean;
      if (isOpen) unread = false;
      else if (!fromEvent && incoming.unread !== undefined) unread = incoming.unread;
      else if (known) unread = known.unread || (incoming.lastInboundAt !== null && incoming.lastInboundAt !== known.lastInboundAt);
      else unread = incoming.waitingSince !== null;
      const merged: Conversation = { ...incoming, unread };
      seen.current.set(merged.id, { unread, lastInboundAt: merged.lastInboundAt });

      setItems((list) => {
        const index = list.findIndex((c) => c.id === merged.id);
        const listed = index >= 0;
        if (!matchesFilters(merged, filtersRef.current, me.id, listed)) return listed ? list.filter((c) => c.id !== merged.id) : list;
        const order = sortRef.current;
        if (!listed) {
          // After everything loaded (older, or due later) while more pages exist: it comes with those pages.
          const last = list[list.length - 1];
          if (nextCursorRef.current && last && compareConversations(order)(merged, last) > 0) return list;
          return sortConversations([...list, merged], order);
        }
        const next = [...list];
        next[index] = merged;
        return sortConversations(next, order);
      });
      if (isOpen) setCurrent((c) => (c && c.id === merged.id ? merged : c));
    },
    [me.id],
  );

  const refreshCurrent = useCallback(
    async (id: string) => {
      try {
        const conversation = await api.getConversation(id);
        if (openIdRef.current !== id) return;
        setCurrent({ ...conversation, unread: false });
        setCurrentState('ready');
        applyConversation(conversation, false);
      } catch (error) {
        if (openIdRef.current !== id) return;
        if (error instanceof ApiError && error.status === 404) {
          setCurrent(null);
          setCurrentState('missing');
        } else {
          toast('error', errorText(error, t));
          if (!currentRef.current) setCurrentState('missing');
        }
      }
    },
    [applyConversation, toast, t],
  );

  const markRead = useCallback((id: string) => {
    const known = seen.current.get(id);
    if (known) known.unread = false;
    setItems((list) => (list.some((c) => c.id === id && c.unread) ? list.map((c) => (c.id === id ? { ...c, unread: false } : c)) : list));
    api.markRead(id).catch(() => undefined);
  }, []);

  const refreshCurrentRef = useRef(refreshCurrent);
  refreshCurrentRef.current = refreshCurrent;

  // Opening a conversation: show what the list has at once, then fetch it fresh and mark it read.
  useEffect(() => {
    if (!conversationId) {
      setCurrent(null);
      setCurrentState('none');
      return;
    }
    const listed = itemsRef.current.find((c) => c.id === conversationId);
    setCurrent(listed ? { ...listed, unread: false } : null);
    setCurrentState(listed ? 'ready' : 'loading');
    void refreshCurrentRef.current(conversationId);
    markRead(conversationId);
  }, [conversationId, markRead]);

  // Live updates.
  useEffect(
    () =>
      live.subscribe((event) => {
        if (event.type === 'resync') {
          void loadFirst(true);
          if (openIdRef.current) void refreshCurrent(openIdRef.current);
        } else if (
          event.type === 'conversation.created' ||
          event.type === 'conversation.updated' ||
          event.type === 'conversation.escalated' ||
          event.type === 'conversation.sla_breached' ||
          event.type === 'conversation.sla_warning' ||
          event.type === 'csat.received'
        ) {
          applyConversation(event.data, true);
        } else if (event.type === 'message.created') {
          const message = event.data;
          if (message.direction === 'inbound' && message.conversationId !== openIdRef.current) {
            const known = seen.current.get(message.conversationId);
            if (known) known.unread = true;
            setItems((list) => list.map((c) => (c.id === message.conversationId && !c.unread ? { ...c, unread: true } : c)));
          }
        }
      }),
    [live, applyConversation, loadFirst, refreshCurrent],
  );

  /** Sends a change of the open conversation and shows the result; a refusal is a toast (`explain` words it). */
  const act = useCallback(
    async (send: (id: string) => Promise<Conversation>, explain: (error: unknown, target: Conversation) => string = (error) => errorText(error, t)): Promise<Conversation | null> => {
      const target = currentRef.current;
      if (!target) return null;
      try {
        const updated = await send(target.id);
        applyConversation(updated, false);
        if (openIdRef.current === updated.id) setCurrent({ ...updated, unread: false });
        return updated;
      } catch (error) {
        toast('error', explain(error, target));
        return null;
      }
    },
    [applyConversation, toast, t],
  );
  const update = useCallback((patch: ConversationPatch) => act((id) => api.patchConversation(id, patch)), [act]);
  const moveToTeam = useCallback((teamId: string | null) => act((id) => api.setConversationTeam(id, teamId)), [act]);
  const escalate = useCallback(
    (reason: EscalationReason) =>
      act(
        (id) => api.escalate(id, reason),
        (error, target) => {
          // Someone escalated it first: show it as it is now.
          if (error instanceof ApiError && error.code === 'conflict') void refreshCurrent(target.id);
          return escalateErrorText(error, target, t);
        },
      ),
    [act, refreshCurrent, t],
  );

  const takeOver = useCallback(
    () =>
      act(
        (id) => api.takeOver(id),
        (error, target) => {
          // Handed over meanwhile (the customer asked, a colleague took it): show it as it is now.
          if (error instanceof ApiError && error.code === 'conflict') void refreshCurrent(target.id);
          return errorText(error, t);
        },
      ),
    [act, refreshCurrent, t],
  );

  // Keyboard shortcuts of the inbox (the help dialog lists them; `?` lives in App).
  useEffect(() => {
    const move = (delta: number) => {
      const list = itemsRef.current;
      if (list.length === 0) return;
      const index = list.findIndex((c) => c.id === openIdRef.current);
      const nextIndex = index < 0 ? 0 : Math.min(list.length - 1, Math.max(0, index + delta));
      const target = list[nextIndex];
      if (target && target.id !== openIdRef.current) navigate({ page: 'inbox', conversationId: target.id });
      if (delta > 0 && nextIndex >= list.length - 2 && nextCursorRef.current) void loadMoreRef.current();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || helpOpenRef.current) return;
      if (isTypingTarget(event.target) || document.querySelector('[role="dialog"], [role="menu"]')) return;
      switch (event.key) {
        case 'j':
          move(1);
          break;
        case 'k':
          move(-1);
          break;
        case 'r':
          if (!composer.current) return;
          composer.current.focus('reply');
          break;
        case 'n':
          if (!composer.current) return;
          composer.current.focus('note');
          break;
        case 'e': {
          const target = currentRef.current;
          if (!target || target.status === 'resolved') return;
          void update({ status: 'resolved' }).then((done) => done && toast('success', t('actions.resolved')));
          break;
        }
        case '/':
          searchInput.current?.focus();
          searchInput.current?.select();
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [update, toast, t]);
  const loadMoreRef = useRef(loadMore);
  loadMoreRef.current = loadMore;

  // Unread count in the tab title, so a busy agent sees it from another tab.
  const unreadCount = items.filter((c) => c.unread).length;
  useEffect(() => {
    document.title = unreadCount > 0 ? `(${unreadCount}) ${t('nav.inbox')} · ${t('app.name')}` : `${t('nav.inbox')} · ${t('app.name')}`;
    return () => {
      document.title = t('app.name');
    };
  }, [unreadCount, t]);

  const togglePanel = useCallback(() => {
    setPanelOpen((open) => {
      try {
        localStorage.setItem(PANEL_KEY, open ? 'closed' : 'open');
      } catch {
        // ignore
      }
      return !open;
    });
  }, []);

  const filtered =
    filters.status !== 'open' || !!filters.channel || !!filters.assignee || !!filters.priority || !!filters.label || !!filters.q || !!filters.sla || !!filters.team || filters.escalated || !!filters.csat;
  const clearFilters = () => {
    setSearch('');
    setLabelText('');
    setFilters(defaultFilters);
  };
  const setFilter = <K extends keyof ConversationFilters>(key: K, value: ConversationFilters[K]) => setFilters((f) => ({ ...f, [key]: value }));
  const chooseSort = (next: ConversationSort) => {
    setSort(next);
    try {
      localStorage.setItem(SORT_KEY, next);
    } catch {
      // ignore
    }
  };
  const channel = current ? channels.find((c) => c.id === current.channelId) : undefined;
  const assignable = useMemo(() => agents.filter((agent) => agent.active), [agents]);

  let main;
  if (current) {
    main = (
      <ConversationView
        key={current.id}
        conversation={current}
        channel={channel}
        composerRef={composer}
        onUpdate={update}
        onMoveToTeam={moveToTeam}
        onEscalate={escalate}
        onTakeOver={takeOver}
        onNewInbound={() => markRead(current.id)}
        panelOpen={panelOpen}
        onTogglePanel={togglePanel}
      />
    );
  } else if (currentState === 'loading') {
    main = (
      <div className="pane-center">
        <Spinner size={20} label={t('common.loading')} />
      </div>
    );
  } else if (currentState === 'missing') {
    main = <EmptyState icon={<InboxIcon size={32} />} title={t('errors.conversationGone')} />;
  } else {
    main = (
      <EmptyState icon={<InboxIcon size={32} />} title={t('view.emptyTitle')}>
        <p>{t('view.emptyText')}</p>
        <p className="muted small">
          <kbd>j</kbd> <kbd>k</kbd> · <kbd>?</kbd> {t('view.emptyHint')}
        </p>
      </EmptyState>
    );
  }

  return (
    <div className={`inbox${current && panelOpen ? ' with-panel' : ''}${conversationId ? ' has-selection' : ''}`}>
      <section className="list-pane" aria-label={t('list.label')}>
        <div className="list-head">
          <div className="list-title-row">
            <h1>{t('list.title')}</h1>
            {filtered ? (
              <button type="button" className="link-button" onClick={clearFilters}>
                {t('filter.clear')}
              </button>
            ) : null}
          </div>
          <div className="search-box">
            <SearchIcon size={16} />
            <input
              ref={searchInput}
              type="search"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
              placeholder={t('list.search')}
              aria-label={t('list.searchLabel')}
              data-testid="search-input"
              maxLength={200}
            />
            {search ? (
              <button type="button" className="icon-button small" onClick={() => setSearch('')} aria-label={t('common.close')}>
                <CloseIcon size={14} />
              </button>
            ) : (
              <kbd className="search-kbd" aria-hidden="true">
                /
              </kbd>
            )}
          </div>
          <div className="filters" role="group" aria-label={t('list.filters')}>
            <select
              value={filters.status}
              onChange={(event) => setFilter('status', event.target.value as ConversationFilters['status'])}
              aria-label={t('filter.status')}
              data-testid="filter-status"
              className={filters.status !== 'open' ? 'active' : ''}
            >
              {conversationStatuses.map((status) => (
                <option key={status} value={status}>
                  {t(`status.${status}`)}
                </option>
              ))}
              <option value="">{t('filter.allStatuses')}</option>
            </select>
            <select
              value={filters.assignee}
              onChange={(event) => setFilter('assignee', event.target.value)}
              aria-label={t('filter.assignee')}
              data-testid="filter-assignee"
              className={filters.assignee ? 'active' : ''}
            >
              <option value="">{t('filter.anyone')}</option>
              <option value="me">{t('filter.mine')}</option>
              <option value="unassigned">{t('filter.unassigned')}</option>
              {assignable.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name}
                </option>
              ))}
            </select>
            <select
              value={filters.team}
              onChange={(event) => setFilter('team', event.target.value)}
              aria-label={t('filter.team')}
              data-testid="filter-team"
              className={filters.team ? 'active' : ''}
            >
              <option value="">{t('filter.anyTeam')}</option>
              <option value="none">{t('filter.noTeam')}</option>
              {teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
              {filters.team && filters.team !== 'none' && !teams.some((team) => team.id === filters.team) ? <option value={filters.team}>{t('teams.unknownTeam', { id: filters.team })}</option> : null}
            </select>
            <select
              value={filters.priority}
              onChange={(event) => setFilter('priority', event.target.value as ConversationFilters['priority'])}
              aria-label={t('filter.priority')}
              data-testid="filter-priority"
              className={filters.priority ? 'active' : ''}
            >
              <option value="">{t('filter.anyPriority')}</option>
              {[...priorities].reverse().map((priority) => (
                <option key={priority} value={priority}>
                  {t(`priority.${priority}`)}
                </option>
              ))}
            </select>
            <select
              value={filters.channel}
              onChange={(event) => setFilter('channel', event.target.value)}
              aria-label={t('filter.channel')}
              data-testid="filter-channel"
              className={filters.channel ? 'active' : ''}
            >
              <option value="">{t('filter.allChannels')}</option>
              {channels.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            <select
              value={filters.csat}
              onChange={(event) => setFilter('csat', event.target.value as ConversationFilters['csat'])}
              aria-label={t('filter.csat')}
              title={t('filter.csat')}
              data-testid="filter-csat"
              className={filters.csat ? 'active' : ''}
            >
              <option value="">{t('filter.anyCsat')}</option>
              {csatFilters.map((option) => (
                <option key={option} value={option}>
                  {t(`filter.csat.${option}`)}
                </option>
              ))}
            </select>
            <input
              type="text"
              value={labelText}
              onChange={(event) => setLabelText(event.target.value)}
              placeholder={t('filter.labelPlaceholder')}
              aria-label={t('filter.label')}
              data-testid="filter-label"
              className={labelText ? 'active' : ''}
              maxLength={50}
            />
          </div>
          <div className="list-views">
            <div className="view-toggles">
              <button
                type="button"
                className={`view-toggle${filters.sla === 'breached' ? ' active' : ''}`}
                onClick={() => setFilter('sla', filters.sla === 'breached' ? '' : 'breached')}
                aria-pressed={filters.sla === 'breached'}
                title={t('filter.breachedTitle')}
                data-testid="view-breached"
              >
                <AlertIcon size={13} />
                <span>{t('filter.breached')}</span>
              </button>
              <button
                type="button"
                className={`view-toggle escalated${filters.escalated ? ' active' : ''}`}
                onClick={() => setFilter('escalated', !filters.escalated)}
                aria-pressed={filters.escalated}
                title={t('filter.escalatedTitle')}
                data-testid="view-escalated"
              >
                <EscalateIcon size={13} />
                <span>{t('filter.escalated')}</span>
              </button>
            </div>
            <div className="segmented" role="group" aria-label={t('sort.label')} title={t('sort.label')} data-testid="sort-toggle" data-sort={sort}>
              {sorts.map((option) => (
                <button key={option} type="button" className={sort === option ? 'active' : ''} onClick={() => chooseSort(option)} aria-pressed={sort === option} data-testid={`sort-${option}`}>
                  {t(`sort.${option}`)}
                </button>
              ))}
            </div>
          </div>
        </div>
        <ConversationList
          items={items}
          state={listState}
          error={listError}
          selectedId={conversationId}
          hasMore={nextCursor !== null}
          loadingMore={loadingMore}
          moreFailed={moreFailed}
          filtered={filtered}
          emptyFilteredText={
            filters.sla === 'breached' ? t('list.emptyBreached') : filters.escalated ? t('list.emptyEscalated') : filters.csat === 'low' ? t('list.emptyCsatLow') : undefined
          }
          showStatus={filters.status === ''}
          onLoadMore={() => void loadMore()}
          onRetry={() => setReloadToken((n) => n + 1)}
          onClearFilters={clearFilters}
        />
      </section>
      <main className="conversation-pane">{main}</main>
      {current && panelOpen ? <CustomerPanel conversation={current} onClose={togglePanel} /> : null}
    </div>
  );
}
