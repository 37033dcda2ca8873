/** A configuration problem; the message names the variable or the channel and field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
