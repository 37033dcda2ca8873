import type { Redis } from 'ioredis';
import { ChannelStatus } from '../domain/channel.js';

/**
 * Each channel's last known health, kept in Redis so whichever process checks or runs a channel
 * (connector, worker) informs every API process's `/readyz` and `/api/channels`.
 */
export interface ChannelStatusStore {
  get(channelId: string): Promise<ChannelStatus>;
  set(channelId: string, status: ChannelStatus): Promise<void>;
}

const unknown: ChannelStatus = { status: 'unknown', error: null, checkedAt: null };

export function redisChannelStatus(redis: Redis, prefix: string): ChannelStatusStore {
  const key = `${prefix}:channel-status`;
  return {
    async get(channelId) {
      try {
        const text = await redis.hget(key, channelId);
        if (!text) return unknown;
        const parsed = ChannelStatus.safeParse(JSON.parse(text));
        return parsed.success ? parsed.data : unknown;
      } catch {
        return unknown;
      }
    },
    async set(channelId, status) {
      await redis.hset(key, channelId, JSON.stringify(status));
    },
  };
}
