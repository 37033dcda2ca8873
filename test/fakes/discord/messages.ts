import type { FakeDiscord, FakeUser } from './fake-discord.js';

type Json = Record<string, unknown>;

/**
 * Customer message ids: `base + n`, so the same `n` is the same Discord message (a redelivery)
 * and ids grow with `n` as snowflakes grow with time.
 */
export function messageId(fake: FakeDiscord, n: number): string {
  return String(base(fake) + BigInt(n));
}

const bases = new WeakMap<FakeDiscord, bigint>();
function base(fake: FakeDiscord): bigint {
  let b = bases.get(fake);
  if (b === undefined) {
    b = BigInt(fake.snowflake()) - 1_000_000n;
    bases.set(fake, b);
  }
  return b;
}

function common(fake: FakeDiscord, user: FakeUser, n: number, text: string, extra: Json): Json {
  return {
    id: messageId(fake, n),
    author: { global_name: null, discriminator: '0', avatar: null, ...user },
    content: text,
    timestamp: new Date(Date.UTC(2026, 0, 1, 12, 0, n)).toISOString().replace('Z', '+00:00'),
    edited_timestamp: null,
    type: 0,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    ...extra,
  };
}

/** A DM as the gateway sends it: no `guild_id`, and `channel_type: 1`, without which discord.js 14.26.2+ drops it. */
export function dmMessage(fake: FakeDiscord, user: FakeUser, n: number, text: string, extra: Json = {}): Json {
  return common(fake, user, n, text, { channel_id: fake.dmChannelOf(user.id), channel_type: 1, ...extra });
}

/** A message in a guild channel or thread, with the gateway's `guild_id` and `member`. */
export function guildMessage(fake: FakeDiscord, channelId: string, user: FakeUser, n: number, text: string, extra: Json = {}): Json {
  return common(fake, user, n, text, { channel_id: channelId, guild_id: fake.guildId, member: { nick: null, roles: [] }, ...extra });
}
