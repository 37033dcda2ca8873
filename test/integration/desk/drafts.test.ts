import { entropyToMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_MASK } from '../../../src/desk/secrets.js';
import { everythingSent, type FakeLlm, startFakeLlm, steps } from '../../fakes/llm/server.js';
import { TEST_DATABASE_URL } from '../../support/env.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

/** The id of the visitor's conversation, once it holds at least `messages` messages. */
async function inboxConversation(base: string, token: string, visitor: Visitor, messages: number): Promise<string | undefined> {
  const list = await request(base, 'GET', '/api/conversations?limit=100', { token });
  const conversation = (list.body.items as any[]).find((c) => c.contact.identities.some((i: any) => i.externalId === visitor.visitorId));
  if (!conversation) return undefined;
  const held = await request(base, 'GET', `/api/conversations/${conversation.id}/messages`, { token });
  return held.body.items.length >= messages ? (conversation.id as string) : undefined;
}

/** The desk section the tests run with, the LLM endpoint aside. */
const desk = { safety: { footer: false }, autoAck: false, csat: { enabled: false } };

const articles = [
  {
    slug: 'withdrawal-pending',
    tags: ['withdrawals'],
    status: 'published',
    translations: {
      en: { title: 'Why is my withdrawal pending?', body: 'A withdrawal waits for **12 network confirmations**. This usually takes about 30 minutes; during congestion it can take up to 2 hours.' },
      zh: { title: '为什么我的提现一直在处理中？', body: '提现需要等待 **12 个网络确认**，通常约 30 分钟；网络拥堵时最长可能需要 2 小时。' },
    },
  },
  {
    slug: 'card-fees',
    tags: ['card'],
    // Not published: never a draft's source.
    status: 'draft',
    translations: { en: { title: 'Debit card fees', body: 'The debit card costs 5 USD per month; foreign ATM withdrawals cost 2 percent.' } },
  },
  {
    slug: 'refund-procedure',
    tags: ['refunds'],
    audience: 'internal',
    status: 'published',
    translations: { en: { title: 'Refund procedure (internal)', body: 'Refunds above 500 USD need a supervisor. Open the refund form in the back office.' } },
  },
];

