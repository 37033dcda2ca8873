/**
 * Errors an adapter's `send()` throws decide what the outbound worker does next (STYLE §8).
 * Anything else thrown is treated as retryable (network faults, bugs fixed by a deploy).
 */
export class RetryableChannelError extends Error {
  override readonly name = 'RetryableChannelError';
  constructor(
    message: string,
    readonly code: string = 'retryable',
    /** The platform asked us to wait this long (429 retry_after, Retry-After). */
    readonly retryAfterMs?: number,
    /** Parts of a split reply delivered before the failure; the retry continues after them. */
    readonly sentExternalIds: readonly string[] = [],
  ) {
    super(message);
  }
}

export class PermanentChannelError extends Error {
  override readonly name = 'PermanentChannelError';
  constructor(
    message: string,
    readonly code: string = 'permanent',
    /** Parts of a split reply delivered before the failure. */
    readonly sentExternalIds: readonly string[] = [],
  ) {
    super(message);
  }
}

/** Thrown by a webhook handler for requests that must be refused with a given status. */
export class WebhookRejection extends Error {
  override readonly name = 'WebhookRejection';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** A file is over the configured attachment limit (ATTACHMENT_MAX_BYTES); keep its name, not its bytes. */
export class AttachmentTooLarge extends Error {
  override readonly name = 'AttachmentTooLarge';
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`attachment of ${size} bytes is over the ${limit}-byte limit`);
  }
}
