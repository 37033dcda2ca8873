import { describe, expect, it } from 'vitest';
import { maskSecrets, resolveStoredSecrets, SECRET_MASK, SecretMaskError, storedForm, unmaskEdit } from '../../../../src/desk/secrets.js';

const paths = ['llm.apiKey'];
const file = { llm: { baseUrl: 'https://api.example/v1', model: 'm', apiKey: 'sk-from-env' } };

describe('secret desk settings', () => {
  it('are shown masked, and only where set', () => {
    expect(maskSecrets(file, paths)).toEqual({ llm: { baseUrl: 'https://api.example/v1', model: 'm', apiKey: SECRET_MASK } });
    expect(maskSecrets({}, paths)).toEqual({});
    // The original is not changed (it is the settings in force).
    expect(file.llm.apiKey).toBe('sk-from-env');
  });

  it("the mask saved back keeps the file's secret, stored as the mask (the environment's key is not copied)", () => {
    const body = { llm: { ...file.llm, model: 'm2', apiKey: SECRET_MASK } };
    const edit = unmaskEdit(body, paths, file, file);
    expect(edit.apply).toEqual({ llm: { ...file.llm, model: 'm2' } });
    expect(edit.fromFile).toEqual(['llm.apiKey']);
    const stored = storedForm(edit.apply, edit.fromFile);
    expect(stored).toEqual({ llm: { ...file.llm, model: 'm2', apiKey: SECRET_MASK } });
    // At the next refresh, the mask stands for whatever the file says then.
    expect(resolveStoredSecrets(stored, paths, { llm: { ...file.llm, apiKey: 'sk-rotated' } })).toEqual({ llm: { ...file.llm, model: 'm2', apiKey: 'sk-rotated' } });
  });

  it('the mask saved back keeps a key an admin typed earlier, stored as itself', () => {
    const current = { llm: { ...file.llm, apiKey: 'sk-typed' } };
    const edit = unmaskEdit({ llm: { ...file.llm, apiKey: SECRET_MASK } }, paths, current, file);
    expect(edit).toEqual({ apply: current, fromFile: [] });
  });

  it('a new key replaces it; the mask with no secret set is refused, naming the field', () => {
    expect(unmaskEdit({ llm: { ...file.llm, apiKey: 'sk-new' } }, paths, file, file).apply.llm).toMatchObject({ apiKey: 'sk-new' });
    expect(() => unmaskEdit({ llm: { ...file.llm, apiKey: SECRET_MASK } }, paths, {}, {})).toThrow(SecretMaskError);
    expect(() => unmaskEdit({ llm: { ...file.llm, apiKey: SECRET_MASK } }, paths, {}, {})).toThrow(/^llm\.apiKey: /);
  });
});
