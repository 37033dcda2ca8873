import { describe, expect, it } from 'vitest';
import { parseVisitorMessage, pickExternalId, VisitorMessageBody } from '../../../adapters/webchat/inbound.js';
import { toVisitorReply } from '../../../adapters/webchat/outbound.js';
import { InboundMessage } from '../../../src/domain/message.js';

const CHOICE_ID = '01jd8w3yq5v0s6zt9n4c2h7k1m';
const now = new Date('2026-12-07T08:00:00.000Z');

function refused(body: unknown): string[] {
  const result = VisitorMessageBody.safeParse(body);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((issue) => issue.path.join('.') || issue.code);
}

describe('VisitorMessageBody with a picked option (issue 15)', () => {
  it("accepts a tap: the option's label as text and the choice's id and value", () => {
    const body = VisitorMessageBody.parse({ clientMessageId: 'tap-0001', text: '4 ★', choice: { id: CHOICE_ID, value: '4' } });
    expect(body.choice).toEqual({ id: CHOICE_ID, value: '4' });
  });

  it('accepts a tap without text (it then reads as its value)', () => {
    const body = VisitorMessageBody.parse({ clientMessageId: 'tap-0001', choice: { id: CHOICE_ID, value: '4' } });
    expect(parseVisitorMessage('web', { id: 'anon-a' }, body, now).text).toBe('4');
  });

  it('still accepts every message without a choice as before', () => {
    expect(VisitorMessageBody.parse({ clientMessageId: 'abcd1234', text: 'hi' }).choice).toBeUndefined();
  });

  it.each([
    ['an id with upper case', { id: 'ABC', value: '4' }, 'choice.id'],
    ['an id with the token separator', { id: 'c|abc', value: '4' }, 'choice.id'],
    ['an id over 32 characters', { id: 'a'.repeat(33), value: '4' }, 'choice.id'],
    ['an empty id', { id: '', value: '4' }, 'choice.id'],
    ['a numeric value', { id: CHOICE_ID, value: 4 }, 'choice.value'],
    ['a value with a space', { id: CHOICE_ID, value: '4 ★' }, 'choice.value'],
    ['a value over 16 characters', { id: CHOICE_ID, value: 'a'.repeat(17) }, 'choice.value'],
    ['a value with markup', { id: CHOICE_ID, value: '<b>4</b>' }, 'choice.value'],
    ['no value', { id: CHOICE_ID }, 'choice.value'],
    ['an extra field (another visitor, a conversation)', { id: CHOICE_ID, value: '4', visitorId: 'anon-b' }, 'choice'],
  ])('refuses a choice with %s', (_label, choice, path) => {
    expect(refused({ clientMessageId: 'tap-0001', text: 'x', choice })).toEqual([path]);
  });

  it.each([
    ['a token string', `c|${CHOICE_ID}|4`],
    ['an array', [CHOICE_ID, '4']],
    ['null', null],
    ['a number', 4],
  ])('refuses a choice that is %s', (_label, choice) => {
    expect(refused({ clientMessageId: 'tap-0001', text: 'x', choice })).toEqual(['choice']);
  });

  it('refuses a pick that carries attachments', () => {
    expect(refused({ clientMessageId: 'tap-0001', text: '4 ★', attachments: ['01hzx3k9q8w7e6r5t4y3u2a1b0'], choice: { id: CHOICE_ID, value: '4' } })).toEqual(['attachments']);
  });
});

describe('parseVisitorMessage of a pick', () => {
  const tap = (clientMessageId: string, value = '4') => VisitorMessageBody.parse({ clientMessageId, text: `${value} ★`, choice: { id: CHOICE_ID, value } });

  it('is a valid InboundMessage with the choice, the label as text, and the visitor as sender and thread', () => {
    const message = parseVisitorMessage('web', { id: 'anon-a', name: 'Ann' }, tap('tap-0001'), now);
    expect(InboundMessage.safeParse(message).error?.issues ?? []).toEqual([]);
    expect(message).toMatchObject({ channelId: 'web', threadKey: 'anon-a', sender: { externalId: 'anon-a', name: 'Ann' }, text: '4 ★', choice: { id: CHOICE_ID, value: '4' } });
  });

  it('has one external id per visitor and question, whatever client id a tap, a retry or another tab used', () => {
    const ids = ['tap-0001', 'tap-0002', 'other-tab-1'].map((cid) => parseVisitorMessage('web', { id: 'anon-a' }, tap(cid), now).externalId);
    expect(new Set(ids)).toEqual(new Set([pickExternalId('anon-a', CHOICE_ID)]));
    expect(pickExternalId('anon-a', CHOICE_ID)).toBe(`pick:anon-a:${CHOICE_ID}`);
  });

  it("a visitor naming another visitor's question id writes only into their own thread, under their own key", () => {
    const mine = parseVisitorMessage('web', { id: 'anon-a' }, tap('tap-0001', '5'), now);
    const theirs = parseVisitorMessage('web', { id: 'anon-b' }, tap('tap-0001', '1'), now);
    expect(theirs).toMatchObject({ threadKey: 'anon-b', sender: { externalId: 'anon-b' } });
    expect(theirs.externalId).not.toBe(mine.externalId);
  });
});

describe("toVisitorReply of a question", () => {
  const message = { messageId: 'm1', text: 'How would you rate our help?', authorName: 'Acme', attachments: [], alreadySent: [] };
  const choice = { id: CHOICE_ID, options: [{ value: '1', label: '1 ★', url: 'https://x.example/csat/secret', answered: 'Thanks — 1/5' }] };

  it('carries the options as values and labels only: no links, no texts meant for later', () => {
    expect(toVisitorReply('web', message, now, choice).message.choice).toEqual({ id: CHOICE_ID, options: [{ value: '1', label: '1 ★' }] });
  });

  it('has no choice on an ordinary reply', () => {
    expect('choice' in toVisitorReply('web', message, now).message).toBe(false);
  });
});
