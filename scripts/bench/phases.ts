/**
 * One measured phase each: drive the load, wait for the pipeline to drain, and turn the raw
 * delivery log, the event stream and the process samples into the numbers of the report.
 */
import { sql } from 'kysely';
import type { FakeBotApi } from '../../test/fakes/telegram/bot-api.js';
import { openDatabase } from '../../src/store/database.js';
import type { GatewayChild } from './gateway.js';
import type { BurstCommand, DeliveryLog, LoadGenerator, Progress, SustainedCommand } from './load.js';
import { counterDelta, type CpuMeter, type EventObserver, eventLoopMonitor, type ProcessSampler, readCounters } from './observe.js';
import { type InboundPhase, type OutboundPhase, type ResourceUse, summarize } from './report.js';
import { clock, INBOUND_MARKER, REPLY_MARKER } from './traffic.js';

export interface PhaseContext {
  readonly gateway: GatewayChild;
  /** null for the ack-only gateway: nothing is stored or announced there. */
  readonly observer: EventObserver | null;
  readonly sampler: ProcessSampler;
  readonly cpu: CpuMeter;
  readonly load: LoadGenerator;
  readonly webhookUrl: string;
  readonly secret: string;
  readonly connections: number;
  /** Give up waiting for stragglers after this long without progress, or this long in total. */
  readonly stallMs: number;
  readonly capMs: number;
  /** Engine ceilings (messages/s) to set the phase's rate against. */
  readonly ceilings: Record<string, number>;
  readonly log: (line: string) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const isOk = (status: number): boolean => status >= 200 && status < 300;

/**
 * Measures a phase's resources: call at the start, then `finish(from, to)` at the end. Peaks are
 * the kernel's exact marks since the start where available, and the 250 ms samples otherwise.
 */
export function measureResources(sampler: ProcessSampler, meter: CpuMeter): { finish(from: number, to: number): ResourceUse } {
  sampler.resetPeaks();
  const loop = eventLoopMonitor();
  const cpuStart = meter.snapshot();
  return {
    finish(from, to) {
      const machine = meter.between(cpuStart, meter.snapshot());
      const benchEventLoop = loop.stop();
      const window = sampler.window(from, to);
      const marks = sampler.peaks();
      const peak = (name: string): number => maxOf(window.peakRssMb[name], marks[name]);
      const hasRedis = 'redis' in window.peakRssMb;
      return {
        gatewayPeakRssMb: peak('gateway'),
        gatewayEndRssMb: window.endRssMb.gateway ?? Number.NaN,
        gatewayCpuPercent: window.cpuPercent.gateway ?? Number.NaN,
        redisPeakRssMb: hasRedis ? peak('redis') : null,
        machine,
        benchEventLoop,
      };
    },
  };
}

/** The largest of the finite values, NaN if there is none. */
export function maxOf(...values: (number | undefined)[]): number {
  const finite = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
  return finite.length > 0 ? Math.max(...finite) : Number.NaN;
}

/** Least-squares slope of y over x. */
function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const denominator = n * sxx - sx * sx;
  return denominator === 0 ? Number.NaN : (n * sxy - sx * sy) / denominator;
}

/**
 * Sends a sustained or burst phase of webhook deliveries and measures it. `uniqueUpdates` are
 * sequences [firstSeq, firstSeq + uniqueUpdates).
 */
