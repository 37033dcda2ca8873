import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../../src/runtime/embedded-redis.js';

export interface ReceivedMail {
  readonly raw: Buffer;
  readonly envelope: { from: string; to: string[] };
  /** The user the session logged in as (servers started with `auth`), otherwise undefined. */
  readonly user?: string;
  /** Whether the session was encrypted when the message came: implicit TLS or upgraded with STARTTLS. */
  readonly secure: boolean;
}

export interface FakeSmtpOptions {
  /**
   * Speak TLS with this key/cert (always pass one: smtp-server's built-in certificate has expired):
   * `implicit` from the first byte (port 465 style), `starttls` offered after EHLO (port 587 style).
   */
  readonly tls?: { readonly mode: 'implicit' | 'starttls'; readonly key: Buffer | string; readonly cert: Buffer | string };
  /** Require AUTH PLAIN/LOGIN against this user and password before MAIL FROM. */
  readonly auth?: { readonly user: string; readonly password: string };
}

export interface AuthAttempt {
  readonly method: string;
  readonly user: string;
  /** Whether the credentials travelled over an encrypted session. */
  readonly secure: boolean;
  readonly accepted: boolean;
}

/**
 * The MTA our adapter hands replies to: smtp-server on loopback, by default without TLS (its
 * built-in certificate has expired, PLATFORMS §5) and without AUTH; `start` options turn on implicit
 * TLS or STARTTLS with a given key/cert, and required AUTH. It records every accepted message with its envelope, and
 * can be told to refuse the next messages with a 4xx or 5xx reply, either at the end of DATA
 * (content checks, spam) or at RCPT TO (greylisting, unknown user), where real MTAs refuse most.
 */
export class FakeSmtp {
  readonly received: ReceivedMail[] = [];
  /** Messages answered with a 4xx/5xx at the end of DATA, with the reply given. */
  readonly refused: (ReceivedMail & { code: number })[] = [];
  /** Messages whose recipients were answered with a 4xx/5xx at RCPT TO (no content was sent), with the reply given. */
  readonly refusedAtRcpt: { envelope: ReceivedMail['envelope']; code: number }[] = [];
  /** Every AUTH attempt that reached the credential check, in order. */
  readonly authAttempts: AuthAttempt[] = [];
  private readonly refusals: { code: number; message: string }[] = [];
  private readonly rcptRefusals: { code: number; message: string }[] = [];
  /** The refusal a transaction drew at its first RCPT TO; its other recipients get the same one. */
  private readonly rcptRefusalOf = new WeakMap<object, { code: number; message: string; record: { envelope: ReceivedMail['envelope']; code: number } }>();

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(options: FakeSmtpOptions = {}): Promise<FakeSmtp> {
    const port = await freePort();
    let fake: FakeSmtp | undefined;
    const { tls, auth } = options;
    const disabledCommands = [...(tls?.mode === 'starttls' ? [] : ['STARTTLS']), ...(auth ? [] : ['AUTH'])];
    const server = new SMTPServer({
      disabledCommands,
      ...(tls ? { secure: tls.mode === 'implicit', key: tls.key, cert: tls.cert } : {}),
      authOptional: !auth,
      ...(auth
        ? {
            authMethods: ['PLAIN', 'LOGIN'],
            onAuth(credentials, session, callback) {
              const accepted = credentials.username === auth.user && credentials.password === auth.password;
              fake!.authAttempts.push({ method: credentials.method, user: credentials.username ?? '', secure: session.secure, accepted });
              if (!accepted) return callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
              callback(null, { user: credentials.username });
            },
          }
        : {}),
      logger: false,
      banner: 'fake-mta ready',
      // The gateway's pooled SMTP connections idle for minutes; a test does not wait for them.
      closeTimeout: 500,
      onRcptTo(address, session, callback) {
        const envelope = session.envelope;
        let refusal = fake!.rcptRefusalOf.get(envelope);
        if (!refusal && envelope.rcptTo.length === 0) {
          const next = fake!.rcptRefusals.shift();
          if (next) {
            const record = { envelope: { from: envelope.mailFrom ? envelope.mailFrom.address : '', to: [] as string[] }, code: next.code };
            refusal = { ...next, record };
            fake!.rcptRefusalOf.set(envelope, refusal);
            fake!.refusedAtRcpt.push(record);
          }
        }
        if (refusal) {
          refusal.record.envelope.to.push(address.address);
          return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
        }
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const envelope = session.envelope;
          const mail: ReceivedMail = {
            raw: Buffer.concat(chunks),
            envelope: { from: envelope.mailFrom ? envelope.mailFrom.address : '', to: envelope.rcptTo.map((r) => r.address) },
            ...(typeof session.user === 'string' ? { user: session.user } : {}),
            secure: session.secure,
          };
          const refusal = fake!.refusals.shift();
          if (refusal) {
            fake!.refused.push({ ...mail, code: refusal.code });
            return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
          }
          fake!.received.push(mail);
          callback(null);
        });
      },
    });
    fake = new FakeSmtp(server, port);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    server.on('error', () => undefined);
    return fake;
  }

  /** The next `times` messages are refused with this reply (e.g. 451 greylisting, 550 spam). */
  failNext(code: number, message: string, times = 1): void {
    for (let i = 0; i < times; i += 1) this.refusals.push({ code, message });
  }

  /**
   * The next `times` messages are refused at RCPT TO with this reply (e.g. 451 greylisting, 550
   * user unknown): every recipient of the message gets it, so the client never reaches DATA.
   */
  failNextAtRcpt(code: number, message: string, times = 1): void {
    for (let i = 0; i < times; i += 1) this.rcptRefusals.push({ code, message });
  }

  clearFailures(): void {
    this.refusals.length = 0;
    this.rcptRefusals.length = 0;
  }

  async parsed(): Promise<ParsedMail[]> {
    return Promise.all(this.received.map((mail) => simpleParser(mail.raw)));
  }

  /** Plain-text bodies of the accepted messages, in order. */
  async texts(): Promise<string[]> {
    return (await this.parsed()).map((mail) => (mail.text ?? '').trim());
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
