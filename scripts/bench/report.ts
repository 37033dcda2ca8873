/**
 * The benchmark's results: the JSON document (every raw number, for comparisons between runs) and
 * the table printed at the end (and saved as .md next to the JSON), with the targets of the
 * performance issue marked ✓ / ✗ / – (not measured by this run).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EngineResults } from './engines.js';
import type { CpuBreakdown, GatewayCounters } from './observe.js';

export interface Summary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentiles over all values (no sampling, no histogram buckets). */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort();
  const count = sorted.length;
  if (count === 0) return { count: 0, mean: Number.NaN, p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, max: Number.NaN };
  const rank = (p: number): number => sorted[Math.min(count - 1, Math.max(0, Math.ceil(p * count) - 1))]!;
  let sum = 0;
  for (const value of sorted) sum += value;
  return { count, mean: sum / count, p50: rank(0.5), p90: rank(0.9), p99: rank(0.99), max: sorted[count - 1]! };
}

export interface ResourceUse {
  /** Gateway process (`node dist/src/main.js`; includes PGlite when embedded). */
  readonly gatewayPeakRssMb: number;
  readonly gatewayEndRssMb: number;
  /** Mean CPU of the gateway over the phase, % of one core. */
  readonly gatewayCpuPercent: number;
  /** The embedded redis-server (a process of its own), when the gateway started one. */
  readonly redisPeakRssMb: number | null;
  /** Where the machine's CPU went: gateway, postgres, redis, the bench itself, anything else. */
  readonly machine: CpuBreakdown;
  /** The bench's own event loop (event stream, fake Bot API): high values mean late timestamps. */
  readonly benchEventLoop: { readonly p99Ms: number; readonly maxMs: number };
}

export interface InboundPhase {
  readonly name: string;
  readonly kind: 'sustained' | 'burst' | 'ack-only';
  /** Offered rate (sustained), or null (as fast as the connections allow). */
  readonly offeredRate: number | null;
  readonly connections: number;
  readonly seqRange: readonly [number, number];
  /** HTTP requests sent (duplicates included). */
  readonly requests: number;
  readonly uniqueUpdates: number;
  readonly duplicateDeliveries: number;
  /** Requests answered 2xx. */
  readonly acked: number;
  /** Non-2xx answers by status, and network errors/timeouts as "error". */
  readonly rejected: Record<string, number>;
  /** Seconds from the first scheduled request to the last answer. */
  readonly sendSeconds: number;
  readonly ackedPerSec: number;
  /** From the request's due time to its answer (client-side waits for a connection included). */
  readonly ackMs: Summary;
  /** How late the generator dispatched requests against its schedule (its own limits). */
  readonly dispatchLagMs: { readonly p99: number; readonly max: number } | null;
  /** From the (first) delivery's due time to its `message.created` on the agent event stream. */
  readonly e2eMs: Summary | null;
  /** Distinct messages announced per second, from the first delivery to the last announcement. */
  readonly processedPerSec: number | null;
  /** From the last webhook answer to the last announcement. */
  readonly drainMs: number | null;
  /** Whether everything acknowledged was announced before the wait for stragglers gave up. */
  readonly drained: boolean | null;
  /** Sustained only: the backlog (acked − announced) did not grow over the second half and acks kept pace. */
  readonly keptUp: boolean | null;
  /** Sustained only: least-squares growth of the backlog over the second half of the phase, messages/s. */
  readonly backlogGrowthPerSec: number | null;
  /** Every ~250 ms: seconds since start, acknowledged deliveries, announced messages. */
  readonly backlog: readonly (readonly [number, number, number])[];
  /** Acknowledged updates never announced; split by whether the database has them (filled in at the end). */
  readonly lost: { count: number; notStored: number | null; storedButNotAnnounced: number | null } | null;
  /** Updates announced more than once, and rows beyond one per update in the database. */
  readonly duplicated: { announcedTwice: number; extraRows: number | null } | null;
  readonly resources: ResourceUse;
  /** Gateway CPU time over the phase divided by the updates it received, ms. */
  readonly cpuMsPerUpdate: number;
  /** The gateway's own counters over the phase (from /metrics). */
  readonly gatewayCounters: GatewayCounters | null;
  /** processedPerSec (ackedPerSec for ack-only) divided by each engine ceiling. */
  readonly vsCeilings: Record<string, number>;
}

