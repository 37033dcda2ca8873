import { createHmac, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { sameSecret } from '../../src/channels/kit/secret.js';

/** Claims of a visitor token: which channel, which visitor, until when. */
export const VisitorClaims = z.object({
  c: z.string(),
  v: z.string(),
  n: z.string().optional(),
  e: z.string().optional(),
  exp: z.number(),
});
export type VisitorClaims = z.infer<typeof VisitorClaims>;

const sign = (secret: string, payload: string): string => createHmac('sha256', secret).update(`widget.${payload}`).digest('base64url');

/** `base64url(json).hmac`: stateless, so any API process can check it. */
export function issueVisitorToken(secret: string, claims: VisitorClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

export function verifyVisitorToken(secret: string, token: string, channelId: string, now = Date.now()): VisitorClaims | undefined {
  if (token.length > 2048) return undefined;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  if (!sameSecret(signature, sign(secret, payload))) return undefined;
  let claims: VisitorClaims;
  try {
    claims = VisitorClaims.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
  if (claims.c !== channelId || claims.exp * 1000 <= now) return undefined;
  return claims;
}

/**
 * Identified visitors: the app's backend computes `hex(HMAC-SHA256(identitySecret, userId))`;
 * a valid hash maps every device of that user to one visitor id, and so to one history.
 */
export function verifyUserHash(identitySecret: string, userId: string, userHash: string): boolean {
  return sameSecret(userHash.toLowerCase(), createHmac('sha256', identitySecret).update(userId).digest('hex'));
}

export const anonymousVisitorId = (): string => `anon-${randomUUID()}`;
export const identifiedVisitorId = (userId: string): string => `user-${Buffer.from(userId).toString('base64url')}`;

/**
 * A visitor id the server issued for a valid `userHash` (tokens are signed, so no visitor can
 * choose one): its token covers every conversation of that user's contact on the channel.
 */
export const isIdentifiedVisitor = (visitorId: string): boolean => visitorId.startsWith('user-');
