import { request } from '../support/http.js';
import { type TestGateway, startTestGateway } from '../support/gateway.js';
import type { SseClient } from '../support/sse.js';
import { Visitor } from '../support/visitor.js';
import { describeChannelContract } from './channel-contract.js';

describeChannelContract('webchat', () => {
  let gateway: TestGateway;
  let visitor: Visitor;
  let events: SseClient;
  const clientId = (n: number): string => `contract-message-${n}`;
  return {
    channelId: 'web',
    async start() {
      gateway = await startTestGateway();
      visitor = await Visitor.create(gateway.url);
      events = visitor.events();
      await events.waitFor((e) => e.event === 'ready');
      return gateway;
    },
    async deliver(n, text) {
      const r = await visitor.send(text, clientId(n));
      if (r.status !== 202) throw new Error(`widget answered ${r.status}`);
    },
    async forge(n, text) {
      const r = await request(gateway.url, 'POST', '/widget/web/messages', { token: `${visitor.token.split('.')[0]}.forged`, body: { clientMessageId: clientId(n), text } });
      return r.status;
    },
    async received() {
      return events.events.filter((e) => e.event === 'message').map((e) => e.data.message.text as string);
    },
    async stop() {
      await events?.close();
    },
  };
});
