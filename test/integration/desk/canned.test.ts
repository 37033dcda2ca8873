import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

interface Person {
  id: string;
  token: string;
}

/** A valid BIP-39 phrase (the standard test vector): what must never be stored. */
const PHRASE = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

/**
 * Canned replies through a real gateway: who may see and write personal and shared ones, the
 * templates refused at saving (unknown variables, unbalanced braces, asking for a recovery
 * phrase), and rendering for a conversation in the customer's language with the fallbacks.
 */
describe('canned replies', () => {
  let gateway: TestGateway;
  let admin: string;
  const people = {} as Record<'ana' | 'bo', Person>;

  beforeAll(async () => {
    gateway = await startTestGateway();
    admin = await loginAdmin(gateway.url);
    for (const [key, name] of [
      ['ana', 'Ana Silva'],
      ['bo', 'Bo Chen'],
    ] as const) {
      const created = await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email: `${key}@example.com`, name, password: `${key}-password-1` } });
      expect(created.status).toBe(201);
      const login = await request(gateway.url, 'POST', '/api/auth/login', { body: { email: `${key}@example.com`, password: `${key}-password-1` } });
      people[key] = { id: created.body.id, token: login.body.token };
    }
  });
  afterAll(async () => {
    await gateway?.dispose();
  });

  const create = (token: string, body: Record<string, unknown>) => request(gateway.url, 'POST', '/api/canned', { token, body });
  const list = async (token: string, q?: string) => (await request(gateway.url, 'GET', `/api/canned${q === undefined ? '' : `?q=${encodeURIComponent(q)}`}`, { token })).body.items as any[];
  const render = (token: string, id: string, body: Record<string, unknown>) => request(gateway.url, 'POST', `/api/canned/${id}/render`, { token, body });
  const conversationOf = async (visitor: Visitor, text: string): Promise<string> => {
    expect((await visitor.send(text)).status).toBe(202);
    return eventually(async () => (await request(gateway.url, 'GET', `/api/conversations?q=${encodeURIComponent(text)}`, { token: admin })).body.items[0]?.id as string | undefined);
  };

  let anasRef: string;
  let sharedRef: string;

  it('an agent writes personal replies; only an admin writes shared ones (403 otherwise)', async () => {
    const personal = await create(people.ana.token, { shortcut: 'ref', title: 'My refund note', variants: { en: 'Hi {{contact.name}}, I am on your refund.' } });
    expect(personal.status).toBe(201);
    expect(personal.body).toMatchObject({ shortcut: 'ref', title: 'My refund note', scope: 'personal', ownerId: people.ana.id, variants: { en: 'Hi {{contact.name}}, I am on your refund.' } });
    expect(personal.body.variants).not.toHaveProperty('zh');
    anasRef = personal.body.id;

    const refused = await create(people.ana.token, { shortcut: 'refund', title: 'Refund', scope: 'shared', variants: { en: 'Refunds take 3 days.' } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');

    const shared = await create(admin, {
      shortcut: 'ref',
      title: 'Refund status',
      scope: 'shared',
      variants: { en: 'Hi {{contact.name}}, your refund is on its way. — {{agent.firstName}}', zh: '{{contact.name}}，您好！您的退款正在处理中。客服 {{agent.name}}' },
    });
    expect(shared.status).toBe(201);
    expect(shared.body).toMatchObject({ scope: 'shared', ownerId: null });
    sharedRef = shared.body.id;
  });

  it("a personal shortcut may shadow a shared one and is listed first; another agent never sees it", async () => {
    expect((await list(people.ana.token)).map((c) => [c.shortcut, c.scope])).toEqual([
      ['ref', 'personal'],
      ['ref', 'shared'],
    ]);
    expect((await list(people.bo.token)).map((c) => c.id)).toEqual([sharedRef]);
    // Admins too: personal is personal.
    expect((await list(admin)).map((c) => c.id)).toEqual([sharedRef]);
  });

  it("another agent's personal reply is a 404 for every verb, admins included; a shared one is a 403 for non-admins", async () => {
    const body = { shortcut: 'ref', title: 'Taken over', variants: { en: 'Mine now' } };
    for (const token of [people.bo.token, admin]) {
      expect((await request(gateway.url, 'PUT', `/api/canned/${anasRef}`, { token, body })).status).toBe(404);
      expect((await request(gateway.url, 'DELETE', `/api/canned/${anasRef}`, { token })).status).toBe(404);
      const rendered = await render(token, anasRef, { conversationId: 'whatever' });
      expect(rendered.status).toBe(404);
      expect(rendered.body.error.message).toBe('canned reply not found');
    }
    // The same answer as for a reply that never existed: nothing leaks.
    expect((await request(gateway.url, 'DELETE', '/api/canned/cr_nothing', { token: people.bo.token })).body).toEqual({ error: { code: 'not_found', message: 'canned reply not found' } });

    expect((await request(gateway.url, 'PUT', `/api/canned/${sharedRef}`, { token: people.ana.token, body: { ...body, scope: 'shared' } })).status).toBe(403);
    expect((await request(gateway.url, 'DELETE', `/api/canned/${sharedRef}`, { token: people.ana.token })).status).toBe(403);
    // Nor may an agent turn their personal one into a shared one.
    expect((await request(gateway.url, 'PUT', `/api/canned/${anasRef}`, { token: people.ana.token, body: { ...body, scope: 'shared' } })).status).toBe(403);

    const renamed = await request(gateway.url, 'PUT', `/api/canned/${anasRef}`, { token: people.ana.token, body: { shortcut: 'ref', title: 'My refund note', variants: { en: 'Hi {{contact.name}}, I am on your refund.', zh: '{{contact.name}}您好，我在处理您的退款。' } } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ scope: 'personal', ownerId: people.ana.id, variants: { zh: '{{contact.name}}您好，我在处理您的退款。' } });
  });

  it('a shortcut is unique in its scope: 409 naming the field', async () => {
    const again = await create(people.ana.token, { shortcut: 'ref', title: 'Again', variants: { en: 'x' } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('shortcut: /ref exists already among your replies');
    const sharedAgain = await create(admin, { shortcut: 'ref', title: 'Again', scope: 'shared', variants: { en: 'x' } });
    expect(sharedAgain.status).toBe(409);
    expect(sharedAgain.body.error.message).toBe('shortcut: /ref exists already among the shared replies');
    // Bo's own /ref is no clash with Ana's.
    const bos = await create(people.bo.token, { shortcut: 'ref', title: 'Bo refund', variants: { en: 'Refund: on it.' } });
    expect(bos.status).toBe(201);
    expect((await request(gateway.url, 'DELETE', `/api/canned/${bos.body.id}`, { token: people.bo.token })).status).toBe(204);
    expect((await list(people.bo.token)).map((c) => c.id)).toEqual([sharedRef]);
  });

  it.each([
    [{ shortcut: 'Ref!', title: 't', variants: { en: 'x' } }, /^shortcut: lowercase letters/],
    [{ shortcut: '-ref', title: 't', variants: { en: 'x' } }, /^shortcut: /],
    [{ shortcut: 'a'.repeat(41), title: 't', variants: { en: 'x' } }, /^shortcut: /],
    [{ shortcut: 'ok', title: ' ', variants: { en: 'x' } }, /^title: /],
    [{ shortcut: 'ok', title: 't', variants: {} }, /^variants: at least one of en, zh/],
    [{ shortcut: 'ok', title: 't', variants: { en: '   ' } }, /^variants\.en: /],
    [{ shortcut: 'ok', title: 't', variants: { fr: 'Bonjour' } }, /^variants: /],
    [{ shortcut: 'ok', title: 't', variants: { zh: '您好{{contact.phone}}' } }, /^variants\.zh: unknown variable \{\{contact\.phone\}\} \(known: /],
    [{ shortcut: 'ok', title: 't', variants: { en: 'Hi {{contact.name', zh: '您好' } }, /^variants\.en: unbalanced braces: "\{\{" without a closing "\}\}"/],
    [{ shortcut: 'ok', title: 't', variants: { en: 'Hi }} there' } }, /^variants\.en: unbalanced braces: "\}\}" without an opening/],
  ])('a bad body is a 400 naming the field: %j', async (body, message) => {
    const response = await create(people.ana.token, body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('validation');
    expect(response.body.error.message).toMatch(message);
  });

  it('a reply asking for a recovery phrase, or holding one, is refused at saving (422) and never stored; a warning is fine', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ en: 'Hi {{contact.name}}, please send us your recovery phrase so we can verify the wallet.' }, /^variants\.en: This reply asks the customer for a recovery phrase/],
      [{ en: 'Fine', zh: '{{contact.name}}您好，请把您的助记词发给我们以便核实。' }, /^variants\.zh: This reply asks the customer/],
      [{ en: `Is this yours: ${PHRASE}?` }, /^variants\.en: This text contains what looks like a recovery phrase/],
    ];
    for (const [variants, message] of cases) {
      for (const [token, scope] of [
        [people.ana.token, 'personal'],
        [admin, 'shared'],
      ] as const) {
        const response = await create(token, { shortcut: 'verify', title: 'Verify', scope, variants });
        expect(response.status).toBe(422);
        expect(response.body.error.code).toBe('unsafe_content');
        expect(response.body.error.message).toMatch(message);
      }
    }
    const titled = await create(people.ana.token, { shortcut: 'verify', title: PHRASE, variants: { en: 'ok' } });
    expect(titled.status).toBe(422);
    expect(titled.body.error.message).toMatch(/^title: /);
    // Editing a safe one into an unsafe one is refused the same way.
    const edit = await request(gateway.url, 'PUT', `/api/canned/${sharedRef}`, { token: admin, body: { shortcut: 'ref', title: 'Refund status', scope: 'shared', variants: { en: 'Tell me your seed phrase' } } });
    expect(edit.status).toBe(422);

    const rows = await gateway.deps.db.selectFrom('canned_replies').select(['title', 'text_en', 'text_zh']).execute();
    expect(JSON.stringify(rows)).not.toMatch(/abandon|recovery phrase|助记词|seed phrase/);

    const warning = await create(admin, { shortcut: 'never-share', title: 'Safety', scope: 'shared', variants: { en: 'We will never ask for your recovery phrase. Never share it with anyone.', zh: '我们绝不会索要您的助记词，请不要告诉任何人。' } });
    expect(warning.status).toBe(201);
  });

  it('the list searches shortcut, title and both variants, ignoring case and a leading "/"', async () => {
    expect((await list(people.ana.token, '/ref')).map((c) => c.scope)).toEqual(['personal', 'shared']);
    expect((await list(people.ana.token, 'REFUND STATUS')).map((c) => c.id)).toEqual([sharedRef]);
    expect((await list(people.ana.token, '退款正在')).map((c) => c.id)).toEqual([sharedRef]);
    expect((await list(people.ana.token, 'never ask')).map((c) => c.shortcut)).toEqual(['never-share']);
    // Wildcards are letters here.
    expect(await list(people.ana.token, '%')).toEqual([]);
    expect((await request(gateway.url, 'GET', `/api/canned?q=${'x'.repeat(101)}`, { token: people.ana.token })).status).toBe(400);
  });

  it("renders in the customer's language — Chinese here — with a nameless customer's fallback, and the other variant when one is missing", async () => {
    const chinese = await Visitor.create(gateway.url, 'web');
    const id = await conversationOf(chinese, '我的退款什么时候到账？');
    const zh = await render(people.ana.token, sharedRef, { conversationId: id });
    expect(zh.status).toBe(200);
    expect(zh.body).toEqual({ lang: 'zh', text: '您好！您的退款正在处理中。客服 Ana Silva' });
    // Asked for English: the English variant, with the greeting's fallback.
    expect((await render(people.ana.token, sharedRef, { conversationId: id, lang: 'en' })).body).toEqual({ lang: 'en', text: 'Hi there, your refund is on its way. — Ana' });

    const enOnly = await create(admin, { shortcut: 'hours', title: 'Opening hours', scope: 'shared', variants: { en: 'Hi {{contact.firstName}}, we answer around the clock.' } });
    expect((await render(people.bo.token, enOnly.body.id, { conversationId: id })).body).toEqual({ lang: 'en', text: 'Hi there, we answer around the clock.' });
  });

  it('fills a named customer in, and an English customer gets the English variant', async () => {
    const named = await Visitor.create(gateway.url, 'web', { name: '王小明' });
    const zhId = await conversationOf(named, '请问提现多久到账');
    expect((await render(people.ana.token, anasRef, { conversationId: zhId })).body).toEqual({ lang: 'zh', text: '王小明您好，我在处理您的退款。' });
    const english = await Visitor.create(gateway.url, 'web', { name: 'Li Wei' });
    const enId = await conversationOf(english, 'When does my withdrawal arrive?');
    expect((await render(people.bo.token, sharedRef, { conversationId: enId })).body).toEqual({ lang: 'en', text: 'Hi Li Wei, your refund is on its way. — Bo' });
    expect((await render(people.bo.token, sharedRef, { conversationId: 'no-such-conversation' })).body.error).toEqual({ code: 'not_found', message: 'conversation not found' });
    expect((await render(people.bo.token, sharedRef, { conversationId: enId, lang: 'fr' })).status).toBe(400);
  });

  it('a name that looks like markup or a placeholder stays plain text, in the rendering and in the reply sent with it', async () => {
    const name = '<img src=x onerror=alert(1)> {{agent.name}}';
    const visitor = await Visitor.create(gateway.url, 'web', { name });
    const id = await conversationOf(visitor, 'Where is my refund?');
    const rendered = await render(people.ana.token, sharedRef, { conversationId: id });
    expect(rendered.body.text).toBe(`Hi ${name}, your refund is on its way. — Ana`);
    const sent = await request(gateway.url, 'POST', `/api/conversations/${id}/messages`, { token: people.ana.token, body: { text: rendered.body.text } });
    expect(sent.status).toBe(202);
    const delivered = await eventually(async () => (await visitor.history()).body.items.find((m: any) => m.direction === 'outbound'));
    expect(delivered.text).toBe(`Hi ${name}, your refund is on its way. — Ana`);
  });

  it('the rendered text is checked again when sent: a customer "named" with a request for the phrase cannot turn a safe reply unsafe', async () => {
    const visitor = await Visitor.create(gateway.url, 'web', { name: 'send me your recovery phrase' });
    const id = await conversationOf(visitor, 'hello there');
    const rendered = await render(people.ana.token, sharedRef, { conversationId: id });
    expect(rendered.body.text).toBe('Hi send me your recovery phrase, your refund is on its way. — Ana');
    const sent = await request(gateway.url, 'POST', `/api/conversations/${id}/messages`, { token: people.ana.token, body: { text: rendered.body.text } });
    expect(sent.status).toBe(422);
    expect(sent.body.error.code).toBe('unsafe_content');
  });

  it("a deactivated agent's personal replies stay theirs; a removed agent's go with them, shared ones stay", async () => {
    expect((await request(gateway.url, 'PATCH', `/api/agents/${people.ana.id}`, { token: admin, body: { active: false } })).status).toBe(200);
    const kept = await gateway.deps.db.selectFrom('canned_replies').select('id').where('owner_id', '=', people.ana.id).execute();
    expect(kept.map((r) => r.id)).toEqual([anasRef]);
    await gateway.deps.db.deleteFrom('agents').where('id', '=', people.ana.id).execute();
    expect(await gateway.deps.db.selectFrom('canned_replies').select('id').where('owner_id', '=', people.ana.id).execute()).toEqual([]);
    expect((await list(people.bo.token)).map((c) => c.shortcut)).toEqual(['hours', 'never-share', 'ref']);
  });
});
