import { type FetchMessageObject, ImapFlow, type ImapFlowOptions } from 'imapflow';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { DurableState, InboundSink, SharedState } from '../../src/channels/contract.js';
import { AttachmentTooLarge } from '../../src/channels/errors.js';
import { queueWithRetry, retryDelayMs, sleep } from '../../src/channels/kit/index.js';
import type { ChannelStatus } from '../../src/domain/channel.js';
import type { InboundMessageInput } from '../../src/domain/message.js';
import type { EmailConfig } from './config.js';
import { type ParsedEmail, parseEmail, salvage, withStoredFiles } from './inbound.js';

/**
 * The mailbox connection, run by the connector role under the channel's lease (one per mailbox
 * across all instances). Every wake-up — connect, an EXISTS pushed during IDLE, a watchdog tick —
 * fetches every message after the checkpoint (mailbox, UIDVALIDITY, last UID) kept in Postgres,
 * so an outage of any length is caught up. The checkpoint moves only past messages the queue
 * accepted; a crash re-fetches at most the last batch, and the pipeline drops the duplicates by
 * Message-ID.
 */

const CHECKPOINT_KEY = 'imap-checkpoint';
/** The live connection's state, shared through Redis so any process's channel check reports it. */
export const HEALTH_KEY = 'imap-health';

const Checkpoint = z.object({ mailbox: z.string(), uidValidity: z.string(), lastUid: z.number().int().nonnegative() });
type Checkpoint = z.infer<typeof Checkpoint>;

export const LiveHealth = z.object({ status: z.enum(['ok', 'error']), error: z.string().nullable(), at: z.string() });
export type LiveHealth = z.infer<typeof LiveHealth>;

/** Quick reconnects before the connector reports a crash (channel status) and backs off longer. */
const ATTEMPTS_BEFORE_CRASH = 3;
const BATCH_MESSAGES = 25;
const BATCH_BYTES = 20 * 1024 * 1024;

export interface MailboxDeps {
  readonly config: EmailConfig;
  readonly durable: DurableState;
  readonly shared: SharedState;
  readonly logger: Logger;
}

/** Runs until `signal` aborts; throws after repeated connection failures (the connector runner records and retries). */
export async function runMailbox(deps: MailboxDeps, sink: InboundSink, signal: AbortSignal): Promise<void> {
  const { config, logger: log } = deps;
  let failures = 0;
  while (!signal.aborted) {
    const session = new MailboxSession(deps, sink, signal);
    try {
      await session.run();
      return;
    } catch (error) {
      if (signal.aborted) return;
      // A connection that worked for a while and then died starts a fresh series of attempts.
      failures = session.synced ? 1 : failures + 1;
      const reason = describe(error);
      log.warn({ err: error, attempt: failures }, 'IMAP connection failed');
      await setHealth(deps, { status: 'error', error: `IMAP: ${reason}${failures < ATTEMPTS_BEFORE_CRASH ? ' (reconnecting)' : ''}` });
      if (failures >= ATTEMPTS_BEFORE_CRASH) throw new Error(`IMAP ${config.imap.host}:${config.imap.port}: ${reason}`);
      await sleep(1_000 * 3 ** (failures - 1), signal);
    }
  }
}