export async function runInboundPhase(
  context: PhaseContext,
  phase: { kind: InboundPhase['kind']; name: string; command: SustainedCommand | BurstCommand; uniqueUpdates: number },
): Promise<{ result: InboundPhase; acknowledged: Int32Array }> {
  const { observer, gateway } = context;
  const { command } = phase;
  const from = command.firstSeq;
  const to = from + phase.uniqueUpdates;
  if (observer && !observer.connected) await observer.connect();
  const countersBefore = await readCounters(gateway.url).catch(() => null);
  const measuring = measureResources(context.sampler, context.cpu);
  const backlog: [number, number, number][] = [];
  let startedAt = clock();
  let lastPrint = clock();
  const onProgress = (progress: Progress): void => {
    const seconds = (progress.at - startedAt) / 1000;
    backlog.push([seconds, progress.ok, observer ? observer.announcedIn(from, to) : 0]);
    if (progress.at - lastPrint >= 5_000) {
      lastPrint = progress.at;
      context.log(`    ${seconds.toFixed(0)} s: ${progress.completed} answered (${progress.ok} acked)${observer ? `, ${backlog.at(-1)![2]} announced` : ''}`);
    }
  };
  const deliveries: DeliveryLog = await context.load.run(command, onProgress, (at) => (startedAt = at));
  gateway.assertRunning();

  // Which updates were acknowledged, and when each was first due (duplicates share a sequence).
  const unique = phase.uniqueUpdates;
  const firstDue = new Float64Array(unique).fill(Number.POSITIVE_INFINITY);
  const acked = new Uint8Array(unique);
  const rejected: Record<string, number> = {};
  let ackedRequests = 0;
  for (let row = 0; row < deliveries.seq.length; row += 1) {
    const index = deliveries.seq[row]! - from;
    firstDue[index] = Math.min(firstDue[index]!, deliveries.scheduledAt[row]!);
    const status = deliveries.status[row]!;
    if (isOk(status)) {
      acked[index] = 1;
      ackedRequests += 1;
    } else {
      const key = status < 0 ? 'error' : String(status);
      rejected[key] = (rejected[key] ?? 0) + 1;
    }
  }
  const ackedSeqs: number[] = [];
  for (let index = 0; index < unique; index += 1) if (acked[index]) ackedSeqs.push(from + index);
  const acknowledged = Int32Array.from(ackedSeqs);

  // Drain: wait until every acknowledged update was announced, or nothing moves any more.
  let drained: boolean | null = null;
  if (observer) {
    const announcedOfAcked = (): number => ackedSeqs.reduce((n, seq) => n + (observer.announcements[seq]! > 0 ? 1 : 0), 0);
    const waitStart = clock();
    let last = -1;
    let lastChange = waitStart;
    for (;;) {
      const now = announcedOfAcked();
      if (now >= ackedSeqs.length) {
        drained = true;
        break;
      }
      if (now !== last) {
        last = now;
        lastChange = clock();
      }
      if (clock() - lastChange > context.stallMs || clock() - waitStart > context.capMs) {
        drained = false;
        context.log(`    gave up waiting: ${ackedSeqs.length - now} acknowledged updates not announced after ${((clock() - waitStart) / 1000).toFixed(0)} s`);
        break;
      }
      gateway.assertRunning();
      await sleep(50);
    }
  }
  const finishedAt = clock();

  const sendSeconds = (deliveries.endedAt - deliveries.startedAt) / 1000;
  const ackMs = summarize(deliveries.latencyMs);
  let e2eMs = null;
  let processedPerSec = null;
  let drainMs = null;
  let lost = null;
  let duplicated = null;
  if (observer) {
    const e2e: number[] = [];
    let lastAnnouncement = 0;
    let notAnnounced = 0;
    let announcedTwice = 0;
    for (const seq of ackedSeqs) {
      const seen = observer.firstSeen[seq]!;
      if (seen > 0) {
        e2e.push(seen - firstDue[seq - from]!);
        lastAnnouncement = Math.max(lastAnnouncement, seen);
      } else notAnnounced += 1;
    }
    for (let seq = from; seq < to; seq += 1) if (observer.announcements[seq]! > 1) announcedTwice += 1;
    e2eMs = summarize(e2e);
    processedPerSec = lastAnnouncement > 0 ? e2e.length / ((lastAnnouncement - deliveries.startedAt) / 1000) : 0;
    drainMs = lastAnnouncement > 0 ? Math.max(0, lastAnnouncement - deliveries.endedAt) : null;
    lost = { count: notAnnounced, notStored: null, storedButNotAnnounced: null };
    duplicated = { announcedTwice, extraRows: null };
  }

  // Kept up: over the second half of the sending window the backlog (acked − announced) did not
  // grow by more than 2 % of that half's messages — at least a quarter second's worth is allowed,
  // since the messages in flight fluctuate by about the rate × the end-to-end latency — and the
  // gateway answered everything it was offered, at ≥ 95 % of the pace, and drained.
  let keptUp = null;
  let backlogGrowthPerSec = null;
  if (phase.kind === 'sustained' && observer) {
    const rate = (command as SustainedCommand).rate;
    const half = sendSeconds / 2;
    const secondHalf = backlog.filter(([t]) => t >= half && t <= sendSeconds).map(([t, a, n]) => [t, a - n] as const);
    backlogGrowthPerSec = slope(secondHalf);
    const allowedGrowth = Math.max(0.02 * rate * half, 0.25 * rate);
    const ackPace = ackedRequests / Math.max(sendSeconds, (command as SustainedCommand).durationMs / 1000);
    keptUp = Number.isFinite(backlogGrowthPerSec) && backlogGrowthPerSec * half <= allowedGrowth && ackPace >= 0.95 * rate && Object.keys(rejected).length === 0 && drained === true;
  }

  const countersAfter = await readCounters(gateway.url).catch(() => null);
  const measuredRate = observer ? (processedPerSec ?? 0) : ackedRequests / sendSeconds;
  const vsCeilings: Record<string, number> = {};
  for (const [name, ceiling] of Object.entries(context.ceilings)) vsCeilings[name] = measuredRate / ceiling;
  const lag = phase.kind === 'sustained' ? summarize(deliveries.dispatchLagMs) : null;
  const resources = measuring.finish(deliveries.startedAt, finishedAt);
  const result: InboundPhase = {
    name: phase.name,
    kind: phase.kind,
    offeredRate: phase.kind === 'sustained' ? (command as SustainedCommand).rate : null,
    connections: context.connections,
    seqRange: [from, to],
    requests: deliveries.seq.length,
    uniqueUpdates: unique,
    duplicateDeliveries: deliveries.seq.length - unique,
    acked: ackedRequests,
    rejected,
    sendSeconds,
    ackedPerSec: ackedRequests / sendSeconds,
    ackMs,
    dispatchLagMs: lag ? { p99: lag.p99, max: lag.max } : null,
    e2eMs,
    processedPerSec,
    drainMs,
    drained,
    keptUp,
    backlogGrowthPerSec,
    backlog,
    lost,
    duplicated,
    resources,
    cpuMsPerUpdate: ((resources.gatewayCpuPercent / 100) * (finishedAt - deliveries.startedAt)) / unique,
    gatewayCounters: countersAfter && countersBefore ? counterDelta(countersAfter, countersBefore) : null,
    vsCeilings,
  };
  return { result, acknowledged };
}