/** Reply drafts against a fake OpenAI-compatible endpoint: grounded, redacted, guarded, mapped. */
describe('reply drafts', () => {
  let fake: FakeLlm;
  let gateway: TestGateway;
  let admin: string;
  let agent: string;
  const logs: string[] = [];
  const ids = new Map<string, string>();
  const phrase = entropyToMnemonic(new Uint8Array(16).fill(11), english);
  const tx = '0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060';

  /** A visitor's conversation once the inbox has the given messages. */
  const conversationOf = async (visitor: Visitor, texts: readonly string[]): Promise<string> => {
    for (const text of texts) await visitor.send(text);
    return eventually(() => inboxConversation(gateway.url, admin, visitor, texts.length));
  };
  const draft = (conversationId: string, token = agent) => request(gateway.url, 'POST', `/api/conversations/${conversationId}/draft`, { token });

  beforeAll(async () => {
    fake = await startFakeLlm();
    gateway = await startTestGateway({
      desk: { ...desk, llm: { baseUrl: fake.baseUrl, model: 'gpt-4o-mini', apiKey: '${LLM_API_KEY}' } },
      env: { LLM_API_KEY: fake.apiKey },
      logger: pino({ level: 'debug' }, { write: (line: string) => void logs.push(line) }),
    });
    admin = await loginAdmin(gateway.url);
    await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email: 'li@example.com', name: 'Li', password: 'li-password-1' } });
    agent = (await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'li@example.com', password: 'li-password-1' } })).body.token;
    for (const article of articles) {
      const created = await request(gateway.url, 'POST', '/api/kb/articles', { token: admin, body: article });
      expect(created.status).toBe(201);
      ids.set(article.slug, created.body.id);
    }
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.close();
  });

  it('is on with desk.llm configured; the key from ${LLM_API_KEY} is never shown by the settings API, to admins neither', async () => {
    expect((await request(gateway.url, 'GET', '/api/drafts/status', { token: agent })).body).toEqual({ enabled: true });
    for (const token of [agent, admin]) {
      const listed = await request(gateway.url, 'GET', '/api/desk/settings', { token });
      expect(JSON.stringify(listed.body)).not.toContain(fake.apiKey);
      expect(listed.body.items.find((i: any) => i.feature === 'drafts').settings).toEqual({ llm: { baseUrl: fake.baseUrl, model: 'gpt-4o-mini', apiKey: SECRET_MASK, timeout: '20s' } });
    }
  });

  it('asks nothing of the endpoint when messages arrive: only an agent asking does', async () => {
    const visitor = await Visitor.create(gateway.url, 'web', { name: 'Zhou Min' });
    await conversationOf(visitor, ['My withdrawal is pending since this morning']);
    expect(fake.requests).toEqual([]);
  });

  it("drafts from the matching article only, sends the conversation redacted, and gives the draft with the customer's name back", async () => {
    const visitor = await Visitor.create(gateway.url, 'web', { name: 'Wang Fang', email: 'fang.wang@example.com' });
    const id = await conversationOf(visitor, [
      `Hello, my withdrawal has been pending for 2 hours! My words are ${phrase} in case you need them.`,
      'You can call me on +86 138 0013 8000 or write to fang.wang@example.com',
    ]);
    await request(gateway.url, 'POST', `/api/conversations/${id}/messages`, { token: agent, body: { text: 'Hi Wang Fang, which transfer is it?' } });
    await visitor.send(`This one: ${tx}`);
    // The count alone can be met by a system line (the redaction's) before the hash message is in.
    await eventually(async () => ((await request(gateway.url, 'GET', `/api/conversations/${id}/messages`, { token: agent })).body.items.some((m: { text: string }) => m.text.includes(tx)) ? true : undefined));
    const before = (await request(gateway.url, 'GET', `/api/conversations/${id}/messages`, { token: agent })).body.items.length;

    fake.script(steps.reply('Hi [customer name], a withdrawal waits for 12 network confirmations, usually about 30 minutes. See http://localhost/help/en/withdrawal-pending'));
    const drafted = await draft(id);
    expect(drafted.status).toBe(200);
    expect(drafted.body.text).toBe('Hi Wang Fang, a withdrawal waits for 12 network confirmations, usually about 30 minutes. See http://localhost/help/en/withdrawal-pending');
    expect(drafted.body.articles).toEqual([{ id: ids.get('withdrawal-pending'), title: 'Why is my withdrawal pending?', url: expect.stringMatching(/\/help\/en\/withdrawal-pending$/) }]);

    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent!.authorization).toBe(`Bearer ${fake.apiKey}`);
    const [system, user] = sent!.body.messages!;
    expect(system!.content).toContain('Answer only from the help-center articles below');
    expect(system!.content).toContain('A withdrawal waits for 12 network confirmations');
    expect(system!.content).toContain('Write in English');
    // The unpublished and the internal articles were not sources.
    expect(system!.content).not.toMatch(/debit card|Refund procedure/i);
    expect(user!.content).toContain('Support: Hi [customer name], which transfer is it?');
    expect(user!.content).toContain('[phone] or write to [email]');
    // Kept: what support works with.
    expect(user!.content).toContain(tx);
    const everything = everythingSent(fake);
    for (const word of phrase.split(' ')) expect(everything).not.toMatch(new RegExp(`\\b${word}\\b`));
    for (const pii of ['Wang', 'Fang', 'fang.wang@example.com', '138 0013 8000', '13800138000']) expect(everything).not.toContain(pii);

    // A suggestion only: nothing was saved or sent.
    expect((await request(gateway.url, 'GET', `/api/conversations/${id}/messages`, { token: agent })).body.items).toHaveLength(before);
  });

  it("answers a Chinese customer in Chinese, from the article's Chinese text", async () => {
    const visitor = await Visitor.create(gateway.url, 'web', { name: '李雷' });
    const id = await conversationOf(visitor, ['你好，我的提现一直在处理中，怎么回事？']);
    fake.script(steps.reply('[客户姓名]您好，提现需要等待 12 个网络确认，通常约 30 分钟。'));
    const start = fake.requests.length;
    const drafted = await draft(id);
    expect(drafted.status).toBe(200);
    expect(drafted.body.text).toBe('李雷您好，提现需要等待 12 个网络确认，通常约 30 分钟。');
    expect(drafted.body.articles[0]).toMatchObject({ id: ids.get('withdrawal-pending'), title: '为什么我的提现一直在处理中？', url: expect.stringMatching(/\/help\/zh\/withdrawal-pending$/) });
    const system = fake.requests[start]!.body.messages![0]!.content;
    expect(system).toContain('Write in Simplified Chinese');
    expect(system).toContain('提现需要等待 12 个网络确认');
    expect(fake.requests[start]!.raw).not.toContain('李雷');
  });

  it('with no matching article, asks nothing and says why; unpublished and internal articles do not count', async () => {
    for (const question of ['Can I change the colour theme to purple?', 'What are the debit card fees?', 'Which supervisor signs a refund above 500 USD?']) {
      const visitor = await Visitor.create(gateway.url);
      const id = await conversationOf(visitor, [question]);
      const start = fake.requests.length;
      const drafted = await draft(id);
      expect(drafted.status, question).toBe(200);
      expect(drafted.body, question).toEqual({ text: null, articles: [], reason: 'no_article' });
      expect(fake.requests.length, question).toBe(start);
    }
  });

  describe('the endpoint failing', () => {
    let id: string;
    beforeAll(async () => {
      id = await conversationOf(await Visitor.create(gateway.url), ['Why is my withdrawal still pending?']);
    });

    it('a refused key → 502 llm_unauthorized, without the endpoint\'s message (it quotes the key)', async () => {
      const right = fake.apiKey;
      fake.apiKey = 'sk-the-endpoint-now-wants-another';
      try {
        const r = await draft(id);
        expect(r.status).toBe(502);
        expect(r.body.error.code).toBe('llm_unauthorized');
        expect(JSON.stringify(r.body)).not.toContain(right.slice(-4));
      } finally {
        fake.apiKey = right;
      }
    });

    it('a rate limit → 503 llm_rate_limited with the Retry-After the endpoint asked for', async () => {
      fake.script(steps.rateLimited(17));
      const r = await draft(id);
      expect(r.status).toBe(503);
      expect(r.body.error.code).toBe('llm_rate_limited');
      expect(r.headers.get('retry-after')).toBe('17');
    });

    it('no answer in time → 504 llm_timeout; a malformed answer → 502 llm_malformed', async () => {
      const current = (await request(gateway.url, 'GET', '/api/desk/settings', { token: admin })).body.items.find((i: any) => i.feature === 'drafts').settings;
      // Saved back with the masked key: the key stays what it was.
      const shortened = await request(gateway.url, 'PUT', '/api/desk/settings/drafts', { token: admin, body: { llm: { ...current.llm, timeout: '1s' } } });
      expect(shortened.status).toBe(200);
      try {
        fake.script(steps.hang());
        const slow = await draft(id);
        expect(slow.status).toBe(504);
        expect(slow.body.error.code).toBe('llm_timeout');
        expect(fake.requests.at(-1)!.authorization).toBe(`Bearer ${fake.apiKey}`);
      } finally {
        await request(gateway.url, 'DELETE', '/api/desk/settings/drafts', { token: admin });
      }
      fake.script(steps.raw('<html><body>502 Bad Gateway</body></html>', 200, 'text/html'));
      const garbled = await draft(id);
      expect(garbled.status).toBe(502);
      expect(garbled.body.error.code).toBe('llm_malformed');
    });

    it('an unsafe answer is withheld: 422 unsafe_content, logged without its text', async () => {
      fake.script(steps.reply('To verify your wallet, please send us your 12-word recovery phrase.'));
      const r = await draft(id);
      expect(r.status).toBe(422);
      expect(r.body.error.code).toBe('unsafe_content');
      expect(JSON.stringify(r.body)).not.toContain('send us your');
      const withheld = await eventually(async () => logs.find((line) => line.includes('drafted reply withheld')));
      expect(withheld).toContain(id);
      expect(logs.join('\n')).not.toContain('send us your 12-word');
    });
  });

  it("an admin's saved settings keep the file's key as the mask: the environment's key is not copied into Postgres", async () => {
    const current = (await request(gateway.url, 'GET', '/api/desk/settings', { token: admin })).body.items.find((i: any) => i.feature === 'drafts').settings;
    const saved = await request(gateway.url, 'PUT', '/api/desk/settings/drafts', { token: admin, body: { llm: { ...current.llm, model: 'gpt-4.1-mini' } } });
    expect(saved.status).toBe(200);
    expect(JSON.stringify(saved.body)).not.toContain(fake.apiKey);
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const row = await client.query(`select value::text as value from ${gateway.schema}.desk_settings where feature = 'drafts'`);
      expect(row.rows[0].value).toContain(SECRET_MASK);
      expect(row.rows[0].value).not.toContain(fake.apiKey);
    } finally {
      await client.end();
    }
    const id = await conversationOf(await Visitor.create(gateway.url), ['My withdrawal is pending, why?']);
    fake.script(steps.reply('A withdrawal waits for 12 network confirmations.'));
    expect((await draft(id)).status).toBe(200);
    expect(fake.requests.at(-1)!.body.model).toBe('gpt-4.1-mini');
    expect(fake.requests.at(-1)!.authorization).toBe(`Bearer ${fake.apiKey}`);
  });

  it('never logs the key', () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(fake.apiKey);
  });
});