export interface OutboundPhase {
  readonly replies: number;
  readonly concurrency: number;
  readonly conversations: number;
  readonly accepted: number;
  readonly rejected: Record<string, number>;
  /** POST /api/conversations/:id/messages answer time. */
  readonly apiMs: Summary;
  /** Replies received by the fake Bot API per second, from the first submission to the last arrival. */
  readonly deliveredPerSec: number;
  /** From submitting the reply to the API to its arrival at the Bot API. */
  readonly submitToPlatformMs: Summary;
  /** From the API's 202 reaching the client to the arrival at the Bot API (can be negative: the send may beat the answer). */
  readonly acceptToPlatformMs: Summary;
  readonly deliveredOnce: number;
  readonly deliveredMoreThanOnce: number;
  readonly notDelivered: number;
  /** `message.updated` events with status failed during the phase. */
  readonly failedEvents: number;
  /** Outbound rows of this phase by status in the database (filled in at the end). */
  databaseStatus: Record<string, number> | null;
  readonly resources: ResourceUse;
  readonly gatewayCounters: GatewayCounters | null;
}

export interface Target {
  readonly name: string;
  readonly measured: string;
  /** null = this run did not measure it (e.g. --quick rates below the target). */
  readonly pass: boolean | null;
}

export interface BenchReport {
  readonly tool: 'switchboard-bench';
  readonly version: 1;
  /** Names this run's database (`bench_<runId>`) and Redis prefix (`bench<runId>`), both removed afterwards. */
  readonly runId: string;
  readonly startedAt: string;
  finishedAt: string;
  readonly argv: readonly string[];
  readonly options: Record<string, unknown>;
  readonly machine: Record<string, unknown>;
  readonly database: 'postgres' | 'pglite';
  engines: EngineResults | null;
  /** Express + BullMQ only (ROLE=api gateway, no worker); null when not measured, with the reason. */
  ackOnly: InboundPhase | null;
  ackOnlySkipped: string | null;
  gateway: {
    startMs: number;
    idleRssMb: number;
    idleRedisRssMb: number | null;
    /** Highest gateway RSS over the run: the kernel's per-phase peak marks (VmHWM) and the 250 ms samples. */
    peakRssMbWholeRun: number;
    rssAfterRunMb: number | null;
    channelStatus: string;
    /** 1 s resolution: seconds since the gateway started, gateway RSS MB, gateway CPU % of a core. */
    timeline: (readonly [number, number, number])[];
  } | null;
  phases: InboundPhase[];
  outbound: OutboundPhase | null;
  targets: Target[];
  /** Anything lost or duplicated, a crash, a dropped event stream: what makes the run fail. */
  problems: string[];
  ok: boolean;
}

const fmt = (value: number | null | undefined, digits = 0): string =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ms = (summary: Summary | null): string => (summary && summary.count > 0 ? `${fmt(summary.p50, 1)} / ${fmt(summary.p99, 1)}` : '–');
const mark = (pass: boolean | null): string => (pass === null ? '–' : pass ? '✓' : '✗');
const cpu = (r: ResourceUse): string => {
  const c = r.machine.percentOfCore;
  return `${fmt(r.gatewayCpuPercent)} · ${fmt(c.postgres)} · ${fmt(c.redis)} · ${fmt(c.bench)} · ${fmt(c.other)} (${fmt(r.machine.machineBusyPercent)} %)`;
};

