/** A use-case failure the HTTP layer shows as `{ error: { code, message } }` with `status`. */
export class InboxError extends Error {
  override readonly name = 'InboxError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
