/**
 * Secret desk settings (an LLM endpoint's API key): a feature names them (`DeskFeature.secrets`),
 * and the settings API never shows them — it answers with `SECRET_MASK` in their place — while an
 * admin who saves the page back unchanged keeps the secret in force.
 *
 * A secret that came from the channels file (`${LLM_API_KEY}`) stays there: saving the mask back
 * stores the mask, which means "the file's value" at every refresh, so the environment's key is
 * not copied into Postgres and rotating it in the environment keeps working.
 */

/** What the settings API shows instead of a secret's value. */
export const SECRET_MASK = '********';

type Settings = Record<string, unknown>;

const isRecord = (value: unknown): value is Settings => typeof value === 'object' && value !== null && !Array.isArray(value);

function valueAt(settings: Settings, path: string): unknown {
  let current: unknown = settings;
  for (const key of path.split('.')) current = isRecord(current) ? current[key] : undefined;
  return current;
}

/** A copy with `value` at `path` (only along existing objects: a secret's object absent stays absent). */
function withValue(settings: Settings, path: string, value: unknown): Settings {
  const [key, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) return { ...settings, [key]: value };
  const inner = settings[key];
  return isRecord(inner) ? { ...settings, [key]: withValue(inner, rest.join('.'), value) } : settings;
}

/** The settings as the API shows them: each secret that is set, masked. */
export function maskSecrets(settings: Settings, paths: readonly string[]): Settings {
  return paths.reduce((out, path) => (typeof valueAt(out, path) === 'string' ? withValue(out, path, SECRET_MASK) : out), settings);
}

/** Stored settings as they apply: a mask stands for the channels file's value. */
export function resolveStoredSecrets(stored: Settings, paths: readonly string[], file: Settings): Settings {
  return paths.reduce((out, path) => (valueAt(out, path) === SECRET_MASK ? withValue(out, path, valueAt(file, path)) : out), stored);
}

export class SecretMaskError extends Error {
  override readonly name = 'SecretMaskError';
  constructor(readonly path: string) {
    super(`${path}: "${SECRET_MASK}" keeps the secret in force, but none is set; enter the secret itself`);
  }
}

/**
 * What an admin's edit means: `apply` is validated and applied. A mask sent back keeps the secret
 * in force (`current`); `fromFile` lists the paths where that is the channels file's, to be stored
 * as the mask (`storedForm`). Throws `SecretMaskError` when there is no secret to keep.
 */
export function unmaskEdit(body: Settings, paths: readonly string[], current: Settings, file: Settings): { apply: Settings; fromFile: string[] } {
  let apply = body;
  const fromFile: string[] = [];
  for (const path of paths) {
    if (valueAt(body, path) !== SECRET_MASK) continue;
    const kept = valueAt(current, path);
    if (typeof kept !== 'string') throw new SecretMaskError(path);
    apply = withValue(apply, path, kept);
    if (kept === valueAt(file, path)) fromFile.push(path);
  }
  return { apply, fromFile };
}

/** Validated settings as they are saved: the file's secrets as the mask. */
export const storedForm = (settings: Settings, fromFile: readonly string[]): Settings => fromFile.reduce((out, path) => withValue(out, path, SECRET_MASK), settings);
