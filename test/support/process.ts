import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../src/runtime/paths.js';

/** The gateway as its own OS process (for kill -9 and fresh-start tests), run from source via tsx. */
export class GatewayProcess {
  private child: ChildProcess | undefined;
  stdout = '';
  stderr = '';

  constructor(
    readonly env: Record<string, string>,
    private readonly command: string[] = [process.execPath, '--import', 'tsx', join(projectRoot, 'src', 'main.ts')],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    this.stdout = '';
    this.stderr = '';
    const [file, ...args] = this.command;
    const { PATH, HOME } = process.env;
    // Its own process group, so a signal reaches the gateway even when `npm` sits in between.
    this.child = spawn(file!, args, { cwd: projectRoot, env: { PATH: PATH ?? '', HOME: HOME ?? '', ...this.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child.stdout!.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child.exitCode !== null) throw new Error(`gateway exited with ${this.child.exitCode}: ${this.stderr.slice(-2000)}`);
      try {
        const response = await fetch(`${this.url}/healthz`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`gateway did not become healthy in ${timeoutMs} ms: ${this.stderr.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** kill -9: no shutdown hooks, no draining. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<number | null> {
    return this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    process.kill(-child.pid!, signal);
    return exited;
  }
}
