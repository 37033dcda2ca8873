import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { captureSurvey } from '../support/survey-view.js';

/**
 * What every channel's harness provides: the real adapter in a real gateway, talking to its
 * platform's fake (STYLE §12 — one contract suite for all adapters, as BullMQ checks each backend).
 */
export interface ChannelHarness {
  readonly channelId: string;
  start(): Promise<TestGateway>;
  /** One authentic customer message, delivered the way the platform delivers it (`n` distinguishes messages). */
  deliver(n: number, text: string): Promise<void>;
  /** A delivery with a wrong signature/secret/token: the HTTP status the gateway answered. */
  forge?(n: number, text: string): Promise<number>;
  /** Texts the platform received from us, in order. */
  received(): Promise<string[]>;
  /** Makes the platform refuse the next send; returns the reason the platform gives. */
  failNextSend?(kind: 'retryable' | 'permanent'): string;
  /** Lets sends through again after a permanent refusal (the customer unblocked the bot, …). */
  clearFailures?(): void;
  /**
   * Issue 15, for channels that present questions natively or as text: the questions with options
   * (surveys) the platform showed the customer, oldest first — `ref` names one for `pick`.
   */
  choices?(): Promise<ReceivedChoice[]>;
  /**
   * The customer picks `value` on the question `ref`, the way the platform reports a tap (a
   * callback query, an interaction, a menu message, a followed link, typed text). The same `n`
   * again is the platform redelivering that same pick.
   */
  pick?(n: number, ref: string, value: string): Promise<void>;
  stop(): Promise<void>;
}

/** A question as the customer saw it on the platform. */
export interface ReceivedChoice {
  /** The platform's id of the message that carried it. */
  readonly ref: string;
  readonly text: string;
  /** The values the customer could pick, in order ("1" … "5"). */
  readonly options: readonly string[];
  /** The options' captions as the platform shows them (buttons, menu items); absent where they are typed. */
  readonly labels?: readonly string[];
  /** The HTML the customer's client renders, where the question is a page of its own (email). */
  readonly html?: string;
}

export function describeChannelContract(kind: string, makeHarness: () => ChannelHarness): void {
  describe(`channel contract: ${kind}`, () => {
    const harness = makeHarness();
    let gateway: TestGateway;
    let token: string;
    let conversationId: string;

    beforeAll(async () => {
      gateway = await harness.start();
      token = await loginAdmin(gateway.url);
    });
    afterAll(async () => {
      await harness.stop();
      await gateway?.dispose();
    });

    const messages = async (): Promise<{ id: string; text: string; status: string; error?: { message: string } }[]> =>
      (await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages?limit=200`, { token })).body.items;
    const reply = async (text: string): Promise<string> => {
      const r = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body: { text } });
      expect(r.status).toBe(202);
      return r.body.id as string;
    };
    const statusOf = async (id: string) => (await messages()).find((m) => m.id === id);

    it('a delivered message becomes a conversation, and delivering it again stores nothing more', async () => {
      await harness.deliver(1, 'hello 你好 👋');
      conversationId = await eventually(async () => {
        const list = await request(gateway.url, 'GET', `/api/conversations?channel=${harness.channelId}`, { token });
        return list.body.items[0]?.id as string | undefined;
      }, 15_000);
      await harness.deliver(1, 'hello 你好 👋');
      await harness.deliver(2, 'second message');
      await eventually(async () => ((await messages()).length === 2 ? true : undefined), 15_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await messages()).map((m) => m.text)).toEqual(['hello 你好 👋', 'second message']);
    });

    if (harness.forge) {
      it('a forged delivery is refused with 401/403 and stores nothing', async () => {
        const status = await harness.forge!(99, 'forged');
        expect([401, 403]).toContain(status);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect((await messages()).map((m) => m.text)).not.toContain('forged');
      });
    }

    it("an agent's reply reaches the platform and ends sent", async () => {
      const id = await reply('We are looking into it.');
      await eventually(async () => ((await statusOf(id))?.status === 'sent' ? true : undefined), 15_000);
      expect(await harness.received()).toContain('We are looking into it.');
    });

    if (harness.failNextSend) {
      it('a retryable platform error is retried and the reply ends sent', async () => {
        harness.failNextSend!('retryable');
        const id = await reply('second try works');
        await eventually(async () => ((await statusOf(id))?.status === 'sent' ? true : undefined), 20_000);
        expect((await harness.received()).filter((t) => t === 'second try works')).toHaveLength(1);
      });

      it("a permanent platform error ends failed with the platform's reason, and retry sends it once allowed", async () => {
        const reason = harness.failNextSend!('permanent');
        const id = await reply('refused');
        const failed = await eventually(async () => {
          const m = await statusOf(id);
          return m?.status === 'failed' ? m : undefined;
        }, 15_000);
        expect(failed.error?.message).toContain(reason);
        harness.clearFailures?.();
        expect((await request(gateway.url, 'POST', `/api/messages/${id}/retry`, { token })).status).toBe(202);
        await eventually(async () => ((await statusOf(id))?.status === 'sent' ? true : undefined), 15_000);
        expect((await harness.received()).filter((t) => t === 'refused')).toHaveLength(1);
      });
    }

    if (harness.choices && harness.pick) {
      it('a resolved conversation gets one survey in the channel’s own form, and the answer is stored once when redelivered', async () => {
        const set = await request(gateway.url, 'PUT', '/api/desk/settings/csat', { token, body: { csat: { enabled: true, delay: '0s' } } });
        expect(set.status).toBe(200);
        try {
          const before = await harness.choices!();
          const contactMessages = async () => (await messages()).filter((m: any) => m.author?.type === 'contact').length;
          const customerBefore = await contactMessages();
          expect((await request(gateway.url, 'PATCH', `/api/conversations/${conversationId}`, { token, body: { status: 'resolved' } })).status).toBe(200);
          const survey = await eventually(async () => (await harness.choices!())[before.length], 20_000, 'the survey on the platform');
          expect(survey.options).toEqual(['1', '2', '3', '4', '5']);
          // What the customer sees, drawn from what the platform's fake received (README screenshots).
          await captureSurvey(kind, survey);
          await harness.pick!(501, survey.ref, '4');
          await harness.pick!(501, survey.ref, '4');
          const rated = await eventually(async () => {
            const c = (await request(gateway.url, 'GET', `/api/conversations/${conversationId}`, { token })).body;
            return c.csat ? c : undefined;
          }, 20_000, 'the rating');
          expect(rated.csat.rating).toBe(4);
          expect(rated.status).toBe('resolved');
          expect(rated.waitingSince).toBeNull();
          // Events about the resolved conversation again send no second survey for this resolution.
          await request(gateway.url, 'PATCH', `/api/conversations/${conversationId}`, { token, body: { labels: ['surveyed'] } });
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          expect(await harness.choices!()).toHaveLength(before.length + 1);
          const all = (await messages()) as any[];
          expect(all.filter((m) => m.system?.type === 'csat-rated')).toHaveLength(1);
          // Stored once although the platform reported it twice (a link's GET stores nothing at all).
          expect(await contactMessages()).toBeLessThanOrEqual(customerBefore + 1);
        } finally {
          await request(gateway.url, 'DELETE', '/api/desk/settings/csat', { token });
        }
      });
    }
  });
}
