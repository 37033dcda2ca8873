import { FakeXApi, xFailures } from '../fakes/x/api.js';
import { CHANNEL_ID, spelledScores, startXGateway, webhookUrl } from '../fakes/x/harness.js';
import type { TestGateway } from '../support/gateway.js';
import { describeChannelContract } from './channel-contract.js';

/** The shared channel contract (STYLE §12) for X DMs in webhook mode, against the fake X API over HTTPS. */
describeChannelContract('x', () => {
  let fake: FakeXApi;
  let gateway: TestGateway;
  const customer = { id: '2244994945', name: 'Contract Customer', username: 'contract_customer' };
  const dms = new Map<number, ReturnType<FakeXApi['receive']>>();
  /** The customer's typed answers: the same n is X redelivering that DM event. */
  const answers = new Map<number, ReturnType<FakeXApi['receive']>>();
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
    /** Our DMs that ask a question with the scores written out; ref = the DM event id. */
    async choices() {
      return fake.sentTo(customer.id).flatMap((dm) => {
        const options = spelledScores(dm.text);
        return options ? [{ ref: dm.id, text: dm.text, options }] : [];
      });
    },
    /** No buttons on X: the customer answers by DMing the value's text. */
    async pick(n, ref, value) {
      if (!fake.sentTo(customer.id).some((dm) => dm.id === ref)) throw new Error(`no DM ${ref} was sent to ${customer.id}`);
      const dm = answers.get(n) ?? fake.receive(customer, value);
      answers.set(n, dm);
      const status = await fake.push(webhookUrl(gateway), fake.accountActivityBody(dm));
      if (status !== 200) throw new Error(`webhook answered ${status}`);
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
