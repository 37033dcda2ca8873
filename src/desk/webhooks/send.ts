import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { blockedAddress } from '../../domain/webhooks.js';

/** What one attempt's request came to, as the delivery log keeps it. */
export interface AttemptResult {
  /** The receiver's HTTP status; null when there was no answer (refused, timed out, blocked). */
  status: number | null;
  error: string | null;
  durationMs: number;
  /** The start of the answer's body, as text (what a receiver says about a refusal). */
  body: string | null;
}

export const ATTEMPT_TIMEOUT_MS = 15_000;
/** How much of an answer's body is kept: enough for an error message, never a whole page. */
export const RESPONSE_KEPT_BYTES = 1024;

/**
 * The Standard Webhooks headers of one attempt: `webhook-signature` holds one `v1,<base64>` per
 * valid secret, space-separated (the current one first; during a rotation also the previous one,
 * so a receiver that has either accepts it). The timestamp is in seconds, and signed.
 */
export function webhookHeaders(id: string, at: Date, body: string, secrets: readonly string[]): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': secrets.map((secret) => new Webhook(secret).sign(id, at, body)).join(' '),
  };
}

/**
 * DNS answers are checked where the connection is made, not before: a name checked and then
 * resolved again could point somewhere else the second time (DNS rebinding).
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 4);
    const bad = addresses.find((a) => blockedAddress(a.address));
    if (bad) return callback(Object.assign(new Error(`${hostname} resolves to ${bad.address}, ${blockedAddress(bad.address)}: refused`), { code: 'EBLOCKED' }), '', 4);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '', 4);
    return callback(null, first.address, first.family);
  });
};

/**
 * POSTs one signed body. Any 2xx is success; a redirect is not followed (its target was never
 * checked, and a receiver that moved should be edited); the whole attempt is bounded by `timeoutMs`.
 * Never throws: every outcome is something to log.
 */
export function postWebhook(url: string, headers: Record<string, string>, body: string, timeoutMs = ATTEMPT_TIMEOUT_MS): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    const target = new URL(url);
    const literal = target.hostname.replace(/^\[|\]$/g, '');
    const blocked = blockedAddress(literal);
    if (blocked) return finish({ status: null, error: `${literal} is ${blocked}: refused`, body: null });
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Switchboard-Webhooks/1', 'content-length': Buffer.byteLength(body), ...headers },
      lookup: guardedLookup,
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: null, error: `no answer within ${Math.round(timeoutMs / 1000)} s`, body: null });
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish({ status: null, error: error.code && !error.message.includes(error.code) ? `${error.code}: ${error.message}` : error.message, body: null }));
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      const done = () => {
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).subarray(0, RESPONSE_KEPT_BYTES).toString('utf8');
        const redirect = status >= 300 && status < 400 ? `redirect to ${res.headers.location ?? '(no location)'} not followed` : null;
        finish({ status, error: redirect, body: text === '' ? null : text });
        res.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        if (kept < RESPONSE_KEPT_BYTES) chunks.push(chunk);
        kept += chunk.length;
        if (kept >= RESPONSE_KEPT_BYTES) done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.end(body);
  });
}
