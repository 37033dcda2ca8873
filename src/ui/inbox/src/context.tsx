import { createContext, useContext, useEffect, useState } from 'react';
import type { Lang, Translate } from './i18n';
import type { LiveConnection } from './live';
import type { Agent, Channel, Team } from './types';

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
}

export const I18nContext = createContext<I18n | null>(null);

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nContext');
  return value;
}

export type ToastKind = 'error' | 'success' | 'info';
export type ShowToast = (kind: ToastKind, text: string) => void;

export const ToastContext = createContext<ShowToast>(() => undefined);
export const useToast = (): ShowToast => useContext(ToastContext);

export interface Session {
  me: Agent;
  agents: Agent[];
  channels: Channel[];
  /** Every team (GET /api/teams, open to all agents): the header's team menu, the list's team filter. */
  teams: Team[];
  live: LiveConnection;
  reloadAgents: () => Promise<void>;
  reloadChannels: () => Promise<void>;
  reloadTeams: () => Promise<void>;
  signOut: () => void;
  openHelp: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionContext');
  return value;
}

/** The current time, refreshed every `intervalMs`, for relative times ("5 m") that must keep counting. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * The current time for countdowns: one timer that wakes when `msUntilChange(now)` says the next
 * shown value changes (at least every `maxMs`), instead of a timer per countdown or a tick per
 * second for hours. A new `msUntilChange` (new data) takes the time afresh, so new rows never
 * render against a stale clock.
 */
export function useCountdownNow(msUntilChange: (now: number) => number, maxMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => setNow(Date.now()), [msUntilChange]);
  // Background tabs run timers late (Chrome: once a minute): catch up when the agent comes back.
  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && setNow(Date.now());
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);
  useEffect(() => {
    const wanted = msUntilChange(Date.now());
    const delay = Number.isNaN(wanted) ? maxMs : Math.min(maxMs, Math.max(20, wanted));
    const timer = setTimeout(() => setNow(Date.now()), delay);
    return () => clearTimeout(timer);
  }, [now, msUntilChange, maxMs]);
  return now;
}
