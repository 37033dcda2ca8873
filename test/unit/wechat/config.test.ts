import { describe, expect, it } from 'vitest';
import { parseChannels } from '../../../config/channels.js';
import { ConfigError } from '../../../config/errors.js';

const base = { id: 'wx', kind: 'wechat', appId: 'wx1a2b3c4d5e6f7a8b', appSecret: '0123456789abcdef0123456789abcdef', token: 'switchboardToken42' };
const KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';

function errorFor(fields: Record<string, unknown>): string {
  try {
    parseChannels({ channels: [{ ...base, ...fields }] }, {}, 'channels.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(fields)}`);
}

describe('wechat channel config', () => {
  it('plain mode needs appId, appSecret and token; the rest has documented defaults', () => {
    const [channel] = parseChannels({ channels: [base] }, {});
    expect(channel).toEqual({ ...base, apiBase: 'https://api.weixin.qq.com', replyQuota: 5, timestampToleranceSeconds: 300, menuMessages: true });
  });

  it('the DESIGN §6 example works from the environment; an unset WECHAT_AES_KEY leaves plain mode; numbers are coerced', () => {
    const document = {
      channels: [
        {
          id: 'wx',
          kind: 'wechat',
          appId: '${WECHAT_APP_ID}',
          appSecret: '${WECHAT_APP_SECRET}',
          token: '${WECHAT_TOKEN}',
          encodingAESKey: '${WECHAT_AES_KEY}',
          apiBase: 'https://sh.api.weixin.qq.com/',
          replyQuota: '${WECHAT_REPLY_QUOTA}',
        },
      ],
    };
    const env = { WECHAT_APP_ID: base.appId, WECHAT_APP_SECRET: base.appSecret, WECHAT_TOKEN: base.token, WECHAT_REPLY_QUOTA: '20' };
    const [plain] = parseChannels(document, env);
    expect(plain).not.toHaveProperty('encodingAESKey');
    expect(plain).toMatchObject({ apiBase: 'https://sh.api.weixin.qq.com', replyQuota: 20 });
    const [safe] = parseChannels(document, { ...env, WECHAT_AES_KEY: KEY });
    expect(safe).toMatchObject({ encodingAESKey: KEY });
  });

  it('menuMessages (questions as 菜单消息) is on by default and can be switched off from the environment', () => {
    const document = { channels: [{ ...base, menuMessages: '${WECHAT_MENU_MESSAGES}' }] };
    expect(parseChannels(document, { WECHAT_MENU_MESSAGES: 'false' })[0]).toMatchObject({ menuMessages: false });
    expect(parseChannels(document, { WECHAT_MENU_MESSAGES: 'true' })[0]).toMatchObject({ menuMessages: true });
    expect(errorFor({ menuMessages: 'sometimes' })).toMatch(/field "menuMessages"/);
  });

  it('an EncodingAESKey must be the 43 characters from the console', () => {
    expect(errorFor({ encodingAESKey: `${KEY}=` })).toMatch(/field "encodingAESKey": the 43-character EncodingAESKey/);
    expect(errorFor({ encodingAESKey: KEY.slice(1) })).toMatch(/encodingAESKey/);
  });

  it('a previous key alone (without the current one) is refused', () => {
    expect(errorFor({ previousEncodingAESKey: KEY })).toMatch(/field "previousEncodingAESKey": needs encodingAESKey/);
  });

  it('the token is 3–32 letters or digits, the AppID wx + 16 characters', () => {
    expect(errorFor({ token: 'ab' })).toMatch(/field "token"/);
    expect(errorFor({ token: 'with-dash' })).toMatch(/field "token"/);
    expect(errorFor({ appId: 'gh_3f1c2a9b7d41' })).toMatch(/field "appId": the AppID/);
    expect(errorFor({ appSecret: undefined })).toMatch(/field "appSecret": required/);
  });
});
