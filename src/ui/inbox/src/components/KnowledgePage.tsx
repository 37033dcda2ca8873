import { marked, type MarkedToken, type Token } from 'marked';
import { Fragment, useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiError } from '../api';
import { useI18n, useSession, useToast } from '../context';
import { formatDateTime, type MessageKey } from '../i18n';
import { ChannelIcon, ChevronLeftIcon, LockIcon, RefreshIcon, SearchIcon } from '../icons';
import {
  articleBody,
  emptyArticleForm,
  formOfArticle,
  kbErrorOf,
  kbLangs,
  languagesOf,
  rebaseForm,
  sameForm,
  titleOf,
  type ArticleForm,
  type KbField,
  type KbLang,
} from '../kb';
import { navigate } from '../router';
import { articleStatuses, channelKinds, type Article, type ArticleStatus, type ArticleVersion, type ChannelKind } from '../types';
import { errorText } from '../util';
import { Dialog, EmptyState, Spinner } from './common';

/** The list's search waits this long after the last key before asking the server. */
const SEARCH_DEBOUNCE_MS = 250;

/** An open book: the knowledge base in the navigation and the page's empty states. */
export const BookIcon = ({ size = 16 }: { size?: number }) => (
  <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
    <path d="M12 6.5C10.2 5 7.6 4.5 4 4.5v13c3.6 0 6.2.5 8 2 1.8-1.5 4.4-2 8-2v-13c-3.6 0-6.2.5-8 2z" />
    <path d="M12 6.5v13" />
  </svg>
);

const langLabel = (lang: KbLang, t: (key: MessageKey) => string): string => t(lang === 'en' ? 'kb.lang.en' : 'kb.lang.zh');

/**
 * The knowledge base (issue 16): articles in English and Chinese that agents insert into replies
 * and customers read in the help center. Everyone may read them here; admins write, publish and
 * restore older versions.
 */
