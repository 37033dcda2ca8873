import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed one-click rating links for channels that present options as links (email): the token
 * names the survey, the score and an expiry, signed with a key derived from the server's secret.
 * It cannot be forged, moved to another survey (another conversation) or another score, and it
 * stops working when it expires; that it works only once is the survey's (the first answer wins).
 */

export interface LinkClaims {
  readonly surveyId: string;
  readonly rating: number;
  readonly expiresAt: Date;
}

export type LinkCheck = { ok: true; claims: LinkClaims } | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

/** The links' own key: a leaked link key never signs sessions, and the other way round. */
export const linkKey = (secretKey: string): Buffer => createHmac('sha256', secretKey).update('switchboard/csat-link/v1').digest();

const signature = (key: Buffer, payload: string): string => createHmac('sha256', key).update(payload).digest('base64url');

const TOKEN = /^([0-9a-z]{1,32})\.([1-5])\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/;

export function signLink(key: Buffer, claims: LinkClaims): string {
  const payload = `${claims.surveyId}.${claims.rating}.${Math.floor(claims.expiresAt.getTime() / 1000).toString(36)}`;
  return `${payload}.${signature(key, payload)}`;
}

export function verifyLink(key: Buffer, token: string, now: Date): LinkCheck {
  const match = TOKEN.exec(token);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, surveyId, rating, expiry, given] = match as unknown as [string, string, string, string, string];
  const expected = Buffer.from(signature(key, `${surveyId}.${rating}.${expiry}`));
  if (!timingSafeEqual(expected, Buffer.from(given))) return { ok: false, reason: 'forged' };
  const expiresAt = new Date(parseInt(expiry, 36) * 1000);
  if (expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims: { surveyId, rating: Number(rating), expiresAt } };
}