describe('reply drafts without desk.llm', () => {
  let fake: FakeLlm;
  let gateway: TestGateway;
  let admin: string;
  let id: string;

  beforeAll(async () => {
    fake = await startFakeLlm();
    gateway = await startTestGateway({ desk });
    admin = await loginAdmin(gateway.url);
    const created = await request(gateway.url, 'POST', '/api/kb/articles', { token: admin, body: articles[0] });
    expect(created.status).toBe(201);
    const visitor = await Visitor.create(gateway.url);
    await visitor.send('My withdrawal is pending, why?');
    id = await eventually(() => inboxConversation(gateway.url, admin, visitor, 1));
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.close();
  });

  it('are off: the status says so, a draft is refused, and the endpoint never hears from us', async () => {
    expect((await request(gateway.url, 'GET', '/api/drafts/status', { token: admin })).body).toEqual({ enabled: false });
    const r = await request(gateway.url, 'POST', `/api/conversations/${id}/draft`, { token: admin });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('drafts_disabled');
    expect(fake.requests).toEqual([]);
  });

  it('an admin turns them on in the inbox and off again; the mask cannot stand for a key never set', async () => {
    const llm = { baseUrl: fake.baseUrl, model: 'gpt-4o-mini', apiKey: SECRET_MASK };
    const masked = await request(gateway.url, 'PUT', '/api/desk/settings/drafts', { token: admin, body: { llm } });
    expect(masked.status).toBe(400);
    expect(masked.body.error.message).toMatch(/^llm\.apiKey: /);

    const on = await request(gateway.url, 'PUT', '/api/desk/settings/drafts', { token: admin, body: { llm: { ...llm, apiKey: fake.apiKey } } });
    expect(on.status).toBe(200);
    expect(on.body.settings.llm.apiKey).toBe(SECRET_MASK);
    expect((await request(gateway.url, 'GET', '/api/drafts/status', { token: admin })).body).toEqual({ enabled: true });
    fake.script(steps.reply('A withdrawal waits for 12 network confirmations.'));
    expect((await request(gateway.url, 'POST', `/api/conversations/${id}/draft`, { token: admin })).status).toBe(200);
    expect(fake.requests).toHaveLength(1);

    await request(gateway.url, 'DELETE', '/api/desk/settings/drafts', { token: admin });
    expect((await request(gateway.url, 'GET', '/api/drafts/status', { token: admin })).body).toEqual({ enabled: false });
    expect((await request(gateway.url, 'POST', `/api/conversations/${id}/draft`, { token: admin })).status).toBe(409);
    expect(fake.requests).toHaveLength(1);
  });
});
