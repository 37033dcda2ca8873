import { describe, expect, it } from 'vitest';
import { parseDesk } from '../../../../config/channels.js';

const document = (desk: Record<string, unknown>) => ({ channels: [{ id: 'web', kind: 'webchat' }], desk });
const llm = { baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', apiKey: '${LLM_API_KEY}' };

describe('desk.llm in the channels file', () => {
  it('is absent by default: drafts are off', () => {
    expect(parseDesk(document({}), {}, 'channels.yaml')).not.toHaveProperty('llm');
  });

  it('takes the key from ${LLM_API_KEY}, and the timeout defaults to 20s', () => {
    expect(parseDesk(document({ llm }), { LLM_API_KEY: 'sk-env' }, 'channels.yaml')).toMatchObject({ llm: { ...llm, apiKey: 'sk-env', timeout: '20s' } });
  });

  it('names the field when the variable is unset, or a value is wrong', () => {
    expect(() => parseDesk(document({ llm }), {}, 'channels.yaml')).toThrow('channels.yaml: desk: field "llm.apiKey": required: the API key (write ${LLM_API_KEY} and set the variable)');
    expect(() => parseDesk(document({ llm: { ...llm, baseUrl: 'api.openai.com' } }), { LLM_API_KEY: 'k' }, 'channels.yaml')).toThrow(/field "llm\.baseUrl": an http\(s\) URL/);
    expect(() => parseDesk(document({ llm: { ...llm, timeout: '10m' } }), { LLM_API_KEY: 'k' }, 'channels.yaml')).toThrow(/field "llm\.timeout": at most 2m/);
    expect(() => parseDesk(document({ llm: { ...llm, temprature: 1 } }), { LLM_API_KEY: 'k' }, 'channels.yaml')).toThrow(/field "llm": Unrecognized key: "temprature"/);
  });
});
