/**
 * `npm run bench`: how fast Switchboard moves Telegram webhooks into the inbox and replies back
 * out on this machine, set against the ceilings of the engines it is built on. See the README's
 * "Performance" section for what each number means.
 *
 * Order of a run: engine ceilings (BullMQ, the database write) → the express + BullMQ ack-only
 * ceiling (a ROLE=api gateway; Postgres + Redis only) → the gateway (`node dist/src/main.js`)
 * idle → sustained phases at fixed offered rates → a burst with duplicates → agent replies →
 * database check of what was stored → JSON + table. Exit 1 if anything was lost or duplicated,
 * 2 if the benchmark itself failed.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { envSchema } from '../../config/env.js';
import { projectRoot } from '../../src/runtime/paths.js';
import { FakeBotApi } from '../../test/fakes/telegram/bot-api.js';
import { measureEngines } from './engines.js';
import { deleteKeys, type Engines, GatewayChild, type GatewaySettings, newRunId, provisionEngines } from './gateway.js';
import { LoadGenerator, sustainedCount } from './load.js';
import { CpuMeter, EventObserver, ProcessSampler, readPeakRssMb } from './observe.js';
import { applyStoredCounts, countStored, maxOf, type PhaseContext, runInboundPhase, runRepliesPhase } from './phases.js';
import { type BenchReport, evaluate, type InboundPhase, writeReport } from './report.js';
import { clock } from './traffic.js';

const HELP = `npm run bench -- [options]

  --quick               short smoke run: rates 200,400 for 3 s, burst 2,000, 200 replies
  --rates <list>        offered rates of the sustained phases, msg/s   (default 500,1000,2000,4000)
  --duration <s>        seconds per sustained phase                      (default 30)
  --burst <n>           updates in the burst phase, 0 = none             (default 50000; +5 % duplicates)
  --replies <n>         agent replies in the outbound phase, 0 = none    (default 5000)
  --ack-only <n>        updates for the express + BullMQ ack-only ceiling, 0 = none (default 20000)
  --connections <n>     concurrent webhook connections                   (default 40, Telegram's default)
  --out <file.json>     results file; a .md table is written next to it  (default bench-results/<time>.json)
  --engines-only        only the engine ceilings
  --skip-engines        no engine ceilings
  --profile             write a V8 CPU profile of the gateway (.cpuprofile) next to the results
  --desk <json>         the channels file's desk: section (default: none, so every desk default
                        applies); e.g. '{"autoAck":false,"sla":[]}' to measure without them

Environment: DATABASE_URL (a fresh database bench_<time> is created there and dropped after; unset →
embedded PGlite), REDIS_URL (keys under a fresh prefix, removed after; unset → the gateway's own
redis-server), WORKER_CONCURRENCY and LOG_LEVEL are passed to the gateway.`;

interface Options {
  readonly quick: boolean;
  readonly rates: number[];
  readonly durationS: number;
  readonly burst: number;
  readonly duplicateRatio: number;
  readonly replies: number;
  readonly replyConcurrency: number;
  readonly ackOnly: number;
  readonly connections: number;
  readonly out: string;
  readonly enginesOnly: boolean;
  readonly skipEngines: boolean;
  readonly profile: boolean;
  readonly engineJobs: number;
  readonly engineWrites: number;
  readonly customers: number;
  readonly seed: number;
  /** Quiet time before the first phase (idle memory) and after the last. */
  readonly settleMs: number;
  /** Between phases, so one phase's tail does not run into the next. */
  readonly pauseMs: number;
  /** The channels file's `desk:` section; undefined = the defaults. */
  readonly desk: Record<string, unknown> | undefined;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      rates: { type: 'string' },
      duration: { type: 'string' },
      burst: { type: 'string' },
      replies: { type: 'string' },
      'ack-only': { type: 'string' },
      connections: { type: 'string' },
      out: { type: 'string' },
      'engines-only': { type: 'boolean', default: false },
      'skip-engines': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      desk: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const count = (name: string, value: string | undefined, fallback: number, min = 0): number => {
    if (value === undefined) return fallback;
    const parsed = Number(value.replace(/[_,]/g, ''));
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`--${name} expects an integer ≥ ${min}, got "${value}"`);
    return parsed;
  };
  const rates = values.rates === undefined ? (quick ? [200, 400] : [500, 1000, 2000, 4000]) : values.rates.split(',').filter((r) => r.trim() !== '').map((r) => count('rates', r.trim(), 0, 1));
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  if (values['engines-only'] && values['skip-engines']) throw new Error('--engines-only and --skip-engines exclude each other');
  return {
    quick,
    rates,
    durationS: count('duration', values.duration, quick ? 3 : 30, 1),
    burst: count('burst', values.burst, quick ? 2_000 : 50_000),
    duplicateRatio: 0.05,
    replies: count('replies', values.replies, quick ? 200 : 5_000),
    replyConcurrency: 50,
    ackOnly: count('ack-only', values['ack-only'], quick ? 2_000 : 20_000),
    connections: count('connections', values.connections, 40, 1),
    out: resolve(values.out ?? join(projectRoot, 'bench-results', `${stamp}.json`)),
    enginesOnly: values['engines-only'] ?? false,
    skipEngines: values['skip-engines'] ?? false,
    profile: values.profile ?? false,
    engineJobs: quick ? 2_000 : 20_000,
    engineWrites: quick ? 500 : 10_000,
    customers: 10_000,
    seed: 20_240_611,
    settleMs: quick ? 2_000 : 5_000,
    pauseMs: quick ? 500 : 2_000,
    desk: values.desk === undefined ? undefined : deskOption(values.desk),
  };
}

