import { request } from '../support/http.js';
import { type TestGateway, startTestGateway } from '../support/gateway.js';
import type { SseClient } from '../support/sse.js';
import { Visitor } from '../support/visitor.js';
import { postPick } from '../fakes/webchat/questions.js';
import { describeChannelContract } from './channel-contract.js';

interface PushedQuestion {
  id: string;
  text: string;
  choice: { id: string; options: { value: string; label: string }[] };
}

describeChannelContract('webchat', () => {
  let gateway: TestGateway;
  let visitor: Visitor;
  let events: SseClient;
  const clientId = (n: number): string => `contract-message-${n}`;
  const questions = (): PushedQuestion[] => events.events.filter((e) => e.event === 'message' && e.data.message.choice).map((e) => e.data.message as PushedQuestion);
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
    // A question is a message pushed with options; ref = its message id (what the widget renders it by).
    async choices() {
      return questions().map((m) => ({ ref: m.id, text: m.text, options: m.choice.options.map((o) => o.value) }));
    },
    // A tap as widget.js posts it: the option's label as text, with the choice's id and value. Each n
    // is one tap with its own client id, the same n a resend of it.
    async pick(n, ref, value) {
      const question = questions().find((m) => m.id === ref);
      const option = question?.choice.options.find((o) => o.value === value);
      if (!question || !option) throw new Error(`no question ${ref} with option ${value} reached the visitor`);
      const r = await postPick(visitor, `contract-pick-${n}`, { id: question.choice.id, value }, option.label);
      if (r.status !== 202) throw new Error(`widget answered ${r.status} ${JSON.stringify(r.body)}`);
    },
    async stop() {
      await events?.close();
    },
  };
});
