import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/domain/conversation.js';
import { ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

const SECRET = 'the-wallet-apps-identity-secret-0123456789';
const hashOf = (userId: string) => createHmac('sha256', SECRET).update(userId).digest('hex');

/**
 * The widget's signed session is a verified link (issue 17): a visitor with a valid `userHash`
 * lands on the contact that has that user id — one already linked by a code on another channel.
 */
describe('identity links from the widget', () => {
  let gateway: TestGateway;
  let admin: string;
  const tg = new ScriptedChannel('tg');

  beforeAll(async () => {
    gateway = await startTestGateway({
      channels: [{ id: 'web', kind: 'webchat', identitySecret: SECRET }],
      extraAdapters: [tg],
      desk: { safety: { footer: false }, autoAck: false, csat: { enabled: false } },
    });
    admin = await loginAdmin(gateway.url);
  });
  afterAll(async () => {
    await gateway?.dispose();
  });

  const conversationsOf = async (contactId: string) =>
    (await request<{ items: Conversation[] }>(gateway.url, 'GET', `/api/conversations?contact=${contactId}&limit=50`, { token: admin })).body.items;

  it('a valid userHash puts the visitor on the contact linked to that user id; a wrong one is refused and links nothing', async () => {
    const minted = await request(gateway.url, 'POST', '/api/identity-links', { token: admin, body: { userId: 'u-77', ttl: 600 } });
    expect(minted.status).toBe(201);
    expect(minted.body.telegram).toBeUndefined();
    await request(gateway.url, 'POST', '/webhooks/tg', { headers: { 'x-secret': 'scripted-secret' }, body: { id: 'w1', from: 'tg-77', text: `/start ${minted.body.code}` } });
    const onTelegram = await eventually(async () => {
      const list = await request<{ items: Conversation[] }>(gateway.url, 'GET', '/api/conversations?channel=tg', { token: admin });
      const c = list.body.items.find((x) => x.contact.userId === 'u-77');
      return c;
    }, 15_000, 'the Telegram contact linked');

    const wrong = await request(gateway.url, 'POST', '/widget/web/session', { body: { userId: 'u-77', userHash: hashOf('u-78') } });
    expect(wrong.status).toBe(403);

    const visitor = await Visitor.create(gateway.url, 'web', { userId: 'u-77', userHash: hashOf('u-77'), name: 'Lin' });
    expect((await visitor.send('my deposit is missing')).status).toBe(202);
    const both = await eventually(async () => {
      const list = await conversationsOf(onTelegram.contact.id);
      return list.length === 2 ? list : undefined;
    }, 15_000, 'both conversations on one contact');
    expect(both.map((c) => c.channelId).sort()).toEqual(['tg', 'web']);
    const holders = await gateway.deps.db.selectFrom('contacts').select('id').where('user_id', '=', 'u-77').execute();
    expect(holders).toEqual([{ id: onTelegram.contact.id }]);
    const actions = await gateway.deps.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'identity.link').execute();
    expect(actions.map((a) => (a.details as { via: string }).via).sort()).toEqual(['webchat', 'widget'].sort());
  });
});