export async function readHealth(shared: SharedState): Promise<LiveHealth | undefined> {
  const text = await shared.get(HEALTH_KEY).catch(() => null);
  if (!text) return undefined;
  try {
    const parsed = LiveHealth.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function setHealth(deps: MailboxDeps, health: Omit<LiveHealth, 'at'>): Promise<void> {
  const { watchdogSeconds, timeoutSeconds } = deps.config.imap;
  // Outlives a few missed watchdog ticks; a connector that died silently stops vouching for the mailbox.
  const ttlMs = 3 * (watchdogSeconds + timeoutSeconds) * 1_000 + 60_000;
  await deps.shared.set(HEALTH_KEY, JSON.stringify({ ...health, at: new Date().toISOString() }), ttlMs).catch(() => undefined);
}

/** imapflow options of this mailbox; a fresh client per connection (an ImapFlow cannot reconnect). */
export function imapOptions(config: EmailConfig, logger: Logger | false): ImapFlowOptions {
  const { imap } = config;
  const timeoutMs = imap.timeoutSeconds * 1_000;
  return {
    host: imap.host,
    port: imap.port,
    secure: imap.secure,
    ...(imap.secure ? {} : { doSTARTTLS: imap.starttls === 'required' }),
    auth: { user: imap.user, pass: imap.password },
    tls: { rejectUnauthorized: imap.tls.rejectUnauthorized, ...(imap.tls.servername ? { servername: imap.tls.servername } : {}) },
    logger: logger === false ? false : quiet(logger),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    // IDLE starts one second after our last command, so new mail is pushed at once.
    autoIdleDelay: 1_000,
    maxIdleTime: imap.idleRestartMinutes * 60_000,
  };
}

/** Checks the login with a short-lived connection (the channel check when no connector reports). */
export async function probeImap(config: EmailConfig): Promise<void> {
  const client = new ImapFlow({ ...imapOptions(config, false), verifyOnly: true });
  client.on('error', () => undefined);
  try {
    await client.connect();
  } finally {
    client.close();
  }
}

class MailboxSession {
  /** At least one complete sync ran on this connection. */
  synced = false;
  private readonly client: ImapFlow;
  private readonly log: Logger;
  private wake: (() => void) | undefined;
  private pendingWake = false;
  private dead: Error | undefined;
  private checkpoint: Checkpoint | undefined;

  constructor(
    private readonly deps: MailboxDeps,
    private readonly sink: InboundSink,
    private readonly signal: AbortSignal,
  ) {
    this.log = deps.logger;
    this.client = new ImapFlow(imapOptions(deps.config, deps.logger));
  }

  async run(): Promise<void> {
    const { client, signal } = this;
    const { imap } = this.deps.config;
    const onAbort = (): void => this.poke();
    signal.addEventListener('abort', onAbort, { once: true });
    client.on('error', (error: Error) => this.fail(error));
    client.on('close', () => this.fail(new Error(client.byeReason ? `the server closed the connection: ${client.byeReason}` : 'the connection closed')));
    client.on('exists', () => this.poke());
    // The selected mailbox went away under us (deleted, renamed): reselect on a new connection.
    client.on('mailboxClose', () => this.fail(new Error(`mailbox ${imap.mailbox} was closed by the server`)));
    try {
      await client.connect();
      await client.mailboxOpen(imap.mailbox, { readOnly: !this.deps.config.markSeen });
      this.log.info({ mailbox: imap.mailbox }, 'IMAP connected; catching up');
      for (;;) {
        this.check();
        await this.sync();
        if (!this.synced) {
          this.synced = true;
          await setHealth(this.deps, { status: 'ok', error: null });
        }
        const woken = await this.sleepUntilWoken(imap.watchdogSeconds * 1_000);
        this.check();
        if (signal.aborted) break;
        if (!woken) await this.watchdog();
      }
      await client.logout().catch(() => undefined);
    } finally {
      signal.removeEventListener('abort', onAbort);
      client.removeAllListeners('close');
      client.close();
    }
  }

  /**
   * A silent, half-open connection stops pushing EXISTS (imapflow #14): NOOP and STATUS must
   * answer in time, or the connection is replaced. STATUS also catches what a server may not
   * push at all: a changed UIDVALIDITY under the open mailbox, and a message count that moved
   * (imapflow then emits `exists`, and the sync after this tick fetches).
   */
  private async watchdog(): Promise<void> {
    const { client } = this;
    const { mailbox: path, timeoutSeconds } = this.deps.config.imap;
    let timer: NodeJS.Timeout | undefined;
    const probe = (async () => {
      await client.noop();
      return client.status(path, { uidValidity: true, uidNext: true, messages: true });
    })();
    probe.catch(() => undefined);
    let status: Awaited<typeof probe>;
    try {
      status = await Promise.race([
        probe,
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`the server did not answer NOOP/STATUS within ${timeoutSeconds} s`)), timeoutSeconds * 1_000);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
    const selected = client.mailbox;
    if (status && selected && status.uidValidity !== undefined && status.uidValidity !== selected.uidValidity) {
      throw new Error(`UIDVALIDITY of ${path} changed while it was open (${selected.uidValidity} → ${status.uidValidity})`);
    }
    await setHealth(this.deps, { status: 'ok', error: null });
  }

  /** Fetches and queues everything after the checkpoint, until nothing new is left. */
  private async sync(): Promise<void> {
    const { client } = this;
    const { imap } = this.deps.config;
    this.pendingWake = false;
    const mailbox = client.mailbox;
    if (!mailbox) throw new Error(`mailbox ${imap.mailbox} is not selected`);
    const uidValidity = String(mailbox.uidValidity);
    let checkpoint = await this.loadCheckpoint();
    if (!checkpoint || checkpoint.mailbox !== imap.mailbox || checkpoint.uidValidity !== uidValidity) {
      if (checkpoint) {
        this.log.warn(
          { mailbox: imap.mailbox, was: checkpoint.uidValidity, now: uidValidity },
          'UIDVALIDITY changed (mailbox recreated or migrated): reading the whole mailbox again; messages already stored are dropped by Message-ID',
        );
      }
      const start = !checkpoint && imap.initialSync === 'new' ? Math.max(0, mailbox.uidNext - 1) : 0;
      checkpoint = { mailbox: imap.mailbox, uidValidity, lastUid: start };
      await this.saveCheckpoint(checkpoint);
    }
    if (mailbox.exists === 0) return;

    // IMAP runs one command at a time: list the UIDs first, then fetch sources in batches,
    // never issuing a command while a FETCH is still streaming (imapflow #110).
    const listed = await client.fetchAll(`${checkpoint.lastUid + 1}:*`, { uid: true, size: true }, { uid: true });
    // `N:*` always includes the newest message, even when N is past it (RFC 3501 §6.4.8).
    const after = checkpoint.lastUid;
    const pending = listed.filter((m) => m.uid > after).sort((a, b) => a.uid - b.uid);
    for (const batch of batches(pending, imap.maxMessageBytes)) {
      this.check();
      const oversize = batch.length === 1 && (batch[0]!.size ?? 0) > imap.maxMessageBytes;
      const fetched = await client.fetchAll(
        batch.map((m) => m.uid).join(','),
        { uid: true, internalDate: true, size: true, source: oversize ? { maxLength: imap.maxMessageBytes } : true },
        { uid: true },
      );
      fetched.sort((a, b) => a.uid - b.uid);
      const done: number[] = [];
      for (const item of fetched) {
        if (this.signal.aborted) break;
        if (!(await this.deliver(item, uidValidity))) break;
        done.push(item.uid);
        checkpoint = { ...checkpoint, lastUid: Math.max(checkpoint.lastUid, item.uid) };
      }
      // Messages expunged between listing and fetching are simply gone; the batch still counts.
      if (done.length === fetched.length && !this.signal.aborted) checkpoint = { ...checkpoint, lastUid: Math.max(checkpoint.lastUid, ...batch.map((m) => m.uid)) };
      if (done.length > 0 && this.deps.config.markSeen) await client.messageFlagsAdd(done.join(','), ['\\Seen'], { uid: true });
      await this.saveCheckpoint(checkpoint);
      if (this.signal.aborted) return;
    }
    if (pending.length > 0) this.log.info({ count: pending.length, lastUid: checkpoint.lastUid }, 'mail fetched');
  }

  /** Parses, stores the files and queues one message; false when stopped before it was queued. */
  private async deliver(item: FetchMessageObject, uidValidity: string): Promise<boolean> {
    const { config } = this.deps;
    if (!item.source) throw new Error(`the server returned no content for UID ${item.uid}`);
    const receivedAt = item.internalDate ? new Date(item.internalDate) : undefined;
    const parsed = await parseEmail(item.source, {
      channelId: config.id,
      address: config.address,
      ...(receivedAt ? { receivedAt } : {}),
      ...(item.size !== undefined && item.size > item.source.length ? { fullSize: item.size } : {}),
      origin: { mailbox: config.imap.mailbox, uidValidity, uid: item.uid },
    });
    const message = await this.storeFiles(parsed);
    if (!message) return false;
    const onRetry = (error: unknown, attempt: number): void =>
      this.log.warn({ err: error, externalId: message.externalId, uid: item.uid, attempt }, 'could not queue a mail; retrying');
    let outcome = await queueWithRetry(this.sink, message, this.signal, onRetry);
    if (outcome === 'invalid') {
      // The parser keeps within the model; should it ever not, the mail still arrives, reduced.
      this.log.error({ externalId: message.externalId, uid: item.uid }, 'mail did not fit the message model; queued in reduced form');
      outcome = await queueWithRetry(this.sink, salvage(message), this.signal, onRetry);
      if (outcome === 'invalid') this.log.error({ uid: item.uid }, 'mail could not be queued even in reduced form; skipped');
    }
    return outcome !== 'stopped';
  }

  /** Saves the mail's files; over the size limit they are listed by name only. Undefined when stopped. */
  private async storeFiles(parsed: ParsedEmail): Promise<InboundMessageInput | undefined> {
    const stored = new Map<number, string>();
    for (const file of parsed.files) {
      for (let attempt = 1; ; attempt += 1) {
        if (this.signal.aborted) return undefined;
        try {
          const { storedId } = await this.sink.saveAttachment({
            channelId: this.deps.config.id,
            senderExternalId: parsed.message.sender.externalId,
            name: file.name,
            mimeType: file.mimeType,
            bytes: file.bytes,
          });
          stored.set(file.index, storedId);
          break;
        } catch (error) {
          if (error instanceof AttachmentTooLarge) break;
          this.log.warn({ err: error, attempt }, 'could not store a mail attachment; retrying');
          await sleep(retryDelayMs(attempt), this.signal);
        }
      }
    }
    return withStoredFiles(parsed, stored);
  }

  private async loadCheckpoint(): Promise<Checkpoint | undefined> {
    if (this.checkpoint) return this.checkpoint;
    const parsed = Checkpoint.safeParse(await this.deps.durable.get(CHECKPOINT_KEY));
    this.checkpoint = parsed.success ? parsed.data : undefined;
    return this.checkpoint;
  }

  private async saveCheckpoint(checkpoint: Checkpoint): Promise<void> {
    if (this.checkpoint && sameCheckpoint(this.checkpoint, checkpoint)) return;
    await this.deps.durable.set(CHECKPOINT_KEY, checkpoint);
    this.checkpoint = checkpoint;
  }

  private sleepUntilWoken(ms: number): Promise<boolean> {
    if (this.pendingWake || this.dead || this.signal.aborted) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve(false);
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve(true);
      };
    });
  }

  private poke(): void {
    this.pendingWake = true;
    this.wake?.();
  }

  private fail(error: Error): void {
    this.dead ??= error;
    this.poke();
  }

  private check(): void {
    if (this.dead && !this.signal.aborted) throw this.dead;
  }
}

