import { FakeXApi, xFailures } from '../fakes/x/api.js';
import { CHANNEL_ID, startXGateway, webhookUrl } from '../fakes/x/harness.js';
import type { TestGateway } from '../support/gateway.js';
import { describeChannelContract } from './channel-contract.js';

/** The shared channel contract (STYLE §12) for X DMs in webhook mode, against the fake X API over HTTPS. */
describeChannelContract('x', () => {
  let fake: FakeXApi;
  let gateway: TestGateway;
  const customer = { id: '2244994945', name: 'Contract Customer', username: 'contract_customer' };
  const dms = new Map<number, ReturnType<FakeXApi['receive']>>();
  return {
    channelId: CHANNEL_ID,
    async start() {
      fake = await FakeXApi.start();
      gateway = await startXGateway(fake);
      return gateway;
    },
    async deliver(n, text) {
      // The same n is the same DM event (X redelivering it), not a new message.
      const dm = dms.get(n) ?? fake.receive(customer, text);
      dms.set(n, dm);
      const status = await fake.push(webhookUrl(gateway), fake.accountActivityBody(dm));
      if (status !== 200) throw new Error(`webhook answered ${status}`);
    },
    async forge(n, text) {
      const dm = fake.receive(customer, text);
      dms.set(n, dm);
      return fake.push(webhookUrl(gateway), fake.accountActivityBody(dm), { secret: 'not-the-consumer-secret' });
    },
    async received() {
      return fake.sentTo(customer.id).map((dm) => dm.text);
    },
    failNextSend(kind) {
      const failure = kind === 'retryable' ? xFailures.serverError() : xFailures.notPermitted();
      if (kind === 'retryable') fake.failNext(customer.id, failure);
      else fake.block(customer.id, failure);
      return String(failure.body.detail);
    },
    clearFailures() {
      fake.clear(customer.id);
    },
    async stop() {
      await fake?.stop();
    },
  };
});
