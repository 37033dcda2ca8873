import type { AdapterDefinition } from '../src/channels/definition.js';
import { discord } from './discord/index.js';
import { telegram } from './telegram/index.js';
import { webchat } from './webchat/index.js';
import { wechat } from './wechat/index.js';
import { x } from './x/index.js';

/**
 * THE list of channel kinds. Config validation, the channel list in the API and the docs derive
 * from it; nothing else registers channels (STYLE §2).
 */
export const adapterDefinitions: readonly AdapterDefinition[] = [webchat, telegram, wechat, discord, x];
