import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../../src/runtime/embedded-redis.js';

export interface ReceivedMail {
  readonly raw: Buffer;
  readonly envelope: { from: string; to: string[] };
}

/**
 * The MTA our adapter hands replies to: smtp-server on loopback, no TLS (its built-in certificate
 * has expired, PLATFORMS §5) and no AUTH. It records every accepted message with its envelope, and
 * can be told to refuse the next messages with a 4xx or 5xx reply, either at the end of DATA
 * (content checks, spam) or at RCPT TO (greylisting, unknown user), where real MTAs refuse most.
 */
export class FakeSmtp {
  readonly received: ReceivedMail[] = [];
  /** Messages answered with a 4xx/5xx at the end of DATA, with the reply given. */
  readonly refused: (ReceivedMail & { code: number })[] = [];
  /** Messages whose recipients were answered with a 4xx/5xx at RCPT TO (no content was sent), with the reply given. */
  readonly refusedAtRcpt: { envelope: ReceivedMail['envelope']; code: number }[] = [];
  private readonly refusals: { code: number; message: string }[] = [];
  private readonly rcptRefusals: { code: number; message: string }[] = [];
  /** The refusal a transaction drew at its first RCPT TO; its other recipients get the same one. */
  private readonly rcptRefusalOf = new WeakMap<object, { code: number; message: string; record: { envelope: ReceivedMail['envelope']; code: number } }>();

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<FakeSmtp> {
    const port = await freePort();
    let fake: FakeSmtp | undefined;
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
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
          const mail = { raw: Buffer.concat(chunks), envelope: { from: envelope.mailFrom ? envelope.mailFrom.address : '', to: envelope.rcptTo.map((r) => r.address) } };
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