/** Sets the verdict and the targets from the phases (after the database check filled in lost/duplicated). */
export function evaluate(report: BenchReport): void {
  const problems = report.problems;
  for (const phase of report.phases) {
    if (phase.lost && phase.lost.count > 0) problems.push(`${phase.name}: ${phase.lost.count} acknowledged updates never announced (${phase.lost.notStored ?? '?'} not in the database)`);
    const doubled = phase.duplicated ? phase.duplicated.announcedTwice + (phase.duplicated.extraRows ?? 0) : 0;
    if (phase.duplicated && doubled > 0) problems.push(`${phase.name}: duplicated — ${phase.duplicated.announcedTwice} announced twice, ${phase.duplicated.extraRows ?? '?'} extra rows`);
  }
  const out = report.outbound;
  if (out) {
    if (out.notDelivered > 0) problems.push(`replies: ${out.notDelivered} accepted replies never reached the Bot API`);
    if (out.deliveredMoreThanOnce > 0) problems.push(`replies: ${out.deliveredMoreThanOnce} replies reached the Bot API more than once`);
    if (out.failedEvents > 0) problems.push(`replies: ${out.failedEvents} replies ended failed`);
  }
  report.targets = targets(report);
  report.ok = problems.length === 0;
}

function targets(report: BenchReport): Target[] {
  const list: Target[] = [];
  const sustained = report.phases.filter((p) => p.kind === 'sustained');
  const clean = (p: InboundPhase): boolean => p.keptUp === true && (p.lost?.count ?? 0) === 0 && (p.duplicated?.announcedTwice ?? 0) === 0 && (p.duplicated?.extraRows ?? 0) === 0;
  const best = Math.max(0, ...sustained.filter(clean).map((p) => p.offeredRate ?? 0));
  const highest = Math.max(0, ...sustained.map((p) => p.offeredRate ?? 0));
  const goal = report.database === 'postgres' ? 2000 : 500;
  // For context when no phase kept up: the most the pipeline stored and announced per second.
  const fastest = Math.max(0, ...sustained.map((p) => p.processedPerSec ?? 0));
  const context = `; highest stored+announced ${fmt(fastest)}/s`;
  list.push({
    name: `sustained ≥ ${fmt(goal)} msg/s on ${report.database} (kept up, nothing lost or doubled)`,
    measured: sustained.length === 0 ? 'no sustained phase' : `best kept-up offered rate ${fmt(best)}/s${context}`,
    pass: sustained.length === 0 ? null : best >= goal ? true : highest < goal ? null : false,
  });
  const at1000 = sustained.find((p) => p.offeredRate === 1000);
  list.push({ name: 'at 1,000 msg/s offered: webhook ack p99 ≤ 20 ms', measured: at1000 ? `${fmt(at1000.ackMs.p99, 1)} ms` : 'rate 1,000/s not run', pass: at1000 ? at1000.ackMs.p99 <= 20 : null });
  list.push({
    name: 'at 1,000 msg/s offered: end-to-end p99 ≤ 100 ms',
    measured: at1000?.e2eMs ? `${fmt(at1000.e2eMs.p99, 1)} ms` : 'rate 1,000/s not run',
    pass: at1000?.e2eMs ? at1000.e2eMs.p99 <= 100 : null,
  });
  if (report.database === 'postgres') {
    const ceiling = report.ackOnly?.ackedPerSec;
    list.push({
      name: 'sustained rate ≥ 50 % of the express + BullMQ ack-only ceiling',
      measured: ceiling ? `${fmt(best)} / ${fmt(ceiling)} = ${fmt((best / ceiling) * 100)} %${context} = ${fmt((fastest / ceiling) * 100)} %` : `not measured (${report.ackOnlySkipped ?? 'skipped'})`,
      pass: ceiling && sustained.length > 0 ? best / ceiling >= 0.5 : null,
    });
  }
  const out = report.outbound;
  list.push({ name: 'outbound ≥ 1,000 replies/s', measured: out ? `${fmt(out.deliveredPerSec)}/s` : 'not run', pass: out ? out.deliveredPerSec >= 1000 : null });
  const burst = report.phases.find((p) => p.kind === 'burst');
  list.push({ name: 'gateway RSS ≤ 300 MB peak during the burst', measured: burst ? `${fmt(burst.resources.gatewayPeakRssMb)} MB` : 'no burst', pass: burst ? burst.resources.gatewayPeakRssMb <= 300 : null });
  list.push({ name: 'gateway RSS ≤ 150 MB idle', measured: report.gateway ? `${fmt(report.gateway.idleRssMb)} MB` : 'not started', pass: report.gateway ? report.gateway.idleRssMb <= 150 : null });
  list.push({ name: 'nothing lost, nothing duplicated (exit code)', measured: report.problems.length === 0 ? 'none' : `${report.problems.length} problem(s)`, pass: report.problems.length === 0 });
  return list;
}

