import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseChannelState } from '../../../src/store/channel-state.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';

describe('durable channel state (a mailbox checkpoint) lives in the database', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(async () => gateway?.dispose());

  it('a value round-trips as JSON, is overwritten in place, and is scoped to its channel', async () => {
    const mail = databaseChannelState(gateway.deps.db, 'mail');
    const other = databaseChannelState(gateway.deps.db, 'mail-2');
    expect(await mail.get('checkpoint')).toBeUndefined();
    await mail.set('checkpoint', { mailbox: 'INBOX', uidValidity: '1732262400', lastUid: 41 });
    await mail.set('checkpoint', { mailbox: 'INBOX', uidValidity: '1732262400', lastUid: 42 });
    expect(await mail.get('checkpoint')).toEqual({ mailbox: 'INBOX', uidValidity: '1732262400', lastUid: 42 });
    expect(await other.get('checkpoint')).toBeUndefined();
    const rows = await gateway.deps.db.selectFrom('channel_state').selectAll().where('channel_id', '=', 'mail').execute();
    expect(rows).toHaveLength(1);
  });
});
