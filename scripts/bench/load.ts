/**
 * The load generator, seen from the orchestrator. The sending itself runs in a worker thread
 * (`load-worker.ts`) with its own event loop, so issuing thousands of requests per second does not
 * delay the SSE observer's timestamps in the main thread, and the other way round.
 */
import { Worker } from 'node:worker_threads';

/** Webhook deliveries at a fixed offered rate, scheduled by the wall clock (open loop). */
export interface SustainedCommand {
  readonly type: 'sustained';
  readonly url: string;
  readonly secret: string;
  readonly rate: number;
  readonly durationMs: number;
  readonly firstSeq: number;
  readonly connections: number;
}

/**
 * `count` new updates as fast as `connections` allow (closed loop per connection), plus
 * `duplicateRatio` of them sent a second time: half right after the original (in flight at the
 * same time on another connection), half a few thousand deliveries later (after it was stored).
 */
export interface BurstCommand {
  readonly type: 'burst';
  readonly url: string;
  readonly secret: string;
  readonly count: number;
  readonly duplicateRatio: number;
  readonly firstSeq: number;
  readonly connections: number;
}

/** Agent replies through the API, `concurrency` in flight, spread over the given conversations. */
export interface RepliesCommand {
  readonly type: 'replies';
  readonly base: string;
  readonly token: string;
  readonly conversationIds: readonly string[];
  readonly count: number;
  readonly concurrency: number;
}

export type LoadCommand = SustainedCommand | BurstCommand | RepliesCommand;

/** Updates a sustained phase sends (at least one). */
export const sustainedCount = (rate: number, durationMs: number): number => Math.max(1, Math.round((rate * durationMs) / 1000));

/**
 * One row per HTTP request, as columns. `scheduledAt` is when the request was due (open loop) or
 * dispatched (closed loop); latency counts from it, so time spent waiting for a free connection is
 * part of the latency rather than hidden (no coordinated omission). `status` -1 = network error.
 */
export interface DeliveryLog {
  readonly seq: Int32Array;
  readonly scheduledAt: Float64Array;
  readonly latencyMs: Float64Array;
  readonly status: Int16Array;
  /** How late the generator itself dispatched requests (its own CPU limit), ms. */
  readonly dispatchLagMs: Float64Array;
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface ReplyLog {
  readonly submittedAt: Float64Array;
  readonly latencyMs: Float64Array;
  readonly status: Int16Array;
  readonly startedAt: number;
  readonly endedAt: number;
}

export interface Progress {
  readonly type: 'progress';
  readonly at: number;
  readonly sent: number;
  readonly completed: number;
  readonly ok: number;
}

export type WorkerReply = Progress | { type: 'started'; at: number } | { type: 'deliveries'; log: DeliveryLog } | { type: 'replies'; log: ReplyLog } | { type: 'failed'; message: string };

export class LoadGenerator {
  private failure: Error | undefined;
  private pending: ((error: Error) => void) | undefined;

  private constructor(private readonly worker: Worker) {
    const fail = (error: Error): void => {
      this.failure ??= error;
      this.pending?.(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the load generator thread exited (${code})`)));
  }

  static start(options: { customers: number; seed: number }): LoadGenerator {
    if (import.meta.url.endsWith('.js')) return new LoadGenerator(new Worker(new URL('./load-worker.js', import.meta.url), { workerData: options }));
    // Run from TypeScript (tsx): a worker thread does not inherit tsx's loader, so it registers
    // the loader itself before importing the worker module.
    const entry = new URL('./load-worker.ts', import.meta.url).href;
    const tsx = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`;
    return new LoadGenerator(new Worker(bootstrap, { eval: true, workerData: options }));
  }

  run(command: SustainedCommand | BurstCommand, onProgress?: (progress: Progress) => void, onStarted?: (at: number) => void): Promise<DeliveryLog>;
  run(command: RepliesCommand, onProgress?: (progress: Progress) => void): Promise<ReplyLog>;
  run(command: LoadCommand, onProgress?: (progress: Progress) => void, onStarted?: (at: number) => void): Promise<DeliveryLog | ReplyLog> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        this.worker.off('message', onMessage);
        this.pending = undefined;
      };
      const onMessage = (message: WorkerReply): void => {
        if (message.type === 'progress') return onProgress?.(message);
        if (message.type === 'started') return onStarted?.(message.at);
        finish();
        if (message.type === 'failed') reject(new Error(`load generator: ${message.message}`));
        else resolve(message.log);
      };
      this.pending = (error) => {
        finish();
        reject(error);
      };
      this.worker.on('message', onMessage);
      this.worker.postMessage(command);
    });
  }

  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