/** UID batches of at most 25 messages or 20 MB; a message over the fetch limit goes alone. */
function* batches(messages: readonly FetchMessageObject[], maxMessageBytes: number): Generator<FetchMessageObject[]> {
  let batch: FetchMessageObject[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = message.size ?? 0;
    if (size > maxMessageBytes) {
      if (batch.length > 0) yield batch;
      yield [message];
      batch = [];
      bytes = 0;
      continue;
    }
    if (batch.length > 0 && (batch.length >= BATCH_MESSAGES || bytes + size > BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(message);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

const sameCheckpoint = (a: Checkpoint, b: Checkpoint): boolean => a.mailbox === b.mailbox && a.uidValidity === b.uidValidity && a.lastUid === b.lastUid;

export function describe(error: unknown): string {
  const e = error as { message?: string; responseText?: string; code?: string; authenticationFailed?: boolean };
  if (e.authenticationFailed) return `login refused${e.responseText ? `: ${e.responseText}` : ''} (check imap.user / imap.password; Gmail and Outlook need an app password)`;
  return e.responseText ?? e.message ?? String(error);
}

/** imapflow logs every command at debug/info; ours shows only its warnings and errors unless the gateway logs more. */
function quiet(log: Logger): Logger {
  const child = log.child({ component: 'imapflow' });
  if (child.levelVal < 40) child.level = 'warn';
  return child;
}
