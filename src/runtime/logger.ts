import pino, { type Logger } from 'pino';

/**
 * pino writing asynchronously (off the hot path). Secrets never reach a log line: the fields
 * below are redacted wherever they appear, and tokens are never put in messages.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'switchboard' },
      redact: {
        paths: ['*.token', '*.password', '*.secret', '*.appSecret', '*.authorization', 'req.headers.authorization', 'req.headers.cookie', '*.accessToken'],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination({ sync: false }),
  );
}
