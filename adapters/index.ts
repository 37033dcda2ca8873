import { type AdapterEntry, lazyAdapter } from '../src/channels/definition.js';
import type { ChannelKind } from '../src/domain/channel.js';
import { discordConfig } from './discord/config.js';
import { emailConfig } from './email/config.js';
import { telegramConfig } from './telegram/config.js';
import { webchatConfig } from './webchat/config.js';
import { webchatApi } from './webchat/routes.js';
import { wechatConfig } from './wechat/config.js';
import { xConfig } from './x/config.js';

/**
 * THE list of channel kinds, one entry per `ChannelKind` — the type makes a kind added to the
 * model without an adapter a compile error. Config validation, the channel list in the API and
 * the docs derive from it; nothing else registers channels (STYLE §2).
 */
const byKind: { readonly [K in ChannelKind]: AdapterEntry & { readonly kind: K } } = {
  webchat: lazyAdapter('webchat', webchatConfig, async () => (await import('./webchat/index.js')).webchat, webchatApi),
  email: lazyAdapter('email', emailConfig, async () => (await import('./email/index.js')).email),
  telegram: lazyAdapter('telegram', telegramConfig, async () => (await import('./telegram/index.js')).telegram),
  wechat: lazyAdapter('wechat', wechatConfig, async () => (await import('./wechat/index.js')).wechat),
  discord: lazyAdapter('discord', discordConfig, async () => (await import('./discord/index.js')).discord),
  x: lazyAdapter('x', xConfig, async () => (await import('./x/index.js')).x),
};

export const adapterDefinitions: readonly AdapterEntry[] = Object.values(byKind);