function deskOption(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`--desk expects a JSON object, got "${text}"`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('--desk expects a JSON object');
  return value as Record<string, unknown>;
}

function machineInfo(): Record<string, unknown> {
  const git = (...args: string[]): string => {
    try {
      return execFileSync('git', args, { cwd: projectRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return 'unknown';
    }
  };
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    commit: git('rev-parse', '--short=12', 'HEAD'),
    uncommittedChanges: git('status', '--porcelain', '--untracked-files=no') !== '',
    loadAverageAtStart: os.loadavg(),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function login(base: string, admin: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  if (response.status !== 200) throw new Error(`admin login failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** The Telegram channel's status as the API reports it, once the first check ran (or after 10 s). */
async function channelStatus(base: string, token: string, channelId: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  let status = 'unknown';
  while (Date.now() < deadline) {
    const response = await fetch(`${base}/api/channels`, { headers: { authorization: `Bearer ${token}` } });
    const channels = (await response.json()) as { id: string; status: string; error?: string | null }[];
    const channel = channels.find((c) => c.id === channelId);
    status = channel ? `${channel.status}${channel.error ? ` (${channel.error})` : ''}` : 'missing';
    if (channel && channel.status !== 'unknown' && channel.status !== 'starting') break;
    await sleep(250);
  }
  return status;
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const runId = newRunId();
  const scratch = mkdtempSync(join(os.tmpdir(), 'switchboard-bench-'));
  mkdirSync(dirname(options.out), { recursive: true });
  const cleanup: (() => Promise<void>)[] = [async () => rmSync(scratch, { recursive: true, force: true })];
  const runCleanup = async (): Promise<void> => {
    for (const step of cleanup.splice(0).reverse()) await step().catch((error: unknown) => log(`cleanup step failed: ${(error as Error).message}`));
  };
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    log('\ninterrupted: stopping the gateway and removing the benchmark database and keys …');
    void runCleanup().then(() => process.exit(130));
  });

  const env = { databaseUrl: process.env.DATABASE_URL || undefined, redisUrl: process.env.REDIS_URL || undefined };
  const extraEnv: Record<string, string> = {};
  for (const name of ['WORKER_CONCURRENCY', 'LOG_LEVEL'] as const) if (process.env[name]) extraEnv[name] = process.env[name]!;
  // The gateway's own default when WORKER_CONCURRENCY is not set, so the ceilings use what the gateway uses.
  const workerConcurrency = envSchema.shape.WORKER_CONCURRENCY.parse(extraEnv.WORKER_CONCURRENCY);
  const report: BenchReport = {
    tool: 'switchboard-bench',
    version: 1,
    runId,
    startedAt: new Date().toISOString(),
    finishedAt: '',
    argv: process.argv.slice(2),
    options: { ...options, workerConcurrency },
    machine: machineInfo(),
    database: env.databaseUrl ? 'postgres' : 'pglite',
    engines: null,
    ackOnly: null,
    ackOnlySkipped: null,
    gateway: null,
    phases: [],
    outbound: null,
    targets: [],
    problems: [],
    ok: false,
  };
  let failed = false;
  try {
    log(`Switchboard benchmark (${options.quick ? 'quick' : 'full'}) on ${report.database}${env.redisUrl ? ' + REDIS_URL' : ' + embedded redis-server'}; results → ${options.out}`);
    const engines = await provisionEngines(env, runId);
    cleanup.push(() => engines.release());

    if (!options.skipEngines) {
      log('Engine ceilings …');
      report.engines = await measureEngines({
        engines,
        scratchDir: scratch,
        jobs: options.engineJobs,
        writes: options.engineWrites,
        producers: options.connections,
        workerConcurrency,
        customers: options.customers,
        seed: options.seed,
        log,
      });
    }
    if (!options.enginesOnly) await runGateway(report, options, engines, scratch, extraEnv, cleanup);
  } catch (error) {
    failed = true;
    report.problems.push(`the benchmark failed: ${(error as Error).stack ?? String(error)}`);
  } finally {
    if (!interrupted) await runCleanup();
  }
  (report.machine as Record<string, unknown>).loadAverageAtEnd = os.loadavg();
  report.finishedAt = new Date().toISOString();
  evaluate(report);
  const table = writeReport(report, options.out);
  log('');
  log(table);
  log(`Results: ${options.out} (and .md)`);
  return failed ? 2 : report.ok ? 0 : 1;
}

/** Everything that needs the gateway running: the ack-only ceiling, then the measured phases. */
async function runGateway(report: BenchReport, options: Options, engines: Engines, scratch: string, extraEnv: Record<string, string>, cleanup: (() => Promise<void>)[]): Promise<void> {
  const channelId = 'tg';
  const secret = randomBytes(24).toString('base64url');
  const admin = { email: 'bench@localhost', password: randomBytes(18).toString('base64url') };
  const fake = await FakeBotApi.start();
  cleanup.push(() => fake.stop());
  const channelsFile = join(scratch, 'channels.json');
  // rateLimits off: the outbound phase measures the gateway, not Telegram's 30 messages/s.
  writeFileSync(
    channelsFile,
    JSON.stringify({
      channels: [{ id: channelId, kind: 'telegram', token: fake.token, mode: 'webhook', secretToken: secret, apiRoot: fake.url, rateLimits: false }],
      ...(options.desk ? { desk: options.desk } : {}),
    }),
  );
  const load = LoadGenerator.start({ customers: options.customers, seed: options.seed });
  cleanup.push(() => load.stop());
  const logFile = options.out.replace(/\.json$/, '') + '.gateway.log';
  const profileDir = options.profile ? dirname(options.out) : undefined;
  const settings = (role: 'all' | 'api', dataDir: string, redisPrefix: string): GatewaySettings => ({ dataDir, channelsFile, engines, redisPrefix, role, admin, extraEnv, logFile, ...(role === 'all' && profileDir ? { profileDir } : {}) });

  // Sequence numbers: each phase its own range, so every announcement maps to one phase.
  const sustainedSizes = options.rates.map((rate) => sustainedCount(rate, options.durationS * 1000));
  // The ack-only gateway gets a short warm-up (JIT, connections) before it is measured.
  const ackOnlyWarmup = Math.min(1_000, Math.ceil(options.ackOnly / 10));
  const capacity = ackOnlyWarmup + options.ackOnly + sustainedSizes.reduce((a, b) => a + b, 0) + options.burst + 1;
  let nextSeq = 0;
  const take = (count: number): number => {
    const first = nextSeq;
    nextSeq += count;
    return first;
  };
  const ceilings: Record<string, number> = {};
  const addCeiling = report.engines?.queue.find((q) => q.mode === 'add');
  if (addCeiling) ceilings['BullMQ add→no-op worker'] = addCeiling.processedPerSec;
  const write = report.engines?.write[0];
  if (write) ceilings[`${write.database} ${write.function}`] = write.perSec;
  const stallMs = 20_000;
  const capMs = 600_000;

  // 1. express + BullMQ alone: a ROLE=api gateway queues, nothing consumes.
  if (options.ackOnly > 0 && engines.databaseUrl && engines.redisUrl) {
    log(`Ack-only ceiling: ROLE=api gateway, ${options.ackOnly} updates over ${options.connections} connections …`);
    const prefix = `${engines.redisPrefix}a`;
    const api = await GatewayChild.start(settings('api', join(scratch, 'api'), prefix));
    const sampler = new ProcessSampler({ gateway: api.pid });
    const cpu = new CpuMeter({ gateway: api.pid });
    try {
      const webhookUrl = `${api.url}/webhooks/${channelId}`;
      await load.run({ type: 'burst', url: webhookUrl, secret, count: ackOnlyWarmup, duplicateRatio: 0, firstSeq: take(ackOnlyWarmup), connections: options.connections });
      const { result } = await runInboundPhase(
        { gateway: api, observer: null, sampler, cpu, load, webhookUrl, secret, connections: options.connections, stallMs, capMs, ceilings, log },
        {
          kind: 'ack-only',
          name: 'ack-only (ROLE=api)',
          uniqueUpdates: options.ackOnly,
          command: { type: 'burst', url: webhookUrl, secret, count: options.ackOnly, duplicateRatio: 0, firstSeq: take(options.ackOnly), connections: options.connections },
        },
      );
      report.ackOnly = result;
      ceilings['ack-only'] = result.ackedPerSec;
      log(`  ${Math.round(result.ackedPerSec)} acks/s, ack p50/p99 ${result.ackMs.p50.toFixed(1)}/${result.ackMs.p99.toFixed(1)} ms`);
    } finally {
      sampler.stop();
      await api.stop();
      await deleteKeys(engines.redisUrl, prefix);
    }
  } else {
    report.ackOnlySkipped = options.ackOnly === 0 ? '--ack-only 0' : 'ROLE=api needs DATABASE_URL and REDIS_URL (the embedded engines serve one process only)';
  }

  // 2. The gateway under test.
  log('Starting the gateway …');
  const gatewayDir = join(scratch, 'gateway');
  const gateway = await GatewayChild.start(settings('all', gatewayDir, engines.redisPrefix));
  let stopped = false;
  cleanup.push(async () => {
    if (!stopped) await gateway.stop();
  });
  const redisPid = engines.redisUrl ? undefined : gateway.embeddedRedisPid();
  const watched = { gateway: gateway.pid, ...(redisPid ? { redis: redisPid } : {}) };
  const sampler = new ProcessSampler(watched);
  const cpu = new CpuMeter(watched);
  cleanup.push(async () => sampler.stop());
  const gatewayStarted = clock() - gateway.startMs;
  const token = await login(gateway.url, admin);
  const status = await channelStatus(gateway.url, token, channelId);
  // Idle: started, channel checked, nothing sent yet.
  await sleep(options.settleMs);
  const idle = sampler.sample();
  report.gateway = {
    startMs: gateway.startMs,
    idleRssMb: idle.rssMb.gateway!,
    idleRedisRssMb: redisPid ? idle.rssMb.redis! : null,
    peakRssMbWholeRun: Number.NaN,
    rssAfterRunMb: null,
    channelStatus: status,
    timeline: [],
  };
  log(`  up in ${Math.round(gateway.startMs)} ms, idle RSS ${Math.round(idle.rssMb.gateway!)} MB${redisPid ? ` (+ redis-server ${Math.round(idle.rssMb.redis!)} MB)` : ''}, Telegram channel ${status}`);

  const observer = new EventObserver(capacity, gateway.url, token);
  cleanup.push(async () => observer.close());
  await observer.connect();
  const context: PhaseContext = { gateway, observer, sampler, cpu, load, webhookUrl: `${gateway.url}/webhooks/${channelId}`, secret, connections: options.connections, stallMs, capMs, ceilings, log };
  const acknowledged = new Map<InboundPhase, Int32Array>();

  for (const [index, rate] of options.rates.entries()) {
    log(`Sustained ${rate} msg/s for ${options.durationS} s …`);
    const size = sustainedSizes[index]!;
    const { result, acknowledged: seqs } = await runInboundPhase(context, {
      kind: 'sustained',
      name: `sustained ${rate}/s`,
      uniqueUpdates: size,
      command: { type: 'sustained', url: context.webhookUrl, secret, rate, durationMs: options.durationS * 1000, firstSeq: take(size), connections: options.connections },
    });
    report.phases.push(result);
    acknowledged.set(result, seqs);
    log(summaryLine(result));
    await sleep(options.pauseMs);
  }

  if (options.burst > 0) {
    log(`Burst of ${options.burst} updates (+${Math.round(options.burst * options.duplicateRatio)} duplicates) over ${options.connections} connections …`);
    const { result, acknowledged: seqs } = await runInboundPhase(context, {
      kind: 'burst',
      name: 'burst',
      uniqueUpdates: options.burst,
      command: { type: 'burst', url: context.webhookUrl, secret, count: options.burst, duplicateRatio: options.duplicateRatio, firstSeq: take(options.burst), connections: options.connections },
    });
    report.phases.push(result);
    acknowledged.set(result, seqs);
    log(summaryLine(result));
    await sleep(options.pauseMs);
  }

  if (options.replies > 0) {
    log(`Agent replies: ${options.replies} through the API, ${options.replyConcurrency} in flight …`);
    report.outbound = await runRepliesPhase({ ...context, fake, token, channelId }, { replies: options.replies, concurrency: options.replyConcurrency });
    const out = report.outbound;
    log(`  ${Math.round(out.deliveredPerSec)} replies/s at the Bot API, submit → Bot API p50/p99 ${out.submitToPlatformMs.p50.toFixed(1)}/${out.submitToPlatformMs.p99.toFixed(1)} ms, ${out.notDelivered} never arrived, ${out.deliveredMoreThanOnce} more than once`);
  }

  // After the load: does the memory come back down?
  await sleep(options.settleMs);
  report.gateway.rssAfterRunMb = sampler.sample().rssMb.gateway ?? null;
  // The kernel's mark is reset per phase; the whole run's peak is the highest of the phases' and the samples'.
  report.gateway.peakRssMbWholeRun = maxOf(
    readPeakRssMb(gateway.pid),
    ...sampler.samples.map((s) => s.rssMb.gateway),
    ...report.phases.map((p) => p.resources.gatewayPeakRssMb),
    report.outbound?.resources.gatewayPeakRssMb,
  );
  report.gateway.timeline = timeline(sampler, gatewayStarted);
  if (observer.drops > 0) report.problems.push(`the event stream was dropped ${observer.drops} time(s) by the server (a slow reader); announcements in the gaps count as lost`);
  observer.close();
  sampler.stop();
  await gateway.stop();
  stopped = true;

  log('Checking the database …');
  const stored = await countStored({ url: engines.databaseUrl, dataDir: gatewayDir }, channelId);
  for (const [phase, seqs] of acknowledged) applyStoredCounts(phase, seqs, observer, stored);
  if (report.outbound) report.outbound.databaseStatus = stored.replies;
}

function summaryLine(p: InboundPhase): string {
  const rejected = Object.entries(p.rejected).map(([status, n]) => `${n}×${status}`).join(', ');
  return (
    `  acked ${Math.round(p.ackedPerSec)}/s (ack p50/p99 ${p.ackMs.p50.toFixed(1)}/${p.ackMs.p99.toFixed(1)} ms)` +
    `, stored+announced ${Math.round(p.processedPerSec ?? 0)}/s (e2e p50/p99 ${p.e2eMs?.p50.toFixed(1)}/${p.e2eMs?.p99.toFixed(1)} ms)` +
    `, drain ${((p.drainMs ?? 0) / 1000).toFixed(1)} s${p.keptUp === null ? '' : p.keptUp ? ', kept up' : ', fell behind'}` +
    `, not announced ${p.lost?.count ?? '–'}, announced twice ${p.duplicated?.announcedTwice ?? '–'}, peak RSS ${Math.round(p.resources.gatewayPeakRssMb)} MB` +
    `, gateway event loop p99 ${Math.round(p.gatewayCounters?.eventLoopP99Ms ?? Number.NaN)} ms` +
    `, CPU: gateway ${Math.round(p.resources.gatewayCpuPercent)} %, machine ${Math.round(p.resources.machine.machineBusyPercent)} % busy (others ${Math.round(p.resources.machine.percentOfCore.other ?? 0)} % of a core)` +
    (rejected ? `, not acked: ${rejected}` : '')
  );
}

/** One point per second: [seconds since the gateway started, RSS MB, CPU % of one core]. */
function timeline(sampler: ProcessSampler, origin: number): [number, number, number][] {
  const points: [number, number, number][] = [];
  let previous = sampler.samples[0];
  for (const sample of sampler.samples) {
    if (!previous || sample.at - previous.at < 1_000) continue;
    const cpu = ((sample.cpuSeconds.gateway! - previous.cpuSeconds.gateway!) / ((sample.at - previous.at) / 1000)) * 100;
    points.push([Math.round((sample.at - origin) / 100) / 10, Math.round(sample.rssMb.gateway!), Math.round(cpu)]);
    previous = sample;
  }
  return points;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    process.exit(2);
  },
);
