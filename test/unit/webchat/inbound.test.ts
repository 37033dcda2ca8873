import { describe, expect, it } from 'vitest';
import { parseVisitorMessage, VisitorMessageBody } from '../../../adapters/webchat/inbound.js';
import { InboundMessage } from '../../../src/domain/message.js';

const ATTACHMENT_ID = '01hzx3k9q8w7e6r5t4y3u2a1b0';

function issuePaths(body: unknown): string[] {
  const result = VisitorMessageBody.safeParse(body);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((issue) => issue.path.join('.') || issue.code);
}

describe('VisitorMessageBody', () => {
  it('accepts a text message and an attachment-only message', () => {
    expect(VisitorMessageBody.safeParse({ clientMessageId: 'abcd1234', text: 'hi' }).success).toBe(true);
    expect(VisitorMessageBody.safeParse({ clientMessageId: 'abcd1234', attachments: [ATTACHMENT_ID] }).success).toBe(true);
  });

  it('accepts text of exactly 5000 characters', () => {
    expect(VisitorMessageBody.safeParse({ clientMessageId: 'abcd1234', text: 'a'.repeat(5000) }).success).toBe(true);
  });

  it.each([
    ['too short', 'abc1234'],
    ['containing ":"', 'abcd:1234'],
    ['containing a space', 'abcd 1234'],
    ['too long', 'a'.repeat(65)],
  ])('refuses a clientMessageId %s', (_label, clientMessageId) => {
    expect(issuePaths({ clientMessageId, text: 'hi' })).toEqual(['clientMessageId']);
  });

  it.each([
    ['empty', ''],
    ['whitespace only', ' \n\t '],
  ])('refuses %s text without attachments', (_label, text) => {
    expect(issuePaths({ clientMessageId: 'abcd1234', text })).toEqual(['text']);
  });

  it('refuses text over 5000 characters', () => {
    expect(issuePaths({ clientMessageId: 'abcd1234', text: 'a'.repeat(5001) })).toEqual(['text']);
  });

  it('refuses unknown extra fields', () => {
    expect(issuePaths({ clientMessageId: 'abcd1234', text: 'hi', threadKey: 'someone-else' })).toEqual(['unrecognized_keys']);
  });
});

describe('parseVisitorMessage', () => {
  const visitor = { id: 'anon-5f0c', name: 'Wang Fang', email: 'fang@example.com' };
  const now = new Date('2025-03-04T05:06:07.000Z');
  const body = VisitorMessageBody.parse({ clientMessageId: 'msg_0001-abc', text: '  你好 👋🏽 can you help?\n ' });
  const message = parseVisitorMessage('web', visitor, body, now);

  it('produces a valid InboundMessage', () => {
    expect(InboundMessage.safeParse(message).error?.issues ?? []).toEqual([]);
  });

  it('uses <visitorId>-<clientMessageId> as externalId and the visitor id as threadKey', () => {
    expect(message.externalId).toBe('anon-5f0c-msg_0001-abc');
    expect(message.threadKey).toBe('anon-5f0c');
    expect(message.channelId).toBe('web');
  });

  it('trims the text and keeps Chinese and emoji intact', () => {
    expect(message.text).toBe('你好 👋🏽 can you help?');
  });

  it('carries sender, time and clientMessageId', () => {
    expect(message.sender).toEqual({ externalId: 'anon-5f0c', name: 'Wang Fang', email: 'fang@example.com' });
    expect(message.sentAt).toBe('2025-03-04T05:06:07.000Z');
    expect(message.clientMessageId).toBe('msg_0001-abc');
  });

  it('maps stored attachment ids to file attachments', () => {
    const withFile = parseVisitorMessage('web', visitor, VisitorMessageBody.parse({ clientMessageId: 'abcd1234', attachments: [ATTACHMENT_ID] }), now);
    expect(withFile.attachments).toEqual([{ kind: 'file', storedId: ATTACHMENT_ID }]);
    expect(InboundMessage.safeParse(withFile).success).toBe(true);
  });
});
