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
    expect(() => parseDesk(document({ autoAk: false }), {}, 'channels.yaml')).toThrow('channels.yaml: desk: unknown setting "autoAk" (known: safety, autoAck)');
  });

  it('refuses a wrong value, naming the field', () => {
    expect(() => parseDesk(document({ autoAck: 'sometimes' }), {}, 'channels.yaml')).toThrow(/channels\.yaml: desk: field "autoAck"/);
  });

  it('is not a channel: the channels list ignores it', () => {
    expect(parseChannels(document({ autoAck: false }), {}).map((c) => c.id)).toEqual(['web']);
  });
});
