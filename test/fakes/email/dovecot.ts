import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { freePort } from '../../../src/runtime/embedded-redis.js';

/** Dovecot refuses uid 0 for mail; `nobody` works and exists on every Debian machine (PLATFORMS §5). */
const MAIL_UID = 65534;
const DOVECOT = existsSync('/usr/sbin/dovecot') ? '/usr/sbin/dovecot' : 'dovecot';

export interface DovecotOptions {
  user?: string;
  password?: string;
}

/**
 * A private Dovecot 2.3 (Debian bookworm) on loopback: its own config, state and Maildir in a
 * temp dir, plaintext IMAP on a free port. Started in the foreground (`-F`), so the process we
 * hold is the master and stopping it stops exactly this instance.
 */
export class Dovecot {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private paused: number[] = [];

  private constructor(
    readonly dir: string,
    readonly port: number,
    readonly user: string,
    readonly password: string,
  ) {}

  static async start(options: DovecotOptions = {}): Promise<Dovecot> {
    const dir = mkdtempSync(join(tmpdir(), 'fake-dovecot-'));
    // The mail processes run as `nobody` and must reach the home below this root-owned dir.
    chmodSync(dir, 0o755);
    const dovecot = new Dovecot(dir, await freePort(), options.user ?? 'support', options.password ?? 'imap-password');
    dovecot.writeConfig();
    await dovecot.launch();
    return dovecot;
  }

  get home(): string {
    return join(this.dir, 'home');
  }

  /** imapflow options for a client of this server (no TLS here). */
  clientOptions(): { host: string; port: number; secure: false; doSTARTTLS: false; auth: { user: string; pass: string }; logger: false } {
    return { host: '127.0.0.1', port: this.port, secure: false, doSTARTTLS: false, auth: { user: this.user, pass: this.password }, logger: false };
  }

  /** Delivers one raw mail over IMAP APPEND from a separate, short-lived client; returns its UID. */
  async append(raw: string | Buffer, mailbox = 'INBOX'): Promise<number | undefined> {
    return this.withClient(async (client) => {
      const result = await client.append(mailbox, raw);
      return result ? result.uid : undefined;
    });
  }

  async withClient<T>(work: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = new ImapFlow(this.clientOptions());
    // A connection the server drops (stop/restart tests) must not become an unhandled 'error'.
    client.on('error', () => undefined);
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  /**
   * Delivers one raw mail by writing it into the Maildir (`tmp/` then rename into `new/`, as an
   * MDA does). Works while the server is stopped; Dovecot assigns the UID when it next looks.
   */
  deliverToMaildir(raw: string | Buffer, mailbox = 'INBOX'): void {
    const box = this.maildirOf(mailbox);
    const name = `${Date.now()}.M${randomBytes(6).toString('hex')}P${process.pid}.fake-mda`;
    const tmp = join(box, 'tmp', name);
    writeFileSync(tmp, raw);
    chownSync(tmp, MAIL_UID, MAIL_UID);
    renameSync(tmp, join(box, 'new', name));
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.resume();
    child.kill('SIGTERM');
    await this.exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.launch();
  }

  /**
   * Freezes this instance (master and every process it started) with SIGSTOP: open connections
   * go silent without being closed, new ones are accepted by the kernel but never greeted.
   */
  pause(): void {
    const master = this.child?.pid;
    if (!master) throw new Error('dovecot is not running');
    this.paused = [master, ...descendantsOf(master)];
    for (const pid of this.paused) signal(pid, 'SIGSTOP');
  }

  /**
   * Freezes only the mail processes serving open sessions (Dovecot runs one `imap` process per
   * connection): those connections go silent while the server keeps accepting new ones.
   */
  pauseSessions(): number {
    const master = this.child?.pid;
    if (!master) throw new Error('dovecot is not running');
    const sessions = descendantsOf(master).filter((pid) => commandOf(pid) === 'imap');
    this.paused.push(...sessions);
    for (const pid of sessions) signal(pid, 'SIGSTOP');
    return sessions.length;
  }

  resume(): void {
    for (const pid of this.paused) signal(pid, 'SIGCONT');
    this.paused = [];
  }

  /** Stops the server and removes its directory. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  log(): string {
    try {
      return readFileSync(join(this.dir, 'dovecot.log'), 'utf8');
    } catch {
      return '';
    }
  }

  private maildirOf(mailbox: string): string {
    // Maildir++: INBOX is the root, other mailboxes are ".Name" below it.
    const box = mailbox.toUpperCase() === 'INBOX' ? join(this.home, 'Maildir') : join(this.home, 'Maildir', `.${mailbox}`);
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(box, sub), { recursive: true });
    chownTree(this.home);
    return box;
  }

  private writeConfig(): void {
    for (const sub of ['run', 'state', 'home']) mkdirSync(join(this.dir, sub), { recursive: true });
    chownTree(this.home);
    writeFileSync(join(this.dir, 'users'), `${this.user}:{PLAIN}${this.password}:${MAIL_UID}:${MAIL_UID}::${this.home}\n`, { mode: 0o644 });
    const config = `
instance_name = fake-dovecot-${this.port}
base_dir = ${join(this.dir, 'run')}
state_dir = ${join(this.dir, 'state')}
log_path = ${join(this.dir, 'dovecot.log')}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = ${MAIL_UID}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${join(this.dir, 'users')}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${join(this.dir, 'users')}
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${this.port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
    writeFileSync(join(this.dir, 'dovecot.conf'), config);
  }

  private async launch(): Promise<void> {
    const child = spawn(DOVECOT, ['-F', '-c', join(this.dir, 'dovecot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`dovecot exited with ${child.exitCode}: ${stderr}${this.log().slice(-2000)}`);
      try {
        await this.withClient(async () => undefined);
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`dovecot did not accept a login in 15 s: ${(error as Error).message} ${this.log().slice(-2000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }
}

function chownTree(path: string): void {
  chownSync(path, MAIL_UID, MAIL_UID);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isDirectory()) chownTree(join(path, entry.name));
    else chownSync(join(path, entry.name), MAIL_UID, MAIL_UID);
  }
}

/** Short-lived processes (a login, an auth worker) may exit between listing and signalling. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Processes started by `pid`, recursively, from /proc (Linux). */
function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 is the parent pid; the command name (field 2) may contain spaces, so split after ")".
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // exited while listing
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const child of children.get(p) ?? []) {
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}
