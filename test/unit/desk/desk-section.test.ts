import { describe, expect, it } from 'vitest';
import { parseChannels, parseDesk } from '../../../config/channels.js';
import { ConfigError } from '../../../config/errors.js';

const document = (desk: unknown) => ({ channels: [{ id: 'web', kind: 'webchat' }], desk });

describe('the channels file\'s desk: section', () => {
  it('is optional: every feature gets its defaults', () => {
    expect(parseDesk({ channels: [] }, {})).toMatchObject({ autoAck: true, safety: { enabled: true, allowedPhrasings: [], triageTerms: [] } });
  });

  it('takes ${VAR} from the environment like the channels do', () => {
    expect(parseDesk(document({ autoAck: '${ACK}' }), { ACK: 'false' }, 'channels.yaml')).toMatchObject({ autoAck: false });
  });

  it('refuses an unknown key, naming it and the known ones (a typo must not silently turn a feature off)', () => {
    expect(() => parseDesk(document({ autoAk: false }), {}, 'channels.yaml')).toThrow(ConfigError);
    expect(() => parseDesk(document({ autoAk: false }), {}, 'channels.yaml')).toThrow('channels.yaml: desk: unknown setting "autoAk" (known: safety, timezone, businessHours, holidays, responseTargets, sla, escalateOnBreach, autoAck, csat, bot, llm, retention, identity, webhooks)');
  });

  it('refuses a wrong value, naming the field', () => {
    expect(() => parseDesk(document({ autoAck: 'sometimes' }), {}, 'channels.yaml')).toThrow(/channels\.yaml: desk: field "autoAck"/);
  });

  it('reads the service-level keys of DESIGN §10 as written, and names a wrong one', () => {
    const desk = {
      timezone: 'Asia/Shanghai',
      businessHours: { 'mon-fri': '09:00-18:00', sat: '10:00-14:00' },
      holidays: ['2027-02-10'],
      responseTargets: { webchat: '5m', telegram: '15m', discord: '15m', x: '1h', wechat: '30m', email: '24h' },
      sla: [
        { name: 'urgent', match: { priority: 'urgent' }, firstResponse: '15m', nextResponse: '30m', resolution: '4h', always: true },
        { name: 'default', firstResponse: 'channel', nextResponse: '2h', resolution: '3d' },
      ],
    };
    expect(parseDesk(document(desk), {}, 'channels.yaml')).toMatchObject({ ...desk, sla: [{ name: 'urgent', match: { priority: ['urgent'] } }, { name: 'default', match: {} }] });
    expect(() => parseDesk(document({ sla: [{ name: 'x', resolution: 'soon' }] }), {}, 'channels.yaml')).toThrow(/channels\.yaml: desk: field "sla\.0\.resolution": a duration such as 90s/);
  });

  it('is not a channel: the channels list ignores it', () => {
    expect(parseChannels(document({ autoAck: false }), {}).map((c) => c.id)).toEqual(['web']);
  });
});
