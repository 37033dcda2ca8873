import { failures, FakeBotApi } from '../fakes/telegram/bot-api.js';
import { CHANNEL_ID, startTelegramGateway, WEBHOOK_SECRET } from '../fakes/telegram/harness.js';
import { textUpdate } from '../fakes/telegram/updates.js';
import type { TestGateway } from '../support/gateway.js';
import { describeChannelContract } from './channel-contract.js';

describeChannelContract('telegram', () => {
  let fake: FakeBotApi;
  let gateway: TestGateway;
  const customer = { id: 5_550_001, first_name: 'Contract', username: 'contract_customer' };
  const webhookUrl = (): string => `${gateway.url}/webhooks/${CHANNEL_ID}`;
  return {
    channelId: CHANNEL_ID,
    async start() {
      fake = await FakeBotApi.start();
      gateway = await startTelegramGateway(fake);
      return gateway;
    },
    async deliver(n, text) {
      const update = fake.queueUpdate(textUpdate(customer, n, text));
      const [status] = await fake.pushWebhook(update, { url: webhookUrl(), secret: WEBHOOK_SECRET });
      if (status !== 200) throw new Error(`webhook answered ${status}`);
    },
    async forge(n, text) {
      const update = fake.queueUpdate(textUpdate(customer, n, text));
      const [status] = await fake.pushWebhook(update, { url: webhookUrl(), secret: 'not-the-secret', attempts: 1 });
      return status ?? 0;
    },
    async received() {
      return fake.delivered.filter((d) => d.chatId === String(customer.id)).map((d) => String(d.params.text));
    },
    failNextSend(kind) {
      const failure = kind === 'retryable' ? failures.serverError() : failures.blocked();
      fake.failNext(customer.id, failure);
      return failure.description;
    },
    clearFailures() {
      fake.unblock(customer.id);
    },
    async stop() {
      await fake?.stop();
    },
  };
});
