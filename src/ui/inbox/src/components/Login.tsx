import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { useI18n } from '../context';
import { GlobeIcon, LogoMark } from '../icons';
import type { Agent } from '../types';
import { errorText } from '../util';
import { LanguageSelect, Spinner } from './common';

export function Login({ onSignedIn, notice }: { onSignedIn: (agent: Agent) => void; notice: string | null }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!email.trim() || !password) {
      setError(t('login.required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await api.login(email.trim(), password);
      onSignedIn(result.agent);
    } catch (caught) {
      setError(errorText(caught, t));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-lang">
        <GlobeIcon size={16} />
        <LanguageSelect />
      </div>
      <main className="login-card">
        <div className="login-brand">
          <LogoMark size={40} />
          <span>{t('app.name')}</span>
        </div>
        <h1>{t('login.title')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        {notice && !error ? (
          <p className="form-notice" role="status">
            {notice}
          </p>
        ) : null}
        <form onSubmit={submit} noValidate>
          <label className="field">
            <span>{t('login.email')}</span>
            <input
              type="email"
              autoComplete="username"
              autoFocus
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              data-testid="login-email"
              aria-invalid={error ? true : undefined}
            />
          </label>
          <label className="field">
            <span>{t('login.password')}</span>
            <input
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
              data-testid="login-password"
              aria-invalid={error ? true : undefined}
            />
          </label>
          {error ? (
            <p className="form-error" role="alert" data-testid="login-error">
              {error}
            </p>
          ) : null}
          <button type="submit" className="button primary block" disabled={busy} data-testid="login-submit">
            {busy ? <Spinner size={14} /> : null}
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </main>
      <p className="login-footer muted">{t('login.footer')}</p>
    </div>
  );
}
