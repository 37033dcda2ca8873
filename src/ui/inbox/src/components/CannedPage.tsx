import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../api';
import {
  cannedBody,
  cannedErrorOf,
  emptyCannedForm,
  type CannedField,
  type CannedForm,
  type FieldProblem,
  forgetCannedReplies,
  formOfCanned,
  shortcutProblem,
  TEMPLATE_VARIABLES,
  templateProblem,
  type TemplateVariable,
} from '../canned';
import { useI18n, useSession, useToast } from '../context';
import type { Translate } from '../i18n';
import { PencilIcon, RefreshIcon, TrashIcon } from '../icons';
import type { Canned } from '../types';
import { errorText } from '../util';
import { Dialog, EmptyState, Spinner } from './common';

/** How long the search waits for the agent to stop typing before it asks the server. */
const SEARCH_DELAY_MS = 200;

export const CannedIcon = ({ size = 16 }: { size?: number }) => (
  <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
    <path d="M5 4.5h14a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-8.5L6 21v-3.5H5a2 2 0 0 1-2-2v-9a2 2 0 0 1 2-2z" />
    <path d="m10.5 8-2 7M15.5 8.5h-3" />
  </svg>
);

const problemText = (problem: FieldProblem, t: Translate): string => t(problem.key, problem.params);

/**
 * Canned replies (issue 16): every agent keeps personal ones, admins also the shared ones; each
 * with an English and a Chinese text. The shortcut and the templates are checked as typed, with
 * the server's rules, and a refusal of the server (a taken shortcut, an unsafe text) shows at its field.
 */
