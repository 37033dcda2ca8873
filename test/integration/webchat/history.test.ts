import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

const SECRET = 'app-identity-secret-0123456789';
const userHash = (userId: string) => createHmac('sha256', SECRET).update(userId).digest('hex');

interface Listed { id: string; status: string; readOnly: boolean; preview: string }

/**
 * Identified widget users find what support told them (issue 17): their token covers every
 * conversation of their contact on the channel, nobody else's — and anonymous visitors keep
 * exactly their own thread.
 */
describe('widget history of identified users', () => {
  let gateway: TestGateway;
  let token: string;
  let alice: Visitor;
  let bob: Visitor;
  let earlier: Visitor;
  let stranger: Visitor;
  let current: string;
  let past: string;
  let pastFile: string;

  const conversationOfVisitor = (visitorId: string) =>
    eventually(async () => {
      const res = await request<{ items: { id: string; contact: { identities: { externalId: string }[] } }[] }>(gateway.url, 'GET', '/api/conversations?channel=web&limit=100', { token });
      return res.body.items.find((c) => c.contact.identities.some((i) => i.externalId === visitorId))?.id;
    }, 10_000, `the conversation of ${visitorId}`);

  beforeAll(async () => {
    gateway = await startTestGateway({ channels: [{ id: 'web', kind: 'webchat', identitySecret: SECRET }] });
    token = await loginAdmin(gateway.url);

    // Last month, before signing in: an anonymous chat about a withdrawal, answered and resolved.
    earlier = await Visitor.create(gateway.url);
    expect((await earlier.send('My withdrawal is stuck')).status).toBe(202);
    past = await conversationOfVisitor(earlier.visitorId);
    expect((await request(gateway.url, 'POST', `/api/conversations/${past}/messages`, { token, body: { text: 'It went through: tx 0xfeed' } })).status).toBe(202);
    expect((await request(gateway.url, 'POST', `/api/conversations/${past}/messages`, { token, body: { text: 'note: checked with ops', private: true } })).status).toBe(202);
    const transcript = await request<{ messageId: string }>(gateway.url, 'POST', `/api/conversations/${past}/transcript`, { token, body: { via: 'channel', format: 'html' } });
    expect(transcript.status).toBe(202);
    expect((await request(gateway.url, 'PATCH', `/api/conversations/${past}`, { token, body: { status: 'resolved' } })).status).toBe(200);

    // Today, signed in to the app.
    alice = await Visitor.create(gateway.url, 'web', { userId: 'alice-42', userHash: userHash('alice-42') });
    expect((await alice.send('Another question')).status).toBe(202);
    current = await conversationOfVisitor(alice.visitorId);

    // A verified link (the identity feature) makes the earlier contact Alice's: its conversation and
    // identity move to her contact, as a merge does.
    const db = gateway.deps.db;
    const { contact_id } = await db.selectFrom('conversations').select('contact_id').where('id', '=', current).executeTakeFirstOrThrow();
    await db.updateTable('conversations').set({ contact_id }).where('id', '=', past).execute();
    await db.updateTable('contact_identities').set({ contact_id }).where('external_id', '=', earlier.visitorId).execute();

    const messages = await request<{ items: { id: string; attachments: { id: string }[] }[] }>(gateway.url, 'GET', `/api/conversations/${past}/messages`, { token });
    pastFile = messages.body.items.find((m) => m.id === transcript.body.messageId)!.attachments[0]!.id;

    bob = await Visitor.create(gateway.url, 'web', { userId: 'bob-7', userHash: userHash('bob-7') });
    expect((await bob.send('Bob here')).status).toBe(202);
    await conversationOfVisitor(bob.visitorId);
    stranger = await Visitor.create(gateway.url);
  });
  afterAll(async () => gateway?.dispose());

  it('an identified visitor lists their two conversations, the current one writable and the resolved one read-only', async () => {
    const res = await request<{ items: Listed[] }>(gateway.url, 'GET', '/widget/web/conversations', { token: alice.token });
    expect(res.status).toBe(200);
    expect(res.body.items.map((c) => c.id).sort()).toEqual([current, past].sort());
    expect(res.body.items.find((c) => c.id === current)).toMatchObject({ readOnly: false, status: 'open', preview: 'Another question' });
    const old = res.body.items.find((c) => c.id === past)!;
    expect(old).toMatchObject({ readOnly: true, status: 'resolved' });
    expect(old.preview).not.toContain('note:');
  });

  it('opens the earlier conversation: the customer-visible messages, never the note, and its file', async () => {
    const res = await request<{ items: { text: string; attachments: { id: string; url: string }[] }[]; conversation: { id: string; status: string; readOnly: boolean } }>(
      gateway.url,
      'GET',
      `/widget/web/messages?conversation=${past}`,
      { token: alice.token },
    );
    expect(res.status).toBe(200);
    expect(res.body.conversation).toEqual({ id: past, status: 'resolved', readOnly: true });
    const texts = res.body.items.map((m) => m.text);
    expect(texts).toContain('My withdrawal is stuck');
    expect(texts).toContain('It went through: tx 0xfeed');
    expect(texts.some((t) => t.includes('checked with ops'))).toBe(false);
    const file = res.body.items.flatMap((m) => m.attachments).find((a) => a.id === pastFile)!;
    const download = await fetch(`${gateway.url}${file.url}`, { headers: { authorization: `Bearer ${alice.token}` } });
    expect(download.status).toBe(200);
    expect(await download.text()).toContain('It went through: tx 0xfeed');
    // Without the parameter: the thread she writes in, as before.
    const own = await alice.history();
    expect(own.body.conversation).toMatchObject({ id: current, readOnly: false });
  });

  it('another identified user cannot read them: 404 for the history and the file, and their list has only their own', async () => {
    for (const id of [past, current]) {
      expect((await request(gateway.url, 'GET', `/widget/web/messages?conversation=${id}`, { token: bob.token })).status).toBe(404);
    }
    expect((await request(gateway.url, 'GET', `/widget/web/attachments/${pastFile}`, { token: bob.token })).status).toBe(404);
    const list = await request<{ items: Listed[] }>(gateway.url, 'GET', '/widget/web/conversations', { token: bob.token });
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items.map((c) => c.id)).not.toContain(past);
    expect(list.body.items.map((c) => c.id)).not.toContain(current);
  });

  it('anonymous visitors have no list (403) and read only their own thread', async () => {
    for (const visitor of [stranger, earlier]) {
      const list = await request<{ error: { code: string } }>(gateway.url, 'GET', '/widget/web/conversations', { token: visitor.token });
      expect(list.status).toBe(403);
      expect(list.body.error.code).toBe('identified_only');
      expect((await request(gateway.url, 'GET', `/widget/web/messages?conversation=${current}`, { token: visitor.token })).status).toBe(404);
    }
    expect((await request(gateway.url, 'GET', `/widget/web/messages?conversation=${past}`, { token: stranger.token })).status).toBe(404);
    expect((await request(gateway.url, 'GET', `/widget/web/attachments/${pastFile}`, { token: stranger.token })).status).toBe(404);
    // The earlier anonymous session still sees its own thread, whoever it was linked to since.
    const own = await request<{ conversation: { id: string } }>(gateway.url, 'GET', `/widget/web/messages?conversation=${past}`, { token: earlier.token });
    expect(own.status).toBe(200);
    expect(own.body.conversation.id).toBe(past);
  });

  it('a forged token is refused', async () => {
    const forged = `${Buffer.from(JSON.stringify({ c: 'web', v: alice.visitorId, exp: 9_999_999_999 })).toString('base64url')}.AAAA`;
    expect((await request(gateway.url, 'GET', '/widget/web/conversations', { token: forged })).status).toBe(401);
  });
});
