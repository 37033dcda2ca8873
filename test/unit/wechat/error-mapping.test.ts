import { describe, expect, it } from 'vitest';
import { describeCredentialError, toChannelError, WechatApiError, WechatHttpError } from '../../../adapters/wechat/outbound.js';
import { PermanentChannelError, RetryableChannelError } from '../../../src/channels/errors.js';

const sendError = (errcode: number, errmsg = 'x') => new WechatApiError(errcode, errmsg, 'message/custom/send');

describe('WeChat errcodes → what the outbound worker does next', () => {
  it('45015 (outside the 48-hour window) is permanent reply_window_closed, explained for the agent', () => {
    const error = toChannelError(sendError(45015, 'response out of time limit or subscription is canceled'));
    expect(error).toBeInstanceOf(PermanentChannelError);
    expect(error).toMatchObject({ code: 'reply_window_closed', message: 'The customer last wrote more than 48 hours ago; WeChat only allows replies within 48 hours (45015)' });
  });

  it('45047 (reply quota used up) is permanent quota_exceeded and says when it can go out', () => {
    const error = toChannelError(sendError(45047, 'out of response count limit'));
    expect(error).toMatchObject({ name: 'PermanentChannelError', code: 'quota_exceeded' });
    expect(error.message).toMatch(/45047.*after the customer writes again/);
  });

  it('40200 (the account may not send menu messages) is permanent menu_unsupported and names the switch', () => {
    expect(toChannelError(sendError(40200, 'invalid account type'))).toMatchObject({ name: 'PermanentChannelError', code: 'menu_unsupported', message: expect.stringContaining('menuMessages: false') });
  });

  it('40003 (unknown OpenID) and 43004 (no longer following) are permanent', () => {
    expect(toChannelError(sendError(40003))).toMatchObject({ name: 'PermanentChannelError', code: 'invalid_recipient' });
    expect(toChannelError(sendError(43004))).toMatchObject({ name: 'PermanentChannelError', code: 'unsubscribed' });
  });

  it('-1 (system busy), HTTP 5xx and network faults are retryable without a forced wait', () => {
    expect(toChannelError(sendError(-1, 'system error'))).toMatchObject({ name: 'RetryableChannelError', code: 'platform_busy', retryAfterMs: undefined });
    expect(toChannelError(new WechatHttpError(502, 'message/custom/send'))).toMatchObject({ name: 'RetryableChannelError', code: 'platform_unavailable' });
    expect(toChannelError(new RetryableChannelError('could not reach WeChat (message/custom/send): ECONNRESET', 'network'))).toMatchObject({ name: 'RetryableChannelError', code: 'network' });
    expect(toChannelError(new Error('timed out waiting for the shared lock access-token'))).toMatchObject({ name: 'RetryableChannelError', code: 'send_error' });
  });

  it('45011 (per-minute limit) and 45009 (daily limit) are retryable after a delay', () => {
    expect(toChannelError(sendError(45011))).toMatchObject({ name: 'RetryableChannelError', code: 'rate_limited', retryAfterMs: 60_000 });
    const daily = toChannelError(sendError(45009));
    expect(daily).toBeInstanceOf(RetryableChannelError);
    expect((daily as RetryableChannelError).retryAfterMs).toBeGreaterThan(60_000);
  });

  it('a token refused again after the one refresh is retryable (another process may be rotating it)', () => {
    expect(toChannelError(sendError(40001))).toMatchObject({ name: 'RetryableChannelError', code: 'token_rejected' });
    expect(toChannelError(sendError(42001))).toMatchObject({ name: 'RetryableChannelError', code: 'token_rejected' });
  });

  it('errors of the token endpoints are about our credentials: permanent, with the fix in the message', () => {
    const ip = toChannelError(new WechatApiError(40164, 'invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist', 'stable_token'));
    expect(ip).toMatchObject({ name: 'PermanentChannelError', code: 'credentials' });
    expect(ip.message).toMatch(/IP allow-list.*203\.0\.113\.7.*IP白名单/);
    // -1 from the token endpoint is still just a busy WeChat.
    expect(toChannelError(new WechatApiError(-1, 'system error', 'stable_token'))).toBeInstanceOf(RetryableChannelError);
  });

  it('credential errors read as operator instructions', () => {
    expect(describeCredentialError(new WechatApiError(40125, 'invalid appsecret', 'stable_token'))).toMatch(/AppSecret.*基本配置/);
    expect(describeCredentialError(new WechatApiError(40013, 'invalid appid', 'stable_token'))).toMatch(/AppID/);
    expect(describeCredentialError(new WechatApiError(40001, 'invalid credential', 'token'))).toMatch(/AppSecret/);
  });

  it('40007 (media gone) is permanent and mentions the 3-day lifetime; unknown codes are permanent with WeChat’s words', () => {
    expect(toChannelError(new WechatApiError(40007, 'invalid media_id', 'media/get'))).toMatchObject({ code: 'expired', message: expect.stringMatching(/3 days/) });
    expect(toChannelError(sendError(48002, 'api forbidden for policy'))).toMatchObject({ name: 'PermanentChannelError', code: 'rejected', message: 'WeChat refused it: api forbidden for policy (48002)' });
  });

  it('the parts delivered before the failure travel with the error', () => {
    expect(toChannelError(sendError(45047), ['m1-0']).sentExternalIds).toEqual(['m1-0']);
    expect(toChannelError(sendError(-1), ['m1-0', 'm1-1']).sentExternalIds).toEqual(['m1-0', 'm1-1']);
  });
});