export function renderMarkdown(report: BenchReport): string {
  const m = report.machine as { cpus?: number; cpuModel?: string; totalMemoryMb?: number; node?: string; commit?: string; loadAverageAtStart?: number[] };
  const lines: string[] = [];
  lines.push(`## Switchboard benchmark — ${report.startedAt}`);
  lines.push('');
  lines.push(
    `${report.database === 'postgres' ? ['PostgreSQL', report.engines?.database.server_version].filter(Boolean).join(' ') : 'embedded PGlite'} · ${report.engines ? `Redis ${report.engines.redis.version} (${report.engines.redis.kind}) · ` : ''}${m.cpus} × ${m.cpuModel} · ${fmt((m.totalMemoryMb ?? 0) / 1024, 1)} GB · Node ${m.node} · commit ${m.commit} · load average at start ${m.loadAverageAtStart?.map((l) => l.toFixed(2)).join(' ')}`,
  );
  lines.push('');
  if (report.engines) {
    const e = report.engines;
    lines.push('**Engine ceilings** (same machine, gateway not running)');
    lines.push('');
    lines.push('| engine | measured |');
    lines.push('|---|---|');
    for (const q of e.queue) {
      lines.push(`| BullMQ ${q.mode === 'add' ? `add (${q.producers} concurrent producers)` : 'addBulk (100 per call)'} → no-op worker (concurrency ${q.workerConcurrency}) | ${fmt(q.addedPerSec)} added/s · ${fmt(q.processedPerSec)} processed/s |`);
    }
    for (const [index, w] of e.write.entries()) {
      const how = w.batchSize > 1 ? `${w.callers} transactions in flight × up to ${w.batchSize} messages` : `one message per call, ${w.callers} concurrent callers`;
      lines.push(`| ${w.database} \`${w.function}\` (${how})${index === 0 ? ' — as the inbound worker writes' : ''} | ${fmt(w.perSec)} messages/s · call p50/p99 ${ms(w.callMs)} ms |`);
    }
    lines.push(`| telegraf \`sendMessage\` → fake Bot API (${e.botApi.concurrency} concurrent, as the outbound worker) | ${fmt(e.botApi.sendsPerSec)} sends/s · call p50/p99 ${ms(e.botApi.callMs)} ms |`);
    if (e.desk) lines.push(`| desk inbound filters in \`sink.accept()\` (wallet safety's detector; one core) | ${e.desk.ordinaryUsPerMessage.toFixed(1)} µs per bench message · ${e.desk.secretUsPerMessage.toFixed(1)} µs per message with a secret |`);
    if (report.ackOnly) lines.push(`| express + BullMQ ack-only (ROLE=api gateway, ${report.ackOnly.connections} connections) | ${fmt(report.ackOnly.ackedPerSec)} acks/s · ack p50/p99 ${ms(report.ackOnly.ackMs)} ms |`);
    else lines.push(`| express + BullMQ ack-only | not measured: ${report.ackOnlySkipped ?? 'skipped'} |`);
    lines.push('');
  }
  if (report.gateway) {
    const g = report.gateway;
    lines.push(
      `**Gateway** started in ${fmt(g.startMs)} ms · idle RSS ${fmt(g.idleRssMb)} MB${g.idleRedisRssMb !== null ? ` (+ embedded redis-server ${fmt(g.idleRedisRssMb)} MB)` : ''} · peak over the run ${fmt(g.peakRssMbWholeRun)} MB · after the run ${fmt(g.rssAfterRunMb)} MB · Telegram channel ${g.channelStatus}`,
    );
    lines.push('');
  }
  if (report.phases.length > 0) {
    lines.push('| phase | offered/s | acked/s | stored+announced/s | ack p50 / p99 ms | e2e p50 / p99 ms | kept up | drain s | lost | dup | peak RSS MB | gateway event loop p99 / max ms | gateway CPU ms/update | CPU % of a core: gateway · postgres · redis · bench · other (machine busy %) |');
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const p of report.phases) {
      const dup = p.duplicated ? p.duplicated.announcedTwice + (p.duplicated.extraRows ?? 0) : null;
      const rejected = Object.values(p.rejected).reduce((a, b) => a + b, 0);
      lines.push(
        `| ${p.name}${rejected > 0 ? ` (${fmt(rejected)} not acked)` : ''} | ${p.offeredRate === null ? 'max' : fmt(p.offeredRate)} | ${fmt(p.ackedPerSec)} | ${fmt(p.processedPerSec)} | ${ms(p.ackMs)} | ${ms(p.e2eMs)} | ${p.keptUp === null ? '–' : p.keptUp ? 'yes' : 'no'} | ${p.drainMs === null ? '–' : fmt(p.drainMs / 1000, 1)} | ${p.lost ? fmt(p.lost.count) : '–'} | ${fmt(dup)} | ${fmt(p.resources.gatewayPeakRssMb)}${p.resources.redisPeakRssMb !== null ? ` (+${fmt(p.resources.redisPeakRssMb)})` : ''} | ${p.gatewayCounters ? `${fmt(p.gatewayCounters.eventLoopP99Ms)} / ${fmt(p.gatewayCounters.eventLoopMaxMs)}` : '–'} | ${fmt(p.cpuMsPerUpdate, 2)} | ${cpu(p.resources)} |`,
      );
    }
    lines.push('');
    const ceilingNames = Object.keys(report.phases[0]?.vsCeilings ?? {});
    if (ceilingNames.length > 0) {
      lines.push(`Stored+announced rate as a share of each ceiling: ${report.phases.map((p) => `${p.name}: ${ceilingNames.map((n) => `${fmt((p.vsCeilings[n] ?? Number.NaN) * 100)} % of ${n}`).join(', ')}`).join(' · ')}`);
      lines.push('');
    }
  }
  const out = report.outbound;
  if (out) {
    lines.push(
      `**Replies** (${fmt(out.replies)} through the API, ${out.concurrency} in flight, ${fmt(out.conversations)} conversations, Telegram rate limits off): ${fmt(out.deliveredPerSec)} delivered/s${report.engines ? ` (${fmt((out.deliveredPerSec / report.engines.botApi.sendsPerSec) * 100)} % of the Bot API client ceiling)` : ''} · API p50/p99 ${ms(out.apiMs)} ms · submit → Bot API p50/p99 ${ms(out.submitToPlatformMs)} ms · 202 → Bot API p50/p99 ${ms(out.acceptToPlatformMs)} ms · delivered once ${fmt(out.deliveredOnce)}, more than once ${fmt(out.deliveredMoreThanOnce)}, never ${fmt(out.notDelivered)}, failed ${fmt(out.failedEvents)} · peak RSS ${fmt(out.resources.gatewayPeakRssMb)} MB · CPU % of a core: gateway · postgres · redis · bench · other ${cpu(out.resources)}`,
    );
    lines.push('');
  }
  lines.push('| target | measured | |');
  lines.push('|---|---|---|');
  for (const t of report.targets) lines.push(`| ${t.name} | ${t.measured} | ${mark(t.pass)} |`);
  lines.push('');
  lines.push(report.ok ? '**Nothing lost, nothing duplicated.**' : `**FAILED:** ${report.problems.join('; ')}`);
  return `${lines.join('\n')}\n`;
}

export function writeReport(report: BenchReport, jsonPath: string): string {
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`);
  const markdown = renderMarkdown(report);
  writeFileSync(jsonPath.replace(/\.json$/, '') + '.md', markdown);
  return markdown;
}
