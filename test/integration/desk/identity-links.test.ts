import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/domain/conversation.js';
import type { Message } from '../../../src/domain/message.js';
import { verifyAudit } from '../../../src/store/audit.js';
import { ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

/**
 * Verified identity links and reversible merges (issue 17) through a real gateway: codes minted
 * with an API token, sent by customers on two channels; forged, expired and reused codes link
 * nothing; one user id ends as one contact; an agent's merge and its undo restore both contacts
 * exactly; every link, merge and undo is in the audit log.
 */
describe('identity links and merges', () => {
  let gateway: TestGateway;
  let admin: string;
  let apiToken: string;
  let agentSession: string;
  const tg = new ScriptedChannel('tg');
  const mail = new ScriptedChannel('mail');
  let sequence = 0;

  beforeAll(async () => {
    gateway = await startTestGateway({
      channels: [],
      extraAdapters: [tg, mail],
      desk: { safety: { footer: false }, autoAck: false, csat: { enabled: false }, identity: { telegramBot: 'WalletHelpBot' } },
    });
    admin = await loginAdmin(gateway.url);
    const created = await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email: 'ana@example.com', name: 'Ana Silva', password: 'ana-password-1' } });
    expect(created.status).toBe(201);
    agentSession = (await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'ana@example.com', password: 'ana-password-1' } })).body.token;
    // The app's backend: an API token of an ordinary agent account.
    const token = await request(gateway.url, 'POST', '/api/tokens', { token: agentSession, body: { name: 'wallet backend' } });
    expect(token.status, JSON.stringify(token.body)).toBe(201);
    apiToken = token.body.token;
  });
  afterAll(async () => {
    await gateway?.dispose();
  });

  const deliver = async (channel: string, from: string, text: string): Promise<void> => {
    sequence += 1;
    const r = await request(gateway.url, 'POST', `/webhooks/${channel}`, { headers: { 'x-secret': 'scripted-secret' }, body: { id: `${from}-${sequence}`, from, text } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  const mint = async (userId: string, ttl?: string | number) => {
    const r = await request(gateway.url, 'POST', '/api/identity-links', { token: apiToken, body: { userId, ...(ttl === undefined ? {} : { ttl }) } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as { code: string; expiresAt: string; telegram?: string; instructions: { en: string; zh: string } };
  };
  const conversationOf = (channel: string, from: string): Promise<Conversation> =>
    eventually(async () => {
      const list = await request<{ items: Conversation[] }>(gateway.url, 'GET', `/api/conversations?channel=${channel}&limit=100`, { token: admin });
      return list.body.items.find((c) => c.contact.identities.some((i) => i.externalId === from));
    });
  const conversation = async (id: string): Promise<Conversation> => (await request<Conversation>(gateway.url, 'GET', `/api/conversations/${id}`, { token: admin })).body;
  const messages = async (id: string): Promise<Message[]> => (await request<{ items: Message[] }>(gateway.url, 'GET', `/api/conversations/${id}/messages?limit=200`, { token: admin })).body.items;
  const botReplies = async (id: string): Promise<string[]> => (await messages(id)).filter((m) => m.author.type === 'bot' && m.author.id === 'desk.identity').map((m) => m.text);
  const replyTo = (id: string, count = 1): Promise<string[]> =>
    eventually(async () => {
      const replies = await botReplies(id);
      return replies.length >= count ? replies : undefined;
    }, 15_000, 'the identity reply');
  const contactRow = (id: string) => gateway.deps.db.selectFrom('contacts').select(['id', 'name', 'email', 'avatar_url', 'user_id', 'updated_at', 'merged_into']).where('id', '=', id).executeTakeFirstOrThrow();
  const stateOf = async (contactId: string) => ({
    contact: await contactRow(contactId),
    identities: await gateway.deps.db.selectFrom('contact_identities').select(['channel_id', 'external_id', 'handle']).where('contact_id', '=', contactId).orderBy('channel_id').orderBy('external_id').execute(),
    conversations: (await gateway.deps.db.selectFrom('conversations').select('id').where('contact_id', '=', contactId).orderBy('id').execute()).map((c) => c.id),
  });
  const auditActions = async () => (await gateway.deps.db.selectFrom('audit_log').select(['action', 'target_id']).orderBy('seq').execute()).map((r) => r.action);

  it('who may mint codes: an API token or an admin (201); an agent session 403; no token 401; a bad body 400 naming the field', async () => {
    const minted = await mint('u-1000');
    expect(minted.code).toMatch(/^[A-Z2-7]{24}$/);
    expect(minted.telegram).toBe(`https://t.me/WalletHelpBot?start=${minted.code}`);
    expect(minted.instructions.en).toContain(minted.code);
    expect(minted.instructions.zh).toContain(minted.code);
    expect(Date.parse(minted.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(Date.parse(minted.expiresAt) - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    expect((await request(gateway.url, 'POST', '/api/identity-links', { token: admin, body: { userId: 'u-1000' } })).status).toBe(201);
    const bySession = await request(gateway.url, 'POST', '/api/identity-links', { token: agentSession, body: { userId: 'u-1000' } });
    expect(bySession.status).toBe(403);
    expect((await request(gateway.url, 'POST', '/api/identity-links', { body: { userId: 'u-1000' } })).status).toBe(401);
    expect((await request(gateway.url, 'POST', '/api/identity-links', { token: 'sb_not-a-real-token', body: { userId: 'u-1000' } })).status).toBe(401);
    const long = await request(gateway.url, 'POST', '/api/identity-links', { token: apiToken, body: { userId: 'x'.repeat(129) } });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toMatch(/userId/);
    const tooLong = await request(gateway.url, 'POST', '/api/identity-links', { token: apiToken, body: { userId: 'u-1', ttl: '2h' } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/ttl/);
  });

  it('a forged, an expired and a reused code link nothing, and the customer is told why', async () => {
    const valid = await mint('u-2000');
    // Forged: the right shape, a changed MAC.
    const last = valid.code.slice(-1);
    const forged = `${valid.code.slice(0, -1)}${last === 'A' ? 'B' : 'A'}`;
    await deliver('tg', 'f1', `/start ${forged}`);
    const f = await conversationOf('tg', 'f1');
    expect((await replyTo(f.id))[0]).toMatch(/not valid/);
    expect((await conversation(f.id)).contact.userId).toBeNull();

    // Expired: minted, then its time passes (moved back in the database).
    const old = await mint('u-2000');
    await gateway.deps.db.updateTable('identity_links').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', 'u-2000').where('used_at', 'is', null).where('nonce', '=', old.code.slice(0, 16).toLowerCase()).execute();
    await deliver('tg', 'e1', `绑定 ${old.code}`);
    const e = await conversationOf('tg', 'e1');
    expect((await replyTo(e.id))[0]).toMatch(/已过期/);
    expect((await conversation(e.id)).contact.userId).toBeNull();

    // Used: the first sender links, a second sender of the same code does not.
    await deliver('tg', 'r1', `/start ${valid.code}`);
    const r1 = await conversationOf('tg', 'r1');
    expect((await replyTo(r1.id))[0]).toMatch(/linked to your account|绑定成功/);
    expect((await conversation(r1.id)).contact.userId).toBe('u-2000');
    await deliver('mail', 'r2@example.com', valid.code);
    const r2 = await conversationOf('mail', 'r2@example.com');
    expect((await replyTo(r2.id))[0]).toMatch(/already used|已被使用/);
    expect((await conversation(r2.id)).contact.userId).toBeNull();
    expect((await conversation(r2.id)).contact.id).not.toBe((await conversation(r1.id)).contact.id);
  });

  it('the stored message keeps no usable code: the MAC is masked', async () => {
    const minted = await mint('u-3000');
    await deliver('tg', 'm1', `/start ${minted.code}`);
    const c = await conversationOf('tg', 'm1');
    await replyTo(c.id);
    const stored = (await messages(c.id)).find((m) => m.direction === 'inbound')!;
    expect(stored.text).toBe(`/start ${minted.code.slice(0, 16)}********`);
    const raw = await gateway.deps.db.selectFrom('messages').select('text').where('conversation_id', '=', c.id).execute();
    expect(raw.some((r) => r.text.includes(minted.code))).toBe(false);
  });

  it('one user id on Telegram and by email ends as ONE contact with both conversations; undo restores both exactly', async () => {
    const first = await mint('u-4000');
    await deliver('tg', 'tg-4000', 'hi, my withdrawal is stuck');
    const onTelegram = await conversationOf('tg', 'tg-4000');
    const telegramBefore = await stateOf(onTelegram.contact.id);
    await deliver('tg', 'tg-4000', `/start ${first.code}`);
    await replyTo(onTelegram.id);
    expect((await conversation(onTelegram.id)).contact.userId).toBe('u-4000');

    await deliver('mail', 'lin@example.com', 'Withdrawal question, order 88');
    const byEmail = await conversationOf('mail', 'lin@example.com');
    const emailBefore = await stateOf(byEmail.contact.id);
    const linkedTelegram = await stateOf(onTelegram.contact.id);
    const second = await mint('u-4000');
    await deliver('mail', 'lin@example.com', `link ${second.code}`);
    await replyTo(byEmail.id);
    const merged = await eventually(async () => {
      const c = await conversation(byEmail.id);
      return c.contact.id === onTelegram.contact.id ? c : undefined;
    }, 15_000, 'the email conversation on the Telegram contact');
    expect(merged.contact.userId).toBe('u-4000');
    expect(merged.contact.identities.map((i) => i.channelId).sort()).toEqual(['mail', 'tg']);
    const listed = await request<{ items: Conversation[] }>(gateway.url, 'GET', `/api/conversations?contact=${onTelegram.contact.id}&limit=50`, { token: admin });
    expect(listed.body.items.map((c) => c.id).sort()).toEqual([onTelegram.id, byEmail.id].sort());
    expect(telegramBefore.contact.user_id).toBeNull();

    // The merge is recorded with a system line naming it: undo it as an agent.
    const line = await eventually(async () => (await messages(byEmail.id)).find((m) => m.system?.type === 'contact-merged'), 10_000, 'the merge line');
    const mergeId = line.system!.type === 'contact-merged' ? line.system!.params.merge : '';
    const suggestions = await request(gateway.url, 'GET', `/api/contacts/${onTelegram.contact.id}/merge-suggestions`, { token: agentSession });
    expect(suggestions.body.merges.map((m: { id: string }) => m.id)).toContain(mergeId);
    const undone = await request(gateway.url, 'POST', `/api/contact-merges/${mergeId}/undo`, { token: agentSession });
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect(undone.body.undoneAt).not.toBeNull();
    // Field by field: each contact exactly as before the merge (the Telegram one as linked).
    expect(await stateOf(byEmail.contact.id)).toEqual(emailBefore);
    expect(await stateOf(onTelegram.contact.id)).toEqual(linkedTelegram);
    const again = await request(gateway.url, 'POST', `/api/contact-merges/${mergeId}/undo`, { token: agentSession });
    expect(again.status).toBe(409);
  });

  it('an agent merges explicitly (suggested by the same email, never applied by itself); undo restores both, conversations started since go with their identity', async () => {
    await deliver('tg', 'chen', 'hello');
    const a = await conversationOf('tg', 'chen');
    await gateway.deps.db.updateTable('contacts').set({ email: 'chen@example.com' }).where('id', '=', a.contact.id).execute();
    await deliver('mail', 'chen@example.com', 'my deposit');
    const b = await conversationOf('mail', 'chen@example.com');
    // The scripted channel's senders carry no email: as an email channel's would, the contact has it.
    await gateway.deps.db.updateTable('contacts').set({ email: 'Chen@Example.com' }).where('id', '=', b.contact.id).execute();
    expect(b.contact.id).not.toBe(a.contact.id);
    const suggested = await request(gateway.url, 'GET', `/api/contacts/${a.contact.id}/merge-suggestions`, { token: agentSession });
    expect(suggested.status).toBe(200);
    expect(suggested.body.items).toEqual([{ contact: { id: b.contact.id, name: expect.any(String), email: 'Chen@Example.com', userId: null }, reasons: ['email'] }]);
    // Shown, not applied.
    expect((await conversation(b.id)).contact.id).toBe(b.contact.id);

    const keptBefore = await stateOf(a.contact.id);
    const otherBefore = await stateOf(b.contact.id);
    const noReason = await request(gateway.url, 'POST', `/api/contacts/${a.contact.id}/merge`, { token: agentSession, body: { otherContactId: b.contact.id } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.message).toMatch(/reason/);
    const merge = await request(gateway.url, 'POST', `/api/contacts/${a.contact.id}/merge`, { token: agentSession, body: { otherContactId: b.contact.id, reason: 'same person, confirmed order 17' } });
    expect(merge.status, JSON.stringify(merge.body)).toBe(201);
    expect(merge.body).toMatchObject({ keptContactId: a.contact.id, mergedContactId: b.contact.id, by: 'Ana Silva', undoneAt: null });
    expect((await conversation(b.id)).contact.id).toBe(a.contact.id);
    const twice = await request(gateway.url, 'POST', `/api/contacts/${a.contact.id}/merge`, { token: agentSession, body: { otherContactId: b.contact.id, reason: 'again' } });
    expect(twice.status).toBe(409);

    // After the merge the customer starts a new email thread: it belongs to the moved identity.
    sequence += 1;
    await request(gateway.url, 'POST', '/webhooks/mail', { headers: { 'x-secret': 'scripted-secret' }, body: { id: `late-${sequence}`, from: 'chen@example.com', threadKey: 'thread-late', text: 'and another thing' } });
    const late = await eventually(async () => {
      const list = await request<{ items: Conversation[] }>(gateway.url, 'GET', `/api/conversations?contact=${a.contact.id}&limit=50`, { token: admin });
      return list.body.items.find((c) => c.id !== a.id && c.id !== b.id);
    }, 15_000, 'the conversation started after the merge');

    const undo = await request(gateway.url, 'POST', `/api/contact-merges/${merge.body.id}/undo`, { token: agentSession });
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect(await stateOf(a.contact.id)).toEqual(keptBefore);
    const otherAfter = await stateOf(b.contact.id);
    expect(otherAfter.contact).toEqual(otherBefore.contact);
    expect(otherAfter.identities).toEqual(otherBefore.identities);
    expect(otherAfter.conversations).toEqual([...otherBefore.conversations, late.id].sort());
  });

  it('a merge of contacts linked to different user ids is refused (409); unknown contacts 404', async () => {
    const one = await mint('u-5001');
    const two = await mint('u-5002');
    await deliver('tg', 'p1', `/start ${one.code}`);
    await deliver('tg', 'p2', `/start ${two.code}`);
    const c1 = await conversationOf('tg', 'p1');
    const c2 = await conversationOf('tg', 'p2');
    await replyTo(c1.id);
    await replyTo(c2.id);
    const refused = await request(gateway.url, 'POST', `/api/contacts/${c1.contact.id}/merge`, { token: agentSession, body: { otherContactId: c2.contact.id, reason: 'looks alike' } });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('different_users');
    expect((await request(gateway.url, 'POST', `/api/contacts/nope/merge`, { token: agentSession, body: { otherContactId: c2.contact.id, reason: 'x' } })).status).toBe(404);
    expect((await request(gateway.url, 'GET', `/api/contacts/nope/merge-suggestions`, { token: agentSession })).status).toBe(404);
    expect((await request(gateway.url, 'POST', `/api/contact-merges/nope/undo`, { token: agentSession })).status).toBe(404);
    expect((await request(gateway.url, 'POST', `/api/contacts/${c1.contact.id}/merge`, { body: { otherContactId: c2.contact.id, reason: 'x' } })).status).toBe(401);
  });

  it('one code used at once by two customers links exactly one of them', async () => {
    const minted = await mint('u-6000');
    await Promise.all([deliver('tg', 'race-a', `/start ${minted.code}`), deliver('mail', 'race-b@example.com', minted.code)]);
    const a = await conversationOf('tg', 'race-a');
    const b = await conversationOf('mail', 'race-b@example.com');
    const [ra] = await replyTo(a.id);
    const [rb] = await replyTo(b.id);
    const linked = [ra, rb].filter((t) => /linked to your account|绑定成功/.test(t!));
    expect(linked).toHaveLength(1);
    expect([ra, rb].filter((t) => /already used|已被使用/.test(t!))).toHaveLength(1);
    const holders = await gateway.deps.db.selectFrom('contacts').select('id').where('user_id', '=', 'u-6000').execute();
    expect(holders).toHaveLength(1);
  });

  it('every link, merge and undo is in the audit log, and the chain verifies', async () => {
    const actions = await auditActions();
    expect(actions.filter((a) => a === 'identity.link').length).toBeGreaterThanOrEqual(5);
    expect(actions.filter((a) => a === 'contact.merge')).toHaveLength(2);
    expect(actions.filter((a) => a === 'contact.unmerge')).toHaveLength(2);
    const byAgent = await gateway.deps.db.selectFrom('audit_log').selectAll().where('action', '=', 'contact.merge').orderBy('seq').execute();
    expect(JSON.stringify(byAgent[1])).toContain('Ana Silva');
    expect((await verifyAudit(gateway.deps.db)).ok).toBe(true);
  });
});
