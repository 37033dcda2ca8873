import { failures, FakeDiscord } from '../fakes/discord/fake-discord.js';
import { CHANNEL_ID, connected, picker, receivedChoices, startDiscordGateway } from '../fakes/discord/harness.js';
import { dmMessage } from '../fakes/discord/messages.js';
import type { TestGateway } from '../support/gateway.js';
import { describeChannelContract } from './channel-contract.js';

// No `forge`: a gateway socket the bot opens itself has no inbound request to forge.
describeChannelContract('discord', () => {
  let fake: FakeDiscord;
  let gateway: TestGateway;
  const customer = { id: '1300000000000000051', username: 'contract_customer', global_name: 'Contract' };
  let pick: ReturnType<typeof picker>;
  return {
    channelId: CHANNEL_ID,
    async start() {
      fake = await FakeDiscord.start();
      pick = picker(fake, customer);
      gateway = await startDiscordGateway(fake);
      await connected(fake);
      return gateway;
    },
    async deliver(n, text) {
      fake.post(dmMessage(fake, customer, n, text));
    },
    async received() {
      return fake.sentTo(fake.dmChannelOf(customer.id)).map((m) => m.content);
    },
    failNextSend(kind) {
      if (kind === 'retryable') {
        fake.failNext(failures.serverError());
        return failures.serverError().body.message;
      }
      fake.closeDms(customer.id);
      return failures.dmsClosed().body.message;
    },
    clearFailures() {
      fake.openDms(customer.id);
    },
    async choices() {
      return receivedChoices(fake, fake.dmChannelOf(customer.id));
    },
    async pick(n, ref, value) {
      pick(n, ref, value);
    },
    async stop() {
      await fake?.stop();
    },
  };
});
