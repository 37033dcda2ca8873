import type { ErrorStatus } from './route.js';

/**
 * A refusal a handler answers with: `{ error: { code, message } }` with `status` (DESIGN §7).
 * Channel routes throw it too, so it lives with the contract rather than in the HTTP layer.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ErrorStatus | 500,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
