import { WebhookRejection } from '../errors.js';

/** A webhook's JSON body, or a 400 the platform sees (it stops retrying a malformed request). */
export function jsonBody(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookRejection(400, 'the body is not JSON');
  }
}