/** Conversations of the Telegram channel, newest activity first, through the API's cursor paging. */
export async function listConversations(base: string, token: string, channelId: string, wanted: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  while (ids.length < wanted) {
    const query = new URLSearchParams({ channel: channelId, limit: '100', ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${base}/api/conversations?${query.toString()}`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET /api/conversations answered ${response.status}`);
    const page = (await response.json()) as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((c) => c.id));
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return ids.slice(0, wanted);
}

/**
 * Agent replies through the API to conversations the load created; the fake Bot API records when
 * each arrives. Every accepted reply must arrive exactly once.
 */
export async function runRepliesPhase(context: PhaseContext & { fake: FakeBotApi; token: string; channelId: string }, options: { replies: number; concurrency: number }): Promise<OutboundPhase> {
  const { gateway, fake } = context;
  const conversationIds = await listConversations(gateway.url, context.token, context.channelId, Math.min(options.replies, 1000));
  if (conversationIds.length === 0) throw new Error('no Telegram conversations to reply to (did the inbound phases store anything?)');
  const failedBefore = context.observer?.failedReplies ?? 0;
  const countersBefore = await readCounters(gateway.url).catch(() => null);
  const measuring = measureResources(context.sampler, context.cpu);
  const deliveredBefore = fake.delivered.length;
  const log = await context.load.run({ type: 'replies', base: gateway.url, token: context.token, conversationIds, count: options.replies, concurrency: options.concurrency });
  const rejected: Record<string, number> = {};
  let accepted = 0;
  for (const status of log.status) {
    if (status === 202) {
      accepted += 1;
      continue;
    }
    const key = status < 0 ? 'error' : String(status);
    rejected[key] = (rejected[key] ?? 0) + 1;
  }

  const arrivals = new Float64Array(options.replies);
  const copies = new Uint16Array(options.replies);
  let scanned = deliveredBefore;
  const scan = (): number => {
    for (; scanned < fake.delivered.length; scanned += 1) {
      const entry = fake.delivered[scanned]!;
      const match = REPLY_MARKER.exec(String(entry.params.text ?? ''));
      if (!match) continue;
      const index = Number(match[1]);
      if (index >= options.replies) continue;
      if (copies[index] === 0) arrivals[index] = entry.at;
      copies[index] = copies[index]! + 1;
    }
    let arrived = 0;
    for (let i = 0; i < options.replies; i += 1) if (copies[i]! > 0 && log.status[i] === 202) arrived += 1;
    return arrived;
  };
  const waitStart = clock();
  let last = -1;
  let lastChange = waitStart;
  for (;;) {
    const arrived = scan();
    if (arrived >= accepted) break;
    if (arrived !== last) {
      last = arrived;
      lastChange = clock();
    }
    if (clock() - lastChange > context.stallMs || clock() - waitStart > context.capMs) {
      context.log(`    gave up waiting: ${accepted - arrived} accepted replies not at the Bot API after ${((clock() - waitStart) / 1000).toFixed(0)} s`);
      break;
    }
    gateway.assertRunning();
    await sleep(50);
  }
  // Late copies (a retried send) would still show up: give them a moment.
  await sleep(1_000);
  scan();
  const finishedAt = clock();
  const resources = measuring.finish(log.startedAt, finishedAt);
  const countersAfter = await readCounters(gateway.url).catch(() => null);

  const submitToPlatform: number[] = [];
  const acceptToPlatform: number[] = [];
  let lastArrival = 0;
  let once = 0;
  let more = 0;
  let never = 0;
  for (let i = 0; i < options.replies; i += 1) {
    if (log.status[i] !== 202) continue;
    if (copies[i] === 0) {
      never += 1;
      continue;
    }
    if (copies[i] === 1) once += 1;
    else more += 1;
    submitToPlatform.push(arrivals[i]! - log.submittedAt[i]!);
    acceptToPlatform.push(arrivals[i]! - (log.submittedAt[i]! + log.latencyMs[i]!));
    lastArrival = Math.max(lastArrival, arrivals[i]!);
  }
  return {
    replies: options.replies,
    concurrency: options.concurrency,
    conversations: conversationIds.length,
    accepted,
    rejected,
    apiMs: summarize(log.latencyMs),
    deliveredPerSec: lastArrival > 0 ? submitToPlatform.length / ((lastArrival - log.startedAt) / 1000) : 0,
    submitToPlatformMs: summarize(submitToPlatform),
    acceptToPlatformMs: summarize(acceptToPlatform),
    deliveredOnce: once,
    deliveredMoreThanOnce: more,
    notDelivered: never,
    failedEvents: (context.observer?.failedReplies ?? 0) - failedBefore,
    databaseStatus: null,
    resources,
    gatewayCounters: countersAfter && countersBefore ? counterDelta(countersAfter, countersBefore) : null,
  };
}

export interface StoredCounts {
  /** Inbound rows per benchmark sequence number. */
  readonly inbound: Map<number, number>;
  /** Benchmark replies by status. */
  readonly replies: Record<string, number>;
}

/**
 * Counts what the database holds, once the gateway has stopped (PGlite lives inside the gateway
 * process, so only then can another process open it).
 */
export async function countStored(database: { url: string | undefined; dataDir: string }, channelId: string): Promise<StoredCounts> {
  const handle = await openDatabase({ url: database.url, dataDir: database.dataDir });
  try {
    const inbound = await sql<{ seq: string | null; n: number }>`
      select substring(text from ${INBOUND_MARKER.source}) as seq, count(*)::int as n
      from messages where channel_id = ${channelId} and direction = 'inbound'
      group by 1`.execute(handle.db);
    const replies = await sql<{ status: string; n: number }>`
      select status, count(*)::int as n from messages
      where channel_id = ${channelId} and direction = 'outbound' and text like ${'%(bench reply #%'}
      group by status`.execute(handle.db);
    return {
      inbound: new Map(inbound.rows.filter((r) => r.seq !== null).map((r) => [Number(r.seq), r.n])),
      replies: Object.fromEntries(replies.rows.map((r) => [r.status, r.n])),
    };
  } finally {
    await handle.close();
  }
}

/**
 * Fills in the database side of lost and duplicated: an acknowledged update missing from the
 * database is lost for good; one stored but never announced was missed by the live stream only.
 */
export function applyStoredCounts(phase: InboundPhase, acknowledged: Int32Array, observer: EventObserver, stored: StoredCounts): void {
  if (!phase.lost || !phase.duplicated) return;
  let notStored = 0;
  let storedButNotAnnounced = 0;
  for (const seq of acknowledged) {
    const rows = stored.inbound.get(seq) ?? 0;
    if (rows === 0) notStored += 1;
    else if (observer.announcements[seq] === 0) storedButNotAnnounced += 1;
  }
  let extraRows = 0;
  for (let seq = phase.seqRange[0]; seq < phase.seqRange[1]; seq += 1) extraRows += Math.max(0, (stored.inbound.get(seq) ?? 0) - 1);
  phase.lost.notStored = notStored;
  phase.lost.storedButNotAnnounced = storedButNotAnnounced;
  phase.duplicated.extraRows = extraRows;
}
