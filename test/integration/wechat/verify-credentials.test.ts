import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wechatConfig } from '../../../adapters/wechat/config.js';
import { createWechatAdapter } from '../../../adapters/wechat/index.js';
import { FakeWechatApi } from '../../fakes/wechat/api.js';
import { TOKEN } from '../../fakes/wechat/harness.js';
import { testAdapterContext } from '../../support/adapter-context.js';

describe('verify(): the access token as the credential check (adapter alone, shared state in Redis)', () => {
  let fake: FakeWechatApi;
  beforeEach(async () => {
    fake = await FakeWechatApi.start();
  });
  afterEach(async () => fake.stop());

  const adapterFor = (fields: Record<string, unknown> = {}, context = testAdapterContext()) =>
    createWechatAdapter(wechatConfig.parse({ id: 'wx', kind: 'wechat', appId: fake.appId, appSecret: fake.appSecret, token: TOKEN, apiBase: fake.url, ...fields }), context);

  it('good credentials are ok; later checks reuse the shared token instead of fetching again', async () => {
    const context = testAdapterContext();
    expect(await adapterFor({}, context).verify()).toMatchObject({ status: 'ok', error: null });
    expect(await adapterFor({}, context).verify()).toMatchObject({ status: 'ok' });
    expect(fake.fetches).toEqual({ stable: 1, forced: 0, token: 0 });
  });

  it('a wrong AppSecret (40125) or AppID (40013) is an error that says which and where to fix it', async () => {
    const secret = await adapterFor({ appSecret: 'not-the-secret' }).verify();
    expect(secret).toMatchObject({ status: 'error', error: expect.stringMatching(/^WeChat refused the AppSecret \(invalid appsecret rid: .*\(40125\)\)\. Copy it again from 设置与开发 → 基本配置/) });
    const appId = await adapterFor({ appId: 'wx0000000000000000' }).verify();
    expect(appId).toMatchObject({ status: 'error', error: expect.stringMatching(/does not know this AppID.*40013/) });
  });

  it('this server’s IP missing from the allow-list (40164) says so, with the IP WeChat saw and the setting to change', async () => {
    fake.ipAllowed = false;
    const status = await adapterFor().verify();
    expect(status.status).toBe('error');
    expect(status.error).toMatch(/IP address is not on the Official Account's IP allow-list \(invalid ip 203\.0\.113\.7.*\(40164\)\)\. Add it under 设置与开发 → 基本配置 → IP白名单/);
  });

  it('where stable_token does not exist (a proxy answering 404), the classic /cgi-bin/token is used', async () => {
    fake.stableTokenAvailable = false;
    expect(await adapterFor().verify()).toMatchObject({ status: 'ok' });
    expect(fake.fetches).toEqual({ stable: 0, forced: 0, token: 1 });
  });

  it('when stable_token hands back the very token WeChat just refused, a forced refresh replaces it', async () => {
    const adapter = adapterFor();
    const address = { conversationId: 'c1', threadKey: 'oForce00000000000000000001', contactExternalId: 'oForce00000000000000000001' };
    const message = (id: string) => ({ messageId: id, text: '你好', authorName: 'Agent', attachments: [], alreadySent: [] });
    await adapter.send(address, message('m1'));
    // The token is refused by the send API although stable_token would still hand it out.
    fake.failNext(address.threadKey, 40001);
    expect(await adapter.send(address, message('m2'))).toEqual({ externalIds: ['m2-0'] });
    expect(fake.fetches).toEqual({ stable: 2, forced: 1, token: 0 });
    expect(fake.sendsTo(address.threadKey).map((s) => s.content)).toEqual(['你好', '你好']);
  });
});
