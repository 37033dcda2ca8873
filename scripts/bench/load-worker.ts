/**
 * Worker-thread side of the load generator (see load.ts): node:http with a keep-alive agent of at
 * most N sockets (Telegram itself opens at most `max_connections`, default 40, per bot), bodies
 * built before the clock starts, and every request timed.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { type BurstCommand, type DeliveryLog, type LoadCommand, type Progress, type RepliesCommand, type ReplyLog, type SustainedCommand, sustainedCount, type WorkerReply } from './load.js';
import { clock, random, replyText, TelegramTraffic } from './traffic.js';

const port = parentPort;
if (!port) throw new Error('load-worker.ts runs as a worker thread (see load.ts)');
const options = workerData as { customers: number; seed: number };
/** One traffic source for the whole run: chats keep their message_id sequence across phases. */
const traffic = new TelegramTraffic({ customers: options.customers, seed: options.seed });
const REQUEST_TIMEOUT_MS = 120_000;

const send = (message: WorkerReply): void => port.postMessage(message);

port.on('message', (command: LoadCommand) => {
  const run = command.type === 'sustained' ? sustained(command) : command.type === 'burst' ? burst(command) : replies(command);
  run.then(
    (result) => {
      if (command.type === 'replies') send({ type: 'replies', log: result as ReplyLog });
      else send({ type: 'deliveries', log: result as DeliveryLog });
    },
    (error: unknown) => send({ type: 'failed', message: (error as Error).stack ?? String(error) }),
  );
});

interface Counters {
  sent: number;
  completed: number;
  ok: number;
}

function reportProgress(counters: Counters): () => void {
  const timer = setInterval(() => send({ type: 'progress', at: clock(), ...counters } satisfies Progress), 250);
  return () => {
    clearInterval(timer);
    send({ type: 'progress', at: clock(), ...counters });
  };
}

/** POSTs `body` and calls `done` with the status (-1 for a network error or timeout) once the answer is read. */
function post(agent: Agent, url: URL, headers: Record<string, string>, body: Buffer, done: (status: number) => void): void {
  let finished = false;
  const finish = (status: number): void => {
    if (finished) return;
    finished = true;
    done(status);
  };
  const req = request(
    { agent, hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'content-length': String(body.length) } },
    (res) => {
      res.resume();
      res.on('end', () => finish(res.statusCode ?? -1));
      res.on('error', () => finish(-1));
    },
  );
  req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timed out')));
  req.on('error', () => finish(-1));
  req.end(body);
}

function deliveryLog(rows: number): Omit<DeliveryLog, 'startedAt' | 'endedAt'> {
  return {
    seq: new Int32Array(rows),
    scheduledAt: new Float64Array(rows),
    latencyMs: new Float64Array(rows),
    status: new Int16Array(rows),
    dispatchLagMs: new Float64Array(rows),
  };
}

const webhookHeaders = (secret: string): Record<string, string> => ({
  'content-type': 'application/json',
  'x-telegram-bot-api-secret-token': secret,
});

/** What both webhook phases set up: keep-alive connections, signed headers, the log, progress. */
function webhookRun(command: { url: string; secret: string; connections: number }, total: number) {
  const counters: Counters = { sent: 0, completed: 0, ok: 0 };
  return {
    agent: new Agent({ keepAlive: true, maxSockets: command.connections }),
    url: new URL(command.url),
    headers: webhookHeaders(command.secret),
    log: deliveryLog(total),
    counters,
    stopProgress: reportProgress(counters),
  };
}

/**
 * Open loop: request i is due at t0 + i/rate whatever happened to the earlier ones. If all
 * connections are busy the request waits in the agent's queue, and that wait is in its latency.
 */
async function sustained(command: SustainedCommand): Promise<DeliveryLog> {
  const total = sustainedCount(command.rate, command.durationMs);
  const interval = 1000 / command.rate;
  const built = clock();
  const bodies = Array.from({ length: total }, (_, i) => Buffer.from(JSON.stringify(traffic.update(command.firstSeq + i, built + i * interval))));
  const { agent, url, headers, log, counters, stopProgress } = webhookRun(command, total);
  const t0 = clock() + 20;
  send({ type: 'started', at: t0 });
  let endedAt = t0;
  await new Promise<void>((resolve) => {
    let next = 0;
    const dispatch = (i: number, due: number, now: number): void => {
      log.seq[i] = command.firstSeq + i;
      log.scheduledAt[i] = due;
      log.dispatchLagMs[i] = now - due;
      counters.sent += 1;
      post(agent, url, headers, bodies[i]!, (status) => {
        const at = clock();
        log.latencyMs[i] = at - due;
        log.status[i] = status;
        counters.completed += 1;
        if (status >= 200 && status < 300) counters.ok += 1;
        endedAt = Math.max(endedAt, at);
        if (counters.completed === total) resolve();
      });
    };
    const pump = (): void => {
      const now = clock();
      while (next < total && t0 + next * interval <= now) {
        dispatch(next, t0 + next * interval, now);
        next += 1;
      }
      if (next < total) setTimeout(pump, Math.max(0, t0 + next * interval - clock()));
    };
    setTimeout(pump, Math.max(0, t0 - clock()));
  });
  stopProgress();
  agent.destroy();
  return { ...log, startedAt: t0, endedAt };
}

