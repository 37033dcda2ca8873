import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { blockedAddress, checkWebhookUrl, WebhookUrlError } from '../../../src/domain/webhooks.js';
import { webhookHeaders } from '../../../src/desk/webhooks/send.js';
import { describeAttempt, nextDelayMs, spanText } from '../../../src/desk/webhooks/worker.js';
import { newWebhookSecret, openSecret, sealSecret } from '../../../src/store/webhooks.js';

describe('webhook receiver addresses', () => {
  it('refuses link-local and cloud metadata addresses, in every spelling the URL parser accepts', () => {
    for (const url of ['http://169.254.169.254/latest', 'http://2852039166/', 'http://[::ffff:169.254.169.254]/', 'http://[fd00:ec2::254]/', 'http://[fe80::1]/', 'http://0.0.0.0/']) {
      expect(() => checkWebhookUrl(url), url).toThrow(WebhookUrlError);
    }
  });
  it('allows loopback and private ranges (self-hosted receivers) and names', () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://10.0.0.5/hook', 'http://192.168.1.2/x', 'https://hooks.example.com/a?b=c']) expect(checkWebhookUrl(url)).toBe(new URL(url).toString());
    expect(blockedAddress('127.0.0.1')).toBeUndefined();
  });
  it('refuses other schemes, credentials in the URL and garbage', () => {
    for (const url of ['ftp://example.com/', 'javascript:alert(1)', 'https://user:pw@example.com/', 'not a url', `https://e.com/${'a'.repeat(2100)}`]) {
      expect(() => checkWebhookUrl(url), url).toThrow(WebhookUrlError);
    }
  });
});

describe('webhook signatures', () => {
  it('one v1 signature per valid secret; a receiver with either secret verifies it', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    expect(current).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ type: 'message.created', timestamp: new Date().toISOString(), data: { id: 'm1' } });
    const headers = webhookHeaders('msg_1', new Date(), body, [current, previous]);
    expect(headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(headers['webhook-signature']!.split(' ').every((s) => s.startsWith('v1,'))).toBe(true);
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(`${body} `, headers)).toThrow();
  });
  it('a sealed secret opens with the same SECRET_KEY only', () => {
    const secret = newWebhookSecret();
    const sealed = sealSecret('key-a', secret);
    expect(sealed).not.toContain(secret.slice(6, 20));
    expect(openSecret('key-a', sealed)).toBe(secret);
    expect(() => openSecret('key-b', sealed)).toThrow(/another SECRET_KEY/);
  });
});

describe('retry schedule', () => {
  it('gives the wait after each failed attempt, then nothing (the endpoint is disabled)', () => {
    const schedule = ['5s', '5m', '10h'];
    expect([1, 2, 3, 4].map((n) => nextDelayMs(schedule, n))).toEqual([5_000, 300_000, 36_000_000, undefined]);
    expect(spanText(27.5 * 3_600_000)).toBe('28 h');
    expect(describeAttempt({ status: 500, error: null, body: 'boom\n' })).toBe('HTTP 500 boom');
    expect(describeAttempt({ status: null, error: 'ECONNREFUSED', body: null })).toBe('ECONNREFUSED');
  });
});
