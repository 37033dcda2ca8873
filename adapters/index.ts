import { type AdapterEntry, lazyAdapter } from '../src/channels/definition.js';
import { discordConfig } from './discord/config.js';
import { emailConfig } from './email/config.js';
import { telegramConfig } from './telegram/config.js';
import { webchatConfig } from './webchat/config.js';
import { webchatApi } from './webchat/routes.js';
import { wechatConfig } from './wechat/config.js';
import { xConfig } from './x/config.js';

/**
 * THE list of channel kinds. Config validation, the channel list in the API and the docs derive
 * from it; nothing else registers channels (STYLE §2).
 */
export const adapterDefinitions: readonly AdapterEntry[] = [
  lazyAdapter('webchat', webchatConfig, async () => (await import('./webchat/index.js')).webchat, webchatApi),
  lazyAdapter('email', emailConfig, async () => (await import('./email/index.js')).email),
  lazyAdapter('telegram', telegramConfig, async () => (await import('./telegram/index.js')).telegram),
  lazyAdapter('wechat', wechatConfig, async () => (await import('./wechat/index.js')).wechat),
  lazyAdapter('discord', discordConfig, async () => (await import('./discord/index.js')).discord),
  lazyAdapter('x', xConfig, async () => (await import('./x/index.js')).x),
];
