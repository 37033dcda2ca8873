import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLibrary } from '../../../src/desk/kb/library.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

interface Article {
  id: string;
  slug: string;
  version: number;
  status: string;
  audience: string;
  channels: string[];
  tags: string[];
  translations: { en?: { title: string; body: string }; zh?: { title: string; body: string } };
  updatedBy: string | null;
}

const pending = {
  slug: 'transfer-pending',
  tags: ['transfers', '转账'],
  audience: 'public',
  channels: [],
  status: 'published',
  translations: {
    en: { title: 'My transfer is pending', body: 'A transfer stays **pending** until the network confirms it.\n\nCheck it on the [block explorer](https://etherscan.io).' },
    zh: { title: '转账一直显示处理中', body: '转账在网络确认之前会显示**处理中**。\n\n您可以在[区块浏览器](https://etherscan.io)查看。' },
  },
};

/**
 * The knowledge base through a real gateway (real Postgres and Redis): admins write versioned
 * articles, agents read and search them, the public help center shows only what is published
 * and public, sanitized.
 */
describe('knowledge base', () => {
  let gateway: TestGateway;
  let admin: string;
  let agent: string;

  beforeAll(async () => {
    gateway = await startTestGateway({ env: { PUBLIC_URL: 'https://support.example.com' } });
    admin = await loginAdmin(gateway.url);
    const created = await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email: 'ana@example.com', name: 'Ana', password: 'ana-password-1' } });
    expect(created.status).toBe(201);
    agent = (await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'ana@example.com', password: 'ana-password-1' } })).body.token;
  });
  afterAll(async () => {
    await gateway?.dispose();
  });

  const create = async (body: unknown) => request<Article>(gateway.url, 'POST', '/api/kb/articles', { token: admin, body });
  const page = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${gateway.url}${path}`, { headers, redirect: 'manual' });
    return { status: response.status, headers: response.headers, html: await response.text() };
  };

  it('an edit is a new version; the history keeps every one; a stale version is a 409', async () => {
    const created = await create(pending);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ slug: 'transfer-pending', version: 1, status: 'published', updatedBy: 'Admin' });
    const id = created.body.id;

    const edited = await request<Article>(gateway.url, 'PUT', `/api/kb/articles/${id}`, {
      token: admin,
      body: { ...pending, version: 1, translations: { ...pending.translations, en: { title: 'Why is my transfer pending?', body: pending.translations.en.body } } },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.version).toBe(2);
    expect(edited.body.translations.en?.title).toBe('Why is my transfer pending?');

    const stale = await request(gateway.url, 'PUT', `/api/kb/articles/${id}`, { token: admin, body: { ...pending, version: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: { code: 'conflict' } });
    expect((await request<Article>(gateway.url, 'GET', `/api/kb/articles/${id}`, { token: agent })).body.translations.en?.title).toBe('Why is my transfer pending?');

    const history = await request<{ items: { version: number; translations: Article['translations']; editedBy: string }[] }>(gateway.url, 'GET', `/api/kb/articles/${id}/versions`, { token: agent });
    expect(history.body.items.map((v) => v.version)).toEqual([2, 1]);
    expect(history.body.items[1]!.translations.en?.title).toBe('My transfer is pending');

    const restored = await request<Article>(gateway.url, 'POST', `/api/kb/articles/${id}/versions/1/restore`, { token: admin });
    expect(restored.status).toBe(200);
    expect(restored.body.version).toBe(3);
    expect(restored.body.translations.en?.title).toBe('My transfer is pending');
    const after = await request<{ items: { version: number }[] }>(gateway.url, 'GET', `/api/kb/articles/${id}/versions`, { token: agent });
    expect(after.body.items.map((v) => v.version)).toEqual([3, 2, 1]);
    expect((await request(gateway.url, 'POST', `/api/kb/articles/${id}/versions/9/restore`, { token: admin })).status).toBe(404);
  });

  it('a duplicate slug is a 409; a missing article a 404', async () => {
    const again = await create({ ...pending, translations: { en: { title: 'Another', body: 'text' } } });
    expect(again.status).toBe(409);
    expect((await request(gateway.url, 'GET', '/api/kb/articles/nope', { token: agent })).status).toBe(404);
    expect((await request(gateway.url, 'PUT', '/api/kb/articles/nope', { token: admin, body: { ...pending, slug: 'other-slug', version: 1 } })).status).toBe(404);
  });

  it('agents read and search but cannot write', async () => {
    expect((await request(gateway.url, 'POST', '/api/kb/articles', { token: agent, body: { ...pending, slug: 'by-agent' } })).status).toBe(403);
    const [one] = (await request<{ items: Article[] }>(gateway.url, 'GET', '/api/kb/articles', { token: agent })).body.items;
    expect((await request(gateway.url, 'PUT', `/api/kb/articles/${one!.id}`, { token: agent, body: { ...pending, version: one!.version } })).status).toBe(403);
    expect((await request(gateway.url, 'DELETE', `/api/kb/articles/${one!.id}`, { token: agent })).status).toBe(403);
    expect((await request(gateway.url, 'POST', `/api/kb/articles/${one!.id}/versions/1/restore`, { token: agent })).status).toBe(403);
    expect((await request(gateway.url, 'GET', '/api/kb/articles')).status).toBe(401);
  });

  it.each([
    [{ ...pending, slug: 'Bad Slug' }, 'slug'],
    [{ ...pending, slug: 'no-translation', translations: {} }, 'translations'],
    [{ ...pending, slug: 'empty-title', translations: { en: { title: ' ', body: 'x' } } }, 'translations.en.title'],
    [{ ...pending, slug: 'empty-body', translations: { zh: { title: '标题', body: '  ' } } }, 'translations.zh.body'],
    [{ ...pending, slug: 'bad-lang', translations: { fr: { title: 'Bonjour', body: 'x' } } }, 'translations'],
    [{ ...pending, slug: 'bad-channel', channels: ['fax'] }, 'channels.0'],
    [{ ...pending, slug: 'bad-status', status: 'live' }, 'status'],
    [{ ...pending, slug: 'bad-audience', audience: 'everyone' }, 'audience'],
    [{ ...pending, slug: 'dup-tags', tags: ['fees', 'Fees'] }, 'tags'],
  ])('a bad body is a 400 naming the field (%#)', async (body, field) => {
    const response = await request<{ error: { code: string; message: string } }>(gateway.url, 'POST', '/api/kb/articles', { token: admin, body });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation');
    expect(response.body.error.message.startsWith(`${field}:`)).toBe(true);
  });

  it('an edit without the version it started from is a 400 naming "version"', async () => {
    const [one] = (await request<{ items: Article[] }>(gateway.url, 'GET', '/api/kb/articles', { token: agent })).body.items;
    const response = await request(gateway.url, 'PUT', `/api/kb/articles/${one!.id}`, { token: admin, body: pending });
    expect(response.status).toBe(400);
    expect((response.body as { error: { message: string } }).error.message).toMatch(/^version:/);
  });

  it('an article asking customers for their recovery phrase is refused (422), a warning against it is not', async () => {
    const asking = await create({ ...pending, slug: 'verify-wallet', translations: { en: { title: 'Verify your wallet', body: 'Please send us your 12-word recovery phrase so we can verify your wallet.' } } });
    expect(asking.status).toBe(422);
    expect(asking.body).toMatchObject({ error: { code: 'unsafe_content' } });
    const asking2 = await create({ ...pending, slug: 'verify-wallet-zh', translations: { zh: { title: '验证钱包', body: '请提供您的助记词以便我们验证。' } } });
    expect(asking2.status).toBe(422);
    const warning = await create({ ...pending, slug: 'never-share', translations: { en: { title: 'Keep your phrase secret', body: 'Never share your recovery phrase with anyone, not even with support.' } } });
    expect(warning.status).toBe(201);
  });

  it('search finds published articles in both languages; internal ones only for agents; channel visibility holds', async () => {
    const internal = await create({
      slug: 'refund-policy-internal',
      tags: ['refunds'],
      audience: 'internal',
      channels: [],
      status: 'published',
      translations: { en: { title: 'Refund approval steps (internal)', body: 'Escalate refund requests above 500 USDT to a supervisor.' } },
    });
    expect(internal.status).toBe(201);
    const telegramOnly = await create({
      slug: 'telegram-bot-commands',
      tags: ['telegram'],
      audience: 'public',
      channels: ['telegram'],
      status: 'published',
      translations: { en: { title: 'Telegram bot commands', body: 'Type /balance in our Telegram bot to see your balance.' } },
    });
    expect(telegramOnly.status).toBe(201);
    const draft = await create({ slug: 'draft-staking', tags: [], audience: 'public', channels: [], status: 'draft', translations: { en: { title: 'Staking rewards explained', body: 'Rewards arrive daily.' } } });
    expect(draft.status).toBe(201);

    type Hits = { items: { slug: string; lang: string; url: string; text: string; confident: boolean }[] };
    const search = async (query: string) => (await request<Hits>(gateway.url, 'GET', `/api/kb/search?${query}`, { token: agent })).body.items;
    const en = await search(`q=${encodeURIComponent('my transfer still pending??')}`);
    expect(en[0]).toMatchObject({ slug: 'transfer-pending', lang: 'en', url: 'https://support.example.com/help/en/transfer-pending' });
    expect(en[0]!.text).toContain('block explorer (https://etherscan.io)');
    const zh = await search(`q=${encodeURIComponent('转账一直处理中怎么办')}`);
    expect(zh[0]).toMatchObject({ slug: 'transfer-pending', lang: 'zh' });
    const zhInEnglish = await search(`q=${encodeURIComponent('转账处理中')}&lang=en`);
    expect(zhInEnglish[0]).toMatchObject({ slug: 'transfer-pending', lang: 'en' });

    expect((await search('q=refund%20approval%20supervisor')).map((h) => h.slug)).toContain('refund-policy-internal');
    expect((await search('q=staking%20rewards')).map((h) => h.slug)).not.toContain('draft-staking');
    expect((await search('q=telegram%20bot%20commands&channel=telegram')).map((h) => h.slug)).toContain('telegram-bot-commands');
    expect((await search('q=telegram%20bot%20commands&channel=webchat')).map((h) => h.slug)).not.toContain('telegram-bot-commands');

    // The help center is for customers: never the internal article, nor one offered only on Telegram.
    const refund = await page(`/help/en?q=${encodeURIComponent('refund approval supervisor')}`);
    expect(refund.html).not.toContain('Refund approval steps');
    expect((await page('/help/en/refund-policy-internal')).status).toBe(404);
    expect((await page('/help/en/telegram-bot-commands')).status).toBe(404);
    expect((await page('/help/en/draft-staking')).status).toBe(404);

    const bad = await request(gateway.url, 'GET', '/api/kb/search?q=x&channel=fax', { token: agent });
    expect(bad.status).toBe(400);
    expect((bad.body as { error: { message: string } }).error.message).toMatch(/^channel:/);
  });

  it('another process\'s library sees an edit within its check interval; customers never get internal articles', async () => {
    // A library as another API process would hold it: same database, its own index.
    const elsewhere = createLibrary({ db: () => gateway.deps.db, publicUrl: 'https://support.example.com', logger: pino({ level: 'silent' }), checkEveryMs: 100 });
    expect((await elsewhere.search('cold storage hardware wallet')).map((h) => h.slug)).not.toContain('hardware-wallets');
    const created = await create({
      slug: 'hardware-wallets',
      tags: ['security'],
      audience: 'public',
      channels: ['telegram'],
      status: 'published',
      translations: { en: { title: 'Hardware wallets and cold storage', body: 'Keep large amounts on a hardware wallet.' } },
    });
    expect(created.status).toBe(201);
    const hit = await eventually(async () => (await elsewhere.search('cold storage hardware wallet', { channelKind: 'telegram' })).find((h) => h.slug === 'hardware-wallets'), 5_000, 'the edit seen elsewhere');
    expect(hit).toMatchObject({ lang: 'en', url: 'https://support.example.com/help/en/hardware-wallets' });
    // Offered on Telegram only: not on the web chat, nor on the help center.
    expect((await elsewhere.search('cold storage hardware wallet', { channelKind: 'webchat' })).map((h) => h.slug)).not.toContain('hardware-wallets');
    expect((await elsewhere.search('refund approval supervisor')).map((h) => h.slug)).not.toContain('refund-policy-internal');
    expect((await elsewhere.search('refund approval supervisor', { audience: 'agent' })).map((h) => h.slug)).toContain('refund-policy-internal');
  });

  it('the list narrows by status and ranks by q', async () => {
    const drafts = (await request<{ items: Article[] }>(gateway.url, 'GET', '/api/kb/articles?status=draft', { token: agent })).body.items;
    expect(drafts.map((a) => a.slug)).toEqual(['draft-staking']);
    const ranked = (await request<{ items: Article[] }>(gateway.url, 'GET', `/api/kb/articles?q=${encodeURIComponent('staking rewards')}`, { token: agent })).body.items;
    expect(ranked[0]?.slug).toBe('draft-staking');
  });

  it('archiving hides an article from search and the help center, keeps its history, and a restore brings it back', async () => {
    const [article] = (await request<{ items: Article[] }>(gateway.url, 'GET', `/api/kb/articles?q=transfer%20pending`, { token: agent })).body.items;
    expect(article?.slug).toBe('transfer-pending');
    expect((await page('/help/en/transfer-pending')).status).toBe(200);
    expect((await request(gateway.url, 'DELETE', `/api/kb/articles/${article!.id}`, { token: admin })).status).toBe(204);
    expect((await request<Article>(gateway.url, 'GET', `/api/kb/articles/${article!.id}`, { token: agent })).body.status).toBe('archived');
    const hits = (await request<{ items: { slug: string }[] }>(gateway.url, 'GET', '/api/kb/search?q=transfer%20pending', { token: agent })).body.items;
    expect(hits.map((h) => h.slug)).not.toContain('transfer-pending');
    expect((await page('/help/en/transfer-pending')).status).toBe(404);
    expect((await page('/help/en')).html).not.toContain('transfer-pending');
    const history = (await request<{ items: { version: number; status: string }[] }>(gateway.url, 'GET', `/api/kb/articles/${article!.id}/versions`, { token: agent })).body.items;
    expect(history[0]!.status).toBe('archived');
    const published = history.find((v) => v.status === 'published')!;
    expect((await request(gateway.url, 'POST', `/api/kb/articles/${article!.id}/versions/${published.version}/restore`, { token: admin })).status).toBe(200);
    expect((await page('/help/en/transfer-pending')).status).toBe(200);
  });

  it('the help center picks the language, renders both, falls back with a note, and serves strict headers', async () => {
    const root = await page('/help', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/help/zh');
    expect((await page('/help', { 'accept-language': 'en-US,en;q=0.9' })).headers.get('location')).toBe('/help/en');
    expect((await page('/help?lang=en', { 'accept-language': 'zh-CN' })).headers.get('location')).toBe('/help/en');
    expect((await page('/help/zh-CN/transfer-pending')).headers.get('location')).toBe('/help/zh/transfer-pending');

    const zh = await page('/help/zh');
    expect(zh.status).toBe(200);
    expect(zh.html).toContain('<html lang="zh-CN">');
    expect(zh.html).toContain('帮助中心');
    expect(zh.html).toContain('转账一直显示处理中');
    expect(zh.html).toContain('<h2>转账</h2>');
    const csp = zh.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('script-src');
    expect(csp).not.toContain('unsafe-inline');
    expect(zh.headers.get('cache-control')).toBe('public, max-age=60');
    expect(zh.html).not.toContain('<script');

    const en = await page('/help/en/transfer-pending');
    expect(en.html).toContain('<h1>My transfer is pending</h1>');
    expect(en.html).toContain('<strong>pending</strong>');
    expect(en.html).toContain('href="https://etherscan.io"');

    // "never-share" exists in English only: the Chinese page shows it with a note.
    const fallback = await page('/help/zh/never-share');
    expect(fallback.status).toBe(200);
    expect(fallback.html).toContain('本文暂无中文版本');
    expect(fallback.html).toContain('<article lang="en">');

    const missing = await page('/help/zh/no-such-article');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('页面不存在');
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect((await page('/help/fr')).status).toBe(404);

    const results = await page(`/help/zh?q=${encodeURIComponent('转账处理中')}`);
    expect(results.html).toContain('href="/help/zh/transfer-pending"');
    expect(results.html).toContain('value="转账处理中"');
    const none = await page(`/help/en?q=${encodeURIComponent('<b>xyzzy</b>')}`);
    expect(none.html).toContain('No article matches “&lt;b&gt;xyzzy&lt;/b&gt;”');
  });

  it('hostile Markdown is sanitized on the help center', async () => {
    const hostile = await create({
      slug: 'hostile',
      tags: ['test'],
      audience: 'public',
      channels: [],
      status: 'published',
      translations: {
        en: {
          title: 'Hostile <script>alert(1)</script> title',
          body: [
            'Hello <script>alert("x")</script> world.',
            '',
            '[click me](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)',
            '',
            '<img src="https://example.com/a.png" onerror="alert(1)"> <iframe src="https://evil.example"></iframe>',
            '',
            '<a href="https://example.com" onclick="steal()">fine link</a> <div style="position:fixed">overlay</div> <form action="https://evil.example"><input name="seed"></form>',
          ].join('\n'),
        },
      },
    });
    expect(hostile.status).toBe(201);
    const shown = await page('/help/en/hostile');
    expect(shown.status).toBe(200);
    // The article only: the page around it has its own search form.
    const html = /<article[^>]*>([\s\S]*)<\/article>/.exec(shown.html)?.[1] ?? '';
    expect(html).toContain('Hello');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/data:text/i);
    expect(html).not.toMatch(/onerror|onclick/i);
    expect(html).not.toMatch(/<iframe|<form|<input|style="/i);
    expect(shown.html).toContain('Hostile &lt;script&gt;alert(1)&lt;/script&gt; title');
    expect(html).toContain('<img src="https://example.com/a.png" />');
    expect(html).toContain('<a href="https://example.com" rel="noopener noreferrer nofollow">fine link</a>');
  });
});