export function CannedPage() {
  const { t } = useI18n();
  const toast = useToast();
  const { me } = useSession();
  const isAdmin = me.role === 'admin';
  const [items, setItems] = useState<Canned[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [search, setSearch] = useState('');
  /** The reply in the form: null = a new one. */
  const [editing, setEditing] = useState<Canned | null>(null);
  const [deleting, setDeleting] = useState<Canned | null>(null);
  const [deletingBusy, setDeletingBusy] = useState(false);
  const searchRef = useRef(search);
  searchRef.current = search;

  const load = useCallback(
    async (signal?: AbortSignal) => {
      setLoading(true);
      try {
        const list = await api.listCanned(searchRef.current.trim() || undefined, signal);
        setItems(list.items);
      } catch (error) {
        if (!(error instanceof DOMException && error.name === 'AbortError')) toast('error', errorText(error, t));
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [toast, t],
  );

  useEffect(() => {
    document.title = `${t('canned.title')} · ${t('app.name')}`;
  }, [t]);
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => void load(controller.signal), search ? SEARCH_DELAY_MS : 0);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [search, load]);

  const changed = async () => {
    // The composers' pickers list them again next time they open.
    forgetCannedReplies();
    await load();
  };

  const remove = async (item: Canned) => {
    setDeletingBusy(true);
    try {
      await api.deleteCanned(item.id);
      toast('success', t('canned.deleted', { shortcut: item.shortcut }));
      if (editing?.id === item.id) setEditing(null);
      setDeleting(null);
      await changed();
    } catch (error) {
      toast('error', errorText(error, t));
    } finally {
      setDeletingBusy(false);
    }
  };

  const writable = (item: Canned) => item.scope === 'personal' || isAdmin;

  return (
    <div className="page canned-page" data-testid="canned-page" data-admin={isAdmin ? 'true' : 'false'}>
      <div className="page-head">
        <div>
          <h1>{t('canned.title')}</h1>
          <p className="muted">{t('canned.subtitle')}</p>
          {isAdmin ? null : <p className="muted small">{t('canned.readOnlyShared')}</p>}
        </div>
        <button type="button" className="button" onClick={() => void load()} disabled={loading}>
          {loading ? <Spinner size={12} /> : <RefreshIcon size={15} />}
          {t('canned.refresh')}
        </button>
      </div>
      <div className="page-grid">
        <section className="card">
          <div className="card-head canned-head">
            <input
              type="search"
              className="canned-search"
              value={search}
              onChange={(event) => setSearch(event.target.value)}
              placeholder={t('canned.search')}
              aria-label={t('canned.search')}
              data-testid="canned-search"
            />
            <span className="muted small">{items ? t('canned.count', { n: items.length }) : null}</span>
          </div>
          {items === null || items.length === 0 ? (
            items === null ? (
              <div className="pane-center">
                <Spinner size={18} label={t('common.loading')} />
              </div>
            ) : (
              <EmptyState icon={<CannedIcon size={28} />} title={search.trim() ? t('canned.noMatch', { q: search.trim() }) : t('canned.empty')} testId="canned-empty" />
            )
          ) : (
            <div className="table-scroll">
              <table className="table canned-table">
                <thead>
                  <tr>
                    <th scope="col">{t('canned.shortcut')}</th>
                    <th scope="col">{t('canned.titleField')}</th>
                    <th scope="col">{t('canned.languages')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('canned.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.id} data-testid="canned-row" data-shortcut={item.shortcut} data-scope={item.scope} className={editing?.id === item.id ? 'selected' : ''}>
                      <td className="nowrap">
                        <code className="canned-shortcut">/{item.shortcut}</code>{' '}
                        <span className={`mini-badge canned-scope ${item.scope}`} data-testid="canned-scope">
                          {t(`canned.badge.${item.scope}`)}
                        </span>
                      </td>
                      <td>
                        <div className="agent-name">{item.title}</div>
                        <div className="muted small canned-preview">{item.variants.en ?? item.variants.zh}</div>
                      </td>
                      <td className="nowrap">
                        {(['en', 'zh'] as const)
                          .filter((lang) => item.variants[lang] !== undefined)
                          .map((lang) => (
                            <span key={lang} className="mini-badge canned-lang" data-testid="canned-lang" data-lang={lang}>
                              {t(`canned.lang.${lang}`)}
                            </span>
                          ))}
                      </td>
                      <td className="actions-cell nowrap">
                        {writable(item) ? (
                          <>
                            <button type="button" className="icon-button" onClick={() => setEditing(item)} data-testid="canned-edit" aria-label={t('canned.editTitle', { shortcut: item.shortcut })} title={t('canned.edit')}>
                              <PencilIcon size={16} />
                            </button>
                            <button type="button" className="icon-button danger" onClick={() => setDeleting(item)} data-testid="canned-delete" aria-label={t('canned.deleteTitle', { shortcut: item.shortcut })} title={t('canned.delete')}>
                              <TrashIcon size={16} />
                            </button>
                          </>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {/* A new key per reply edited: the form starts from its values. */}
        <CannedEditor key={editing?.id ?? 'new'} item={editing} isAdmin={isAdmin} onSaved={changed} onDone={() => setEditing(null)} />
      </div>
      {deleting ? (
        <Dialog title={t('canned.deleteTitle', { shortcut: deleting.shortcut })} onClose={() => !deletingBusy && setDeleting(null)} testId="canned-delete-dialog">
          <p>{t('canned.deleteText')}</p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setDeleting(null)} disabled={deletingBusy}>
              {t('canned.cancel')}
            </button>
            <button type="button" className="button danger" onClick={() => void remove(deleting)} disabled={deletingBusy} data-testid="canned-delete-confirm">
              {deletingBusy ? <Spinner size={12} /> : <TrashIcon size={15} />}
              {t('canned.deleteConfirm')}
            </button>
          </div>
        </Dialog>
      ) : null}
    </div>
  );
}

function CannedEditor({ item, isAdmin, onSaved, onDone }: { item: Canned | null; isAdmin: boolean; onSaved: () => Promise<void>; onDone: () => void }) {
  const { t } = useI18n();
  const toast = useToast();
  const [form, setForm] = useState<CannedForm>(() => (item ? formOfCanned(item) : emptyCannedForm()));
  /** The server's refusals, each until its field is edited. */
  const [refusals, setRefusals] = useState<Partial<Record<CannedField, string>>>({});
  /** Problems of empty required fields show after a submit, not while the form is fresh. */
  const [submitted, setSubmitted] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const texts = { en: useRef<HTMLTextAreaElement>(null), zh: useRef<HTMLTextAreaElement>(null) };
  const lastText = useRef<'en' | 'zh'>('en');

  const set = <K extends keyof CannedForm>(key: K, value: CannedForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (refusals[key]) setRefusals((r) => ({ ...r, [key]: undefined }));
  };

  // As typed: a wrong shortcut or template at once; a missing one after trying to save.
  const live: Partial<Record<CannedField, string>> = {};
  const shortcut = shortcutProblem(form.shortcut);
  if (shortcut && (submitted || form.shortcut.trim())) live.shortcut = problemText(shortcut, t);
  for (const lang of ['en', 'zh'] as const) {
    const problem = templateProblem(form[lang]);
    if (problem) live[lang] = problemText(problem, t);
  }
  if (submitted) {
    const result = cannedBody(form);
    if ('problems' in result) for (const [field, problem] of Object.entries(result.problems)) live[field as CannedField] ??= problemText(problem, t);
  }
  const errors = { ...live, ...Object.fromEntries(Object.entries(refusals).filter(([, v]) => v)) } as Partial<Record<CannedField, string>>;

  const insertVariable = (variable: TemplateVariable) => {
    const lang = lastText.current;
    const element = texts[lang].current;
    const value = form[lang];
    const placeholder = `{{${variable}}}`;
    const start = element?.selectionStart ?? value.length;
    const end = element?.selectionEnd ?? value.length;
    set(lang, value.slice(0, start) + placeholder + value.slice(end));
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + placeholder.length, start + placeholder.length);
    });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmitted(true);
    const result = cannedBody(form);
    if ('problems' in result) return;
    setSaving(true);
    setFormError(null);
    try {
      const saved = item ? await api.updateCanned(item.id, result.body) : await api.createCanned(result.body);
      toast('success', t(item ? 'canned.saved' : 'canned.created', { shortcut: saved.shortcut }));
      await onSaved();
      if (item) onDone();
      else {
        setForm(emptyCannedForm());
        setSubmitted(false);
      }
    } catch (error) {
      const { field, text } = cannedErrorOf(error, t);
      if (field) setRefusals({ [field]: text });
      else setFormError(text);
    } finally {
      setSaving(false);
    }
  };

  const described = (field: CannedField, hint?: string) => {
    const ids = [hint, errors[field] ? `canned-error-${field}` : undefined].filter(Boolean).join(' ');
    return { ...(errors[field] ? { 'aria-invalid': true as const } : {}), ...(ids ? { 'aria-describedby': ids } : {}) };
  };
  const fieldError = (field: CannedField) =>
    errors[field] ? (
      <span className="field-error" id={`canned-error-${field}`} role="alert" data-testid="canned-field-error" data-field={field}>
        {errors[field]}
      </span>
    ) : null;

  return (
    <section className="card form-card" aria-labelledby="canned-form-title" data-testid="canned-form" data-mode={item ? 'edit' : 'create'}>
      <h2 id="canned-form-title">
        <CannedIcon size={18} />
        {item ? t('canned.editTitle', { shortcut: item.shortcut }) : t('canned.add')}
      </h2>
      <form onSubmit={submit} noValidate>
        <label className="field">
          <span>{t('canned.shortcut')}</span>
          <span className="canned-shortcut-input">
            <span aria-hidden="true">/</span>
            <input
              type="text"
              value={form.shortcut}
              onChange={(event) => set('shortcut', event.target.value)}
              maxLength={41}
              autoComplete="off"
              spellCheck={false}
              data-testid="canned-shortcut"
              {...described('shortcut', 'canned-shortcut-hint')}
            />
          </span>
          <span className="hint" id="canned-shortcut-hint">
            {t('canned.shortcutHint')}
          </span>
          {fieldError('shortcut')}
        </label>
        <label className="field">
          <span>{t('canned.titleField')}</span>
          <input type="text" value={form.title} onChange={(event) => set('title', event.target.value)} maxLength={100} autoComplete="off" data-testid="canned-title" {...described('title')} />
          {fieldError('title')}
        </label>
        <fieldset className="field fieldset" aria-describedby={isAdmin ? undefined : 'canned-scope-hint'}>
          <legend>{t('canned.scope')}</legend>
          <div className="radio-row">
            {(['personal', 'shared'] as const).map((scope) => (
              <label key={scope} className="check">
                <input
                  type="radio"
                  name="canned-scope"
                  checked={form.scope === scope}
                  onChange={() => set('scope', scope)}
                  disabled={!isAdmin && scope === 'shared'}
                  data-testid={`canned-scope-${scope}`}
                />
                <span>{t(`canned.scope.${scope}`)}</span>
              </label>
            ))}
          </div>
          {isAdmin ? null : (
            <span className="hint" id="canned-scope-hint">
              {t('canned.scopeHint')}
            </span>
          )}
          {fieldError('scope')}
        </fieldset>
        <p className="hint canned-variants-hint">{t('canned.variantsHint')}</p>
        {(['en', 'zh'] as const).map((lang) => (
          <label key={lang} className="field">
            <span>{t(`canned.${lang}`)}</span>
            <textarea
              ref={texts[lang]}
              value={form[lang]}
              onChange={(event) => set(lang, event.target.value)}
              onFocus={() => {
                lastText.current = lang;
              }}
              rows={4}
              maxLength={4000}
              lang={lang === 'zh' ? 'zh-CN' : 'en'}
              data-testid={`canned-text-${lang}`}
              {...described(lang)}
            />
            {fieldError(lang)}
          </label>
        ))}
        <div className="field canned-variables">
          <span>{t('canned.variables')}</span>
          <span className="hint">{t('canned.variablesHint')}</span>
          <ul className="canned-variable-list">
            {TEMPLATE_VARIABLES.map((variable) => (
              <li key={variable}>
                <button
                  type="button"
                  className="canned-variable"
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => insertVariable(variable)}
                  title={t(`canned.var.${variable}`)}
                  data-testid="canned-variable"
                  data-variable={variable}
                >
                  <code>{`{{${variable}}}`}</code>
                  <span className="muted small">{t(`canned.var.${variable}`)}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
        {formError ? (
          <p className="form-error" role="alert" data-testid="canned-form-error">
            {formError}
          </p>
        ) : null}
        <div className="form-actions">
          {item ? (
            <button type="button" className="button" onClick={onDone} disabled={saving} data-testid="canned-cancel">
              {t('canned.cancel')}
            </button>
          ) : null}
          <button type="submit" className="button primary" disabled={saving} data-testid="canned-submit">
            {saving ? <Spinner size={12} /> : null}
            {item ? (saving ? t('canned.saving') : t('canned.save')) : saving ? t('canned.creating') : t('canned.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