export function KnowledgePage({ articleId }: { articleId: string | null }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t('kb.title')} · ${t('app.name')}`;
  }, [t]);
  // A new key per article: its screen starts from that article's values.
  return articleId === null ? <ArticleList /> : <ArticleScreen key={articleId} articleId={articleId === 'new' ? null : articleId} />;
}

function ArticleList() {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const isAdmin = me.role === 'admin';
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<ArticleStatus | ''>('');
  const [items, setItems] = useState<Article[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    const timer = setTimeout(
      () => {
        api
          .listArticles({ status, q: q.trim() }, controller.signal)
          .then((page) => {
            setItems(page.items);
            setLoadError(null);
          })
          .catch((error: unknown) => {
            if (!controller.signal.aborted) setLoadError(errorText(error, t));
          })
          .finally(() => !controller.signal.aborted && setLoading(false));
      },
      q.trim() ? SEARCH_DEBOUNCE_MS : 0,
    );
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q, status, reloads, t]);

  const filtered = q.trim() !== '' || status !== '';
  return (
    <div className="page kb-page" data-testid="kb-page" data-admin={isAdmin ? 'true' : 'false'}>
      <div className="page-head">
        <div>
          <h1>{t('kb.title')}</h1>
          <p className="muted">{t('kb.subtitle')}</p>
          {isAdmin ? null : (
            <p className="muted small" data-testid="kb-read-only">
              {t('kb.readOnly')}
            </p>
          )}
        </div>
        <div className="page-head-actions">
          <a className="button" href={`/help/${lang}`} target="_blank" rel="noopener noreferrer" data-testid="kb-help-center">
            {t('kb.openHelpCenter')}
          </a>
          <button type="button" className="button" onClick={() => setReloads((n) => n + 1)} disabled={loading}>
            {loading ? <Spinner size={12} /> : <RefreshIcon size={15} />}
            {t('kb.refresh')}
          </button>
          {isAdmin ? (
            <a className="button primary" href="#/kb/new" data-testid="kb-new">
              {t('kb.new')}
            </a>
          ) : null}
        </div>
      </div>

      <section className="card">
        <div className="card-head kb-toolbar">
          <label className="search-box kb-search">
            <SearchIcon size={15} />
            <input type="search" value={q} onChange={(event) => setQ(event.target.value)} placeholder={t('kb.searchPlaceholder')} aria-label={t('kb.search')} data-testid="kb-search" />
          </label>
          <select value={status} onChange={(event) => setStatus(event.target.value as ArticleStatus | '')} aria-label={t('kb.filterStatus')} data-testid="kb-filter-status">
            <option value="">{t('kb.status.any')}</option>
            {articleStatuses.map((value) => (
              <option key={value} value={value}>
                {t(`kb.status.${value}`)}
              </option>
            ))}
          </select>
          <span className="spacer" />
          {items ? <span className="muted small">{t('kb.count', { n: items.length })}</span> : null}
        </div>
        {loadError ? (
          <p className="form-error kb-load-error" role="alert">
            {loadError}
          </p>
        ) : null}
        {items === null ? (
          <div className="pane-center">
            <Spinner size={18} label={t('common.loading')} />
          </div>
        ) : items.length === 0 ? (
          <EmptyState icon={<BookIcon size={28} />} title={filtered ? t('kb.noMatch') : t('kb.empty')} testId="kb-empty" />
        ) : (
          <div className="table-scroll">
            <table className="table kb-table">
              <thead>
                <tr>
                  <th scope="col">{t('kb.article')}</th>
                  <th scope="col">{t('kb.statusLabel')}</th>
                  <th scope="col">{t('kb.languages')}</th>
                  <th scope="col">{t('kb.tags')}</th>
                  <th scope="col">{t('kb.audience')}</th>
                  <th scope="col">{t('kb.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((article) => (
                  <ArticleRow key={article.id} article={article} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function ArticleRow({ article }: { article: Article }) {
  const { t, lang } = useI18n();
  const present = languagesOf(article);
  return (
    <tr data-testid="kb-row" data-id={article.id} data-slug={article.slug} data-status={article.status} className="kb-row" onClick={() => navigate({ page: 'kb', articleId: article.id })}>
      <td>
        <a href={`#/kb/${encodeURIComponent(article.id)}`} className="kb-title-link" data-testid="kb-row-title" onClick={(event) => event.stopPropagation()}>
          {titleOf(article, lang)}
        </a>
        <div className="muted small mono">{article.slug}</div>
      </td>
      <td>
        <ArticleStatusBadge status={article.status} />
      </td>
      <td>
        <ul className="chip-list" aria-label={t('kb.languages')}>
          {kbLangs.map((code) => (
            <li key={code} className={`kb-lang-chip${present.includes(code) ? '' : ' missing'}`} data-testid="kb-row-lang" data-lang={code} data-present={present.includes(code) ? 'true' : 'false'} title={present.includes(code) ? langLabel(code, t) : t('kb.langMissing', { lang: langLabel(code, t) })}>
              {code === 'en' ? 'EN' : '中文'}
            </li>
          ))}
        </ul>
      </td>
      <td>
        {article.tags.length === 0 ? (
          <span className="muted">{t('common.none')}</span>
        ) : (
          <ul className="chip-list" data-testid="kb-row-tags">
            {article.tags.map((tag) => (
              <li key={tag} className="kb-tag">
                {tag}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>
        <AudienceText article={article} />
      </td>
      <td className="nowrap">
        <div data-testid="kb-row-updated-by">{article.updatedBy ?? t('kb.someone')}</div>
        <div className="muted small">{formatDateTime(article.updatedAt, lang)}</div>
      </td>
    </tr>
  );
}

function ArticleStatusBadge({ status }: { status: ArticleStatus }) {
  const { t } = useI18n();
  return (
    <span className={`badge kb-status-${status}`} data-testid="kb-status" data-status={status}>
      {t(`kb.status.${status}`)}
    </span>
  );
}

function AudienceText({ article }: { article: Pick<Article, 'audience' | 'channels'> }) {
  const { t } = useI18n();
  if (article.audience === 'internal') {
    return (
      <span className="kb-audience internal" data-testid="kb-audience" data-audience="internal">
        <LockIcon size={12} />
        {t('kb.audience.internal')}
      </span>
    );
  }
  return (
    <span className="kb-audience" data-testid="kb-audience" data-audience="public">
      {t('kb.audience.public')}
      <span className="muted small">
        {article.channels.length === 0 ? t('kb.allChannels') : article.channels.map((kind) => t(`kind.${kind}`)).join(', ')}
      </span>
    </span>
  );
}

type Loaded = { state: 'loading' } | { state: 'error'; text: string; missing: boolean } | { state: 'ready'; article: Article | null };

/** One article: the editor for admins (the form of a new one when `articleId` is null), the reading view for agents, and its history. */
function ArticleScreen({ articleId }: { articleId: string | null }) {
  const { t, lang } = useI18n();
  const { me } = useSession();
  const isAdmin = me.role === 'admin';
  const [loaded, setLoaded] = useState<Loaded>(() => (articleId ? { state: 'loading' } : { state: 'ready', article: null }));

  const load = useCallback(async () => {
    if (!articleId) return;
    try {
      setLoaded({ state: 'ready', article: await api.getArticle(articleId) });
    } catch (error) {
      setLoaded({ state: 'error', text: errorText(error, t), missing: error instanceof ApiError && error.status === 404 });
    }
  }, [articleId, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const article = loaded.state === 'ready' ? loaded.article : null;
  const onSaved = useCallback((saved: Article) => {
    setLoaded({ state: 'ready', article: saved });
  }, []);

  let body: ReactNode;
  if (loaded.state === 'loading') {
    body = (
      <div className="pane-center">
        <Spinner size={18} label={t('common.loading')} />
      </div>
    );
  } else if (loaded.state === 'error') {
    body = (
      <EmptyState icon={<BookIcon size={28} />} title={loaded.missing ? t('kb.notFound') : loaded.text} testId="kb-article-error">
        {loaded.missing ? null : (
          <button type="button" className="button" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        )}
      </EmptyState>
    );
  } else if (isAdmin) {
    body = <ArticleEditor article={article} onSaved={onSaved} />;
  } else if (article) {
    body = <ArticleReader article={article} />;
  } else {
    body = <EmptyState icon={<LockIcon size={28} />} title={t('kb.readOnly')} testId="kb-read-only" />;
  }

  return (
    <div className="page kb-page kb-article-page" data-testid="kb-article" data-id={article?.id ?? ''} data-version={article?.version ?? ''} data-admin={isAdmin ? 'true' : 'false'}>
      <a className="link-button kb-back" href="#/kb" data-testid="kb-back">
        <ChevronLeftIcon size={14} />
        {t('kb.back')}
      </a>
      <div className="page-head">
        <div>
          <h1 data-testid="kb-article-title">{article ? titleOf(article, lang) : articleId ? t('kb.title') : t('kb.newTitle')}</h1>
          {article ? (
            <p className="muted" data-testid="kb-article-meta">
              {t('kb.versionMeta', { version: article.version, name: article.updatedBy ?? t('kb.someone'), time: formatDateTime(article.updatedAt, lang) })}
            </p>
          ) : null}
          {!isAdmin ? (
            <p className="muted small" data-testid="kb-read-only">
              {t('kb.readOnly')}
            </p>
          ) : null}
        </div>
        {article ? (
          <div className="page-head-actions">
            <ArticleStatusBadge status={article.status} />
            {article.status === 'published' && article.audience === 'public'
              ? languagesOf(article).map((code) => (
                  <a key={code} className="button small" href={`/help/${code}/${encodeURIComponent(article.slug)}`} target="_blank" rel="noopener noreferrer" data-testid="kb-public-link" data-lang={code}>
                    {t('kb.viewPublic', { lang: code === 'en' ? 'EN' : '中文' })}
                  </a>
                ))
              : null}
          </div>
        ) : null}
      </div>
      {body}
      {article ? <History article={article} isAdmin={isAdmin} onRestored={onSaved} /> : null}
    </div>
  );
}

/** A control's hint and, when refused, its error beside it (for screen readers). */
type Described = { 'aria-invalid'?: true; 'aria-describedby'?: string };

const fieldLabels: Record<KbField, MessageKey> = {
  slug: 'kb.slug',
  tags: 'kb.tags',
  audience: 'kb.audience',
  channels: 'kb.channels',
  status: 'kb.statusLabel',
  translations: 'kb.translations',
  'en.title': 'kb.field.enTitle',
  'en.body': 'kb.field.enBody',
  'zh.title': 'kb.field.zhTitle',
  'zh.body': 'kb.field.zhBody',
};

/** Create an article, or edit `article`: every field of the API's body, refusals at the field, a stale save taken in without losing the text. */
function ArticleEditor({ article, onSaved }: { article: Article | null; onSaved: (article: Article) => void }) {
  const { t } = useI18n();
  const toast = useToast();
  /** What the form was loaded from: the version a save says it edits, and the base of a rebase. */
  const [base, setBase] = useState<{ form: ArticleForm; version: number | null }>(() => ({ form: article ? formOfArticle(article) : emptyArticleForm(), version: article?.version ?? null }));
  const [form, setForm] = useState<ArticleForm>(base.form);
  const [errors, setErrors] = useState<Partial<Record<KbField, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [conflicts, setConflicts] = useState<KbField[]>([]);
  const [saving, setSaving] = useState(false);
  const [reloading, setReloading] = useState(false);
  const dirty = !sameForm(form, base.form);
  // An article is long work: closing or reloading the tab with it unsaved asks first.
  useEffect(() => {
    if (!dirty) return;
    const onUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [dirty]);
  const staleNotice = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (stale) staleNotice.current?.scrollIntoView({ block: 'nearest' });
  }, [stale]);

  // A restore (or another save) from this page replaces what the form edits, when nothing is typed.
  const lastArticle = useRef(article);
  useEffect(() => {
    if (!article || article === lastArticle.current) return;
    lastArticle.current = article;
    if (base.version === article.version) return;
    const next = formOfArticle(article);
    setBase({ form: next, version: article.version });
    setForm(next);
    setStale(false);
    setConflicts([]);
    setErrors({});
  }, [article, base.version]);

  const clearError = (field: KbField) => {
    if (errors[field] || errors.translations) setErrors((e) => ({ ...e, [field]: undefined, translations: undefined }));
  };
  const set = <K extends 'slug' | 'tags' | 'audience' | 'status'>(key: K, value: ArticleForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    clearError(key);
  };
  const setTranslation = (lang: KbLang, part: 'title' | 'body', value: string) => {
    setForm((f) => ({ ...f, translations: { ...f.translations, [lang]: { ...f.translations[lang], [part]: value } } }));
    clearError(`${lang}.${part}`);
  };
  const toggleChannel = (kind: ChannelKind, on: boolean) => {
    setForm((f) => ({ ...f, channels: on ? [...f.channels, kind] : f.channels.filter((k) => k !== kind) }));
    clearError('channels');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = articleBody(form);
    if ('problem' in result) {
      setErrors({ [result.problem.field]: t(result.problem.key) });
      return;
    }
    setSaving(true);
    setErrors({});
    setFormError(null);
    try {
      if (article && base.version !== null) {
        const saved = await api.updateArticle(article.id, { ...result.body, version: base.version });
        const next = formOfArticle(saved);
        lastArticle.current = saved;
        setBase({ form: next, version: saved.version });
        setForm(next);
        setStale(false);
        setConflicts([]);
        toast('success', t('kb.saved', { version: saved.version }));
        onSaved(saved);
      } else {
        const created = await api.createArticle(result.body);
        toast('success', t('kb.created', { title: titleOf(created, 'en') }));
        navigate({ page: 'kb', articleId: created.id }, true);
      }
    } catch (error) {
      const refusal = kbErrorOf(error, t);
      if (refusal.kind === 'stale') setStale(true);
      else if (refusal.kind === 'field') setErrors({ [refusal.field]: refusal.text });
      else setFormError(refusal.text);
    } finally {
      setSaving(false);
    }
  };

  /** After a 409: the newest version in, the agent's own changes kept on top of it. */
  const reload = async () => {
    if (!article) return;
    setReloading(true);
    try {
      const latest = await api.getArticle(article.id);
      const theirs = formOfArticle(latest);
      const rebased = rebaseForm(base.form, form, theirs);
      lastArticle.current = latest;
      setBase({ form: theirs, version: latest.version });
      setForm(rebased.form);
      setConflicts(rebased.conflicts);
      setStale(false);
      onSaved(latest);
    } catch (error) {
      toast('error', errorText(error, t));
    } finally {
      setReloading(false);
    }
  };

  const described = (field: KbField, hint?: string): Described => {
    const ids = [hint, errors[field] ? `kb-error-${field.replace('.', '-')}` : undefined].filter(Boolean).join(' ');
    return { ...(errors[field] ? { 'aria-invalid': true as const } : {}), ...(ids ? { 'aria-describedby': ids } : {}) };
  };
  const fieldError = (field: KbField) =>
    errors[field] ? (
      <span className="field-error" id={`kb-error-${field.replace('.', '-')}`} role="alert" data-testid="kb-field-error" data-field={field}>
        {errors[field]}
      </span>
    ) : null;

  return (
    <form className="kb-editor" onSubmit={submit} noValidate data-testid="kb-form" data-mode={article ? 'edit' : 'create'} data-dirty={dirty ? 'true' : 'false'}>

      <section className="card form-card kb-meta">
        <div className="kb-meta-grid">
          <label className="field">
            <span>{t('kb.slug')}</span>
            <input type="text" value={form.slug} onChange={(event) => set('slug', event.target.value)} maxLength={120} autoComplete="off" spellCheck={false} data-testid="kb-slug" {...described('slug', 'kb-slug-hint')} />
            <span className="hint" id="kb-slug-hint">
              {t('kb.slugHint', { slug: form.slug.trim() || 'reset-password' })}
            </span>
            {fieldError('slug')}
          </label>
          <label className="field">
            <span>{t('kb.statusLabel')}</span>
            <select value={form.status} onChange={(event) => set('status', event.target.value as ArticleStatus)} data-testid="kb-status-select" {...described('status', 'kb-status-hint')}>
              {articleStatuses.map((value) => (
                <option key={value} value={value}>
                  {t(`kb.status.${value}`)}
                </option>
              ))}
            </select>
            <span className="hint" id="kb-status-hint">
              {t(`kb.statusHint.${form.status}`)}
            </span>
            {fieldError('status')}
          </label>
          <label className="field">
            <span>{t('kb.tags')}</span>
            <input type="text" value={form.tags} onChange={(event) => set('tags', event.target.value)} autoComplete="off" placeholder={t('kb.tagsPlaceholder')} data-testid="kb-tags" {...described('tags', 'kb-tags-hint')} />
            <span className="hint" id="kb-tags-hint">
              {t('kb.tagsHint')}
            </span>
            {fieldError('tags')}
          </label>
        </div>
        <div className="kb-meta-grid">
          <fieldset className="field fieldset" aria-describedby="kb-audience-hint">
            <legend>{t('kb.audience')}</legend>
            <div className="radio-row">
              {(['public', 'internal'] as const).map((value) => (
                <label key={value} className="check">
                  <input type="radio" name="kb-audience" value={value} checked={form.audience === value} onChange={() => set('audience', value)} data-testid={`kb-audience-${value}`} />
                  <span>{t(`kb.audience.${value}`)}</span>
                </label>
              ))}
            </div>
            <span className="hint" id="kb-audience-hint">
              {t(form.audience === 'public' ? 'kb.audienceHint.public' : 'kb.audienceHint.internal')}
            </span>
            {fieldError('audience')}
          </fieldset>
          <fieldset className="field fieldset kb-channels" aria-describedby="kb-channels-hint" disabled={form.audience === 'internal'}>
            <legend>{t('kb.channels')}</legend>
            <div className="kb-channel-checks">
              {channelKinds.map((kind) => (
                <label key={kind} className="check" data-testid="kb-channel" data-value={kind}>
                  <input type="checkbox" checked={form.channels.includes(kind)} onChange={(event) => toggleChannel(kind, event.target.checked)} />
                  <ChannelIcon kind={kind} size={14} />
                  <span>{t(`kind.${kind}`)}</span>
                </label>
              ))}
            </div>
            <span className="hint" id="kb-channels-hint">
              {form.audience === 'internal' ? t('kb.channelsInternal') : form.channels.length === 0 ? t('kb.channelsAll') : t('kb.channelsSome')}
            </span>
            {fieldError('channels')}
          </fieldset>
        </div>
      </section>

      {errors.translations ? (
        <p className="form-error" role="alert" data-testid="kb-field-error" data-field="translations">
          {errors.translations}
        </p>
      ) : null}
      <div className="kb-translations">
        {kbLangs.map((code) => (
          <TranslationEditor
            key={code}
            lang={code}
            value={form.translations[code]}
            onChange={(part, value) => setTranslation(code, part, value)}
            errors={{ title: errors[`${code}.title`], body: errors[`${code}.body`] }}
            described={described}
          />
        ))}
      </div>

      {formError ? (
        <p className="form-error" role="alert" data-testid="kb-form-error">
          {formError}
        </p>
      ) : null}
      {/* Beside the Save button the admin just pressed: that is where the eyes are. */}
      {stale ? (
        <div className="form-notice kb-stale" role="alert" data-testid="kb-stale" ref={staleNotice}>
          <span>{t('kb.stale')}</span>
          <button type="button" className="button small" onClick={() => void reload()} disabled={reloading} data-testid="kb-stale-reload">
            {reloading ? <Spinner size={12} /> : <RefreshIcon size={14} />}
            {t('kb.reload')}
          </button>
        </div>
      ) : null}
      {conflicts.length > 0 ? (
        <div className="form-notice" role="status" data-testid="kb-conflicts">
          {t('kb.conflicts', { fields: conflicts.map((field) => t(fieldLabels[field])).join(', ') })}
        </div>
      ) : null}
      <div className="form-actions kb-actions">
        {dirty ? (
          <span className="muted small" data-testid="kb-unsaved">
            {t('kb.unsaved')}
          </span>
        ) : null}
        <span className="spacer" />
        {article ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              setForm(base.form);
              setErrors({});
              setConflicts([]);
            }}
            disabled={saving || !dirty}
            data-testid="kb-discard"
          >
            {t('kb.discard')}
          </button>
        ) : (
          <a className="button" href="#/kb">
            {t('kb.cancel')}
          </a>
        )}
        <button type="submit" className="button primary" disabled={saving || (article !== null && !dirty)} data-testid="kb-save">
          {saving ? <Spinner size={12} /> : null}
          {article ? (saving ? t('kb.saving') : t('kb.save')) : saving ? t('kb.creating') : t('kb.create')}
        </button>
      </div>
    </form>
  );
}

function TranslationEditor({
  lang,
  value,
  onChange,
  errors,
  described,
}: {
  lang: KbLang;
  value: { title: string; body: string };
  onChange: (part: 'title' | 'body', value: string) => void;
  errors: { title?: string; body?: string };
  described: (field: KbField, hint?: string) => Described;
}) {
  const { t } = useI18n();
  const [preview, setPreview] = useState(false);
  const empty = !value.title.trim() && !value.body.trim();
  const fieldError = (part: 'title' | 'body') =>
    errors[part] ? (
      <span className="field-error" id={`kb-error-${lang}-${part}`} role="alert" data-testid="kb-field-error" data-field={`${lang}.${part}`}>
        {errors[part]}
      </span>
    ) : null;
  return (
    <section className="card form-card kb-translation" data-testid="kb-translation" data-lang={lang} lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <div className="kb-translation-head">
        <h2>{langLabel(lang, t)}</h2>
        {empty ? <span className="muted small">{t('kb.langEmpty')}</span> : null}
        <span className="spacer" />
        <div className="segmented" role="group" aria-label={t('kb.view')}>
          <button type="button" className={preview ? '' : 'active'} aria-pressed={!preview} onClick={() => setPreview(false)} data-testid="kb-write">
            {t('kb.write')}
          </button>
          <button type="button" className={preview ? 'active' : ''} aria-pressed={preview} onClick={() => setPreview(true)} data-testid="kb-preview">
            {t('kb.preview')}
          </button>
        </div>
      </div>
      {preview ? (
        <div className="kb-preview" data-testid="kb-preview-pane">
          {empty ? (
            <p className="muted">{t('kb.previewEmpty')}</p>
          ) : (
            <>
              <h1 className="kb-preview-title">{value.title}</h1>
              <Markdown source={value.body} />
            </>
          )}
        </div>
      ) : (
        <>
          <label className="field">
            <span>{t('kb.articleTitle')}</span>
            <input type="text" value={value.title} onChange={(event) => onChange('title', event.target.value)} maxLength={200} data-testid="kb-title" {...described(`${lang}.title`)} />
            {fieldError('title')}
          </label>
          <label className="field">
            <span>{t('kb.body')}</span>
            <textarea className="kb-body" value={value.body} onChange={(event) => onChange('body', event.target.value)} rows={14} data-testid="kb-body" {...described(`${lang}.body`, `kb-body-hint-${lang}`)} />
            <span className="hint" id={`kb-body-hint-${lang}`}>
              {t('kb.bodyHint')}
            </span>
            {fieldError('body')}
          </label>
        </>
      )}
    </section>
  );
}

/** Both languages of an article (or one version of it) as customers read them. */
function ArticleContent({ translations }: { translations: Article['translations'] }) {
  const { t } = useI18n();
  return (
    <div className="kb-translations">
      {kbLangs.map((code) => {
        const translation = translations[code];
        return (
          <section key={code} className="card form-card kb-translation" data-testid="kb-read-translation" data-lang={code} lang={code === 'zh' ? 'zh-CN' : 'en'}>
            <div className="kb-translation-head">
              <h2>{langLabel(code, t)}</h2>
            </div>
            {translation ? (
              <div className="kb-preview">
                <h1 className="kb-preview-title" data-testid="kb-read-title">
                  {translation.title}
                </h1>
                <Markdown source={translation.body} testId="kb-read-body" />
              </div>
            ) : (
              <p className="muted">{t('kb.langMissing', { lang: langLabel(code, t) })}</p>
            )}
          </section>
        );
      })}
    </div>
  );
}

function MetaList({ article }: { article: Pick<Article, 'slug' | 'tags' | 'audience' | 'channels' | 'status'> }) {
  const { t } = useI18n();
  return (
    <dl className="kb-meta-list" data-testid="kb-meta-list">
      <div>
        <dt>{t('kb.slug')}</dt>
        <dd className="mono">{article.slug}</dd>
      </div>
      <div>
        <dt>{t('kb.statusLabel')}</dt>
        <dd>
          <ArticleStatusBadge status={article.status} />
        </dd>
      </div>
      <div>
        <dt>{t('kb.audience')}</dt>
        <dd>
          <AudienceText article={article} />
        </dd>
      </div>
      <div>
        <dt>{t('kb.tags')}</dt>
        <dd>{article.tags.length ? article.tags.join(', ') : t('common.none')}</dd>
      </div>
    </dl>
  );
}

function ArticleReader({ article }: { article: Article }) {
  return (
    <div className="kb-reader" data-testid="kb-reader">
      <section className="card form-card">
        <MetaList article={article} />
      </section>
      <ArticleContent translations={article.translations} />
    </div>
  );
}

/** The article's versions, newest first; one opens to read, and admins restore it as a new version. */
function History({ article, isAdmin, onRestored }: { article: Article; isAdmin: boolean; onRestored: (article: Article) => void }) {
  const { t, lang } = useI18n();
  const toast = useToast();
  const [versions, setVersions] = useState<ArticleVersion[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [open, setOpen] = useState<ArticleVersion | null>(null);
  const [restoring, setRestoring] = useState(false);

  useEffect(() => {
    let live = true;
    api
      .articleVersions(article.id)
      .then((page) => live && setVersions(page.items))
      .catch((error: unknown) => live && setLoadError(errorText(error, t)));
    return () => {
      live = false;
    };
  }, [article.id, article.version, t]);

  const restore = async (version: ArticleVersion) => {
    setRestoring(true);
    try {
      const restored = await api.restoreArticleVersion(article.id, version.version);
      toast('success', t('kb.restored', { version: version.version, next: restored.version }));
      setOpen(null);
      onRestored(restored);
    } catch (error) {
      toast('error', errorText(error, t));
    } finally {
      setRestoring(false);
    }
  };

  return (
    <section className="card kb-history" data-testid="kb-history" aria-labelledby="kb-history-title">
      <div className="card-head">
        <h2 id="kb-history-title">{t('kb.history')}</h2>
      </div>
      {loadError ? (
        <p className="form-error" role="alert">
          {loadError}
        </p>
      ) : versions === null ? (
        <div className="pane-center">
          <Spinner size={16} label={t('common.loading')} />
        </div>
      ) : (
        <ol className="kb-versions">
          {versions.map((version) => (
            <li key={version.version} className="kb-version" data-testid="kb-version" data-version={version.version} data-current={version.version === article.version ? 'true' : 'false'}>
              <span className="kb-version-number">{t('kb.versionShort', { version: version.version })}</span>
              <ArticleStatusBadge status={version.status} />
              <span className="kb-version-who">{t('kb.editedBy', { name: version.editedBy ?? t('kb.someone'), time: formatDateTime(version.editedAt, lang) })}</span>
              {version.version === article.version ? <span className="mini-badge">{t('kb.current')}</span> : null}
              <span className="spacer" />
              <button type="button" className="button small" onClick={() => setOpen(version)} data-testid="kb-version-view">
                {t('kb.viewVersion')}
              </button>
            </li>
          ))}
        </ol>
      )}
      {open ? (
        <Dialog title={t('kb.versionTitle', { version: open.version })} onClose={() => !restoring && setOpen(null)} testId="kb-version-dialog" wide>
          <p className="muted small">{t('kb.editedBy', { name: open.editedBy ?? t('kb.someone'), time: formatDateTime(open.editedAt, lang) })}</p>
          <MetaList article={{ ...open, slug: article.slug }} />
          <ArticleContent translations={open.translations} />
          {isAdmin && open.version !== article.version ? (
            <>
              <p className="muted small">{t('kb.restoreText', { version: open.version })}</p>
              <div className="dialog-actions">
                <button type="button" className="button" onClick={() => setOpen(null)} disabled={restoring}>
                  {t('kb.cancel')}
                </button>
                <button type="button" className="button primary" onClick={() => void restore(open)} disabled={restoring} data-testid="kb-restore">
                  {restoring ? <Spinner size={12} /> : <ReopenArrow />}
                  {t('kb.restore', { version: open.version })}
                </button>
              </div>
            </>
          ) : null}
        </Dialog>
      ) : null}
    </section>
  );
}

const ReopenArrow = () => (
  <svg width={15} height={15} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
    <path d="M4 12a8 8 0 1 0 2.5-5.8L4 8.5M4 4v4.5h4.5" />
  </svg>
);

/**
 * An article's Markdown as the help center renders it (the same parser, marked), built as React
 * elements: nothing is ever set as HTML, so an article cannot run script in the inbox. Raw HTML
 * in the Markdown shows as text; an image as a link (the inbox loads no remote images, as with
 * email); only http(s), mailto and same-site links are links.
 */
export function Markdown({ source, testId }: { source: string; testId?: string }) {
  const tokens = useMemo(() => marked.lexer(source, { gfm: true }), [source]);
  return (
    <div className="markdown" data-testid={testId}>
      {nodes(tokens)}
    </div>
  );
}

const safeHref = (href: string): string | null => {
  const trimmed = href.trim();
  if (/^(https?:|mailto:)/iu.test(trimmed)) return trimmed;
  if (/^[/#?]/u.test(trimmed) && !trimmed.startsWith('//')) return trimmed;
  return null;
};

/** `&amp;` and friends as the characters they stand for (marked leaves them for its HTML renderer); parsed inert, never run. */
const decode = (text: string): string => {
  if (!text.includes('&')) return text;
  return new DOMParser().parseFromString(`<!doctype html><body>${text.replace(/</gu, '&lt;')}`, 'text/html').body.textContent ?? text;
};

function nodes(tokens: readonly Token[] | undefined): ReactNode[] {
  return (tokens ?? []).map((token, index) => <Fragment key={index}>{node(token)}</Fragment>);
}

function node(token: Token): ReactNode {
  const t = token as MarkedToken;
  switch (t.type) {
    case 'space':
    case 'def':
      return null;
    case 'heading': {
      const Tag = `h${Math.min(6, Math.max(1, t.depth))}` as 'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6';
      return <Tag>{nodes(t.tokens)}</Tag>;
    }
    case 'paragraph':
      return <p>{nodes(t.tokens)}</p>;
    case 'text':
      return t.tokens ? nodes(t.tokens) : decode(t.text);
    case 'escape':
      return t.text;
    case 'blockquote':
      return <blockquote>{nodes(t.tokens)}</blockquote>;
    case 'code':
      return (
        <pre>
          <code>{t.text}</code>
        </pre>
      );
    case 'hr':
      return <hr />;
    case 'list': {
      const items = t.items.map((item, index) => <li key={index}>{nodes(item.tokens)}</li>);
      return t.ordered ? <ol start={typeof t.start === 'number' && t.start !== 1 ? t.start : undefined}>{items}</ol> : <ul>{items}</ul>;
    }
    case 'list_item':
      return <li>{nodes(t.tokens)}</li>;
    case 'checkbox':
      return <input type="checkbox" checked={t.checked} disabled readOnly />;
    case 'table':
      return (
        <div className="markdown-table">
          <table>
            <thead>
              <tr>
                {t.header.map((cell, index) => (
                  <th key={index} style={cell.align ? { textAlign: cell.align } : undefined}>
                    {nodes(cell.tokens)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {t.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((cell, index) => (
                    <td key={index} style={cell.align ? { textAlign: cell.align } : undefined}>
                      {nodes(cell.tokens)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'strong':
      return <strong>{nodes(t.tokens)}</strong>;
    case 'em':
      return <em>{nodes(t.tokens)}</em>;
    case 'del':
      return <del>{nodes(t.tokens)}</del>;
    case 'codespan':
      return <code>{t.text}</code>;
    case 'br':
      return <br />;
    case 'link': {
      const href = safeHref(t.href);
      return href ? (
        <a href={href} target="_blank" rel="noopener noreferrer nofollow" title={t.title ?? undefined}>
          {nodes(t.tokens)}
        </a>
      ) : (
        nodes(t.tokens)
      );
    }
    case 'image': {
      const href = safeHref(t.href);
      const label = `[${t.text || t.href}]`;
      return href ? (
        <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="markdown-image">
          {label}
        </a>
      ) : (
        label
      );
    }
    case 'html':
      // Shown as typed: the help center's sanitizer decides what of it customers see.
      return t.block ? <p className="markdown-html">{t.text}</p> : t.text;
    default: {
      // A token of an extension: its children or its text, never markup.
      const generic = token as { tokens?: Token[]; text?: unknown };
      return generic.tokens ? nodes(generic.tokens) : typeof generic.text === 'string' ? decode(generic.text) : null;
    }
  }
}