/** The order of a burst's deliveries: each update once, and the chosen duplicates again. */
function burstOrder(count: number, duplicateRatio: number, seed: number): Int32Array {
  const rnd = random(seed);
  const duplicates = Math.round(count * duplicateRatio);
  const entries: { key: number; index: number }[] = Array.from({ length: count }, (_, index) => ({ key: index, index }));
  const step = count / Math.max(1, duplicates);
  for (let d = 0; d < duplicates; d += 1) {
    const index = Math.min(count - 1, Math.floor(d * step + rnd() * step));
    // Even: right behind the original, so both are in flight on different connections at once
    // (the queue's job id is the filter). Odd: 5–30 % of the burst later, when the original has
    // usually been stored and its job removed (the database's unique key is the filter).
    const later = d % 2 === 0 ? 0.5 : Math.floor(count * (0.05 + 0.25 * rnd())) + 0.75;
    entries.push({ key: Math.min(count - 1 + 0.9, index + later), index });
  }
  entries.sort((a, b) => a.key - b.key);
  return Int32Array.from(entries, (entry) => entry.index);
}

/** Closed loop per connection: as fast as `connections` concurrent requests allow. */
async function burst(command: BurstCommand): Promise<DeliveryLog> {
  const built = clock();
  const bodies = Array.from({ length: command.count }, (_, i) => Buffer.from(JSON.stringify(traffic.update(command.firstSeq + i, built))));
  const order = burstOrder(command.count, command.duplicateRatio, options.seed + command.firstSeq);
  const total = order.length;
  const { agent, url, headers, log, counters, stopProgress } = webhookRun(command, total);
  const startedAt = clock();
  send({ type: 'started', at: startedAt });
  let cursor = 0;
  const lane = async (): Promise<void> => {
    while (cursor < total) {
      const row = cursor;
      cursor += 1;
      const index = order[row]!;
      const due = clock();
      log.seq[row] = command.firstSeq + index;
      log.scheduledAt[row] = due;
      counters.sent += 1;
      const status = await new Promise<number>((resolve) => post(agent, url, headers, bodies[index]!, resolve));
      log.latencyMs[row] = clock() - due;
      log.status[row] = status;
      counters.completed += 1;
      if (status >= 200 && status < 300) counters.ok += 1;
    }
  };
  await Promise.all(Array.from({ length: command.connections }, lane));
  const endedAt = clock();
  stopProgress();
  agent.destroy();
  return { ...log, startedAt, endedAt };
}

/** Agent replies, `concurrency` in flight, round-robin over the conversations. */
async function replies(command: RepliesCommand): Promise<ReplyLog> {
  const total = command.count;
  const agent = new Agent({ keepAlive: true, maxSockets: command.concurrency });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${command.token}` };
  const bodies = Array.from({ length: total }, (_, i) => Buffer.from(JSON.stringify({ text: replyText(i) })));
  const log = { submittedAt: new Float64Array(total), latencyMs: new Float64Array(total), status: new Int16Array(total) };
  const counters: Counters = { sent: 0, completed: 0, ok: 0 };
  const stopProgress = reportProgress(counters);
  const startedAt = clock();
  let cursor = 0;
  const lane = async (): Promise<void> => {
    while (cursor < total) {
      const i = cursor;
      cursor += 1;
      const conversation = command.conversationIds[i % command.conversationIds.length]!;
      const url = new URL(`/api/conversations/${encodeURIComponent(conversation)}/messages`, command.base);
      const at = clock();
      log.submittedAt[i] = at;
      counters.sent += 1;
      const status = await new Promise<number>((resolve) => post(agent, url, headers, bodies[i]!, resolve));
      log.latencyMs[i] = clock() - at;
      log.status[i] = status;
      counters.completed += 1;
      if (status === 202) counters.ok += 1;
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, lane));
  const endedAt = clock();
  stopProgress();
  agent.destroy();
  return { ...log, startedAt, endedAt };
}
