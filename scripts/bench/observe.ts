/**
 * What the benchmark watches while it drives the gateway: the agent event stream (`/api/events`,
 * the same SSE an open inbox receives), the gateway's resident memory and CPU from /proc, and its
 * own counters from /metrics.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { get, type IncomingMessage } from 'node:http';
import { clock, INBOUND_MARKER } from './traffic.js';

/**
 * Subscribes to `/api/events` as an agent and records, per sequence number, when its
 * `message.created` first arrived and how often. Parsing is kept to string scans (no JSON.parse
 * per event): at thousands of messages per second a slow reader would make the server drop the
 * stream (src/http/sse.ts closes it past 1 MB buffered).
 */
export class EventObserver {
  /** Epoch ms of the first `message.created` per sequence; 0 = not seen. */
  readonly firstSeen: Float64Array;
  /** Announcements per sequence (saturates at 255). */
  readonly announcements: Uint8Array;
  /** Distinct sequences announced so far. */
  announced = 0;
  /** `message.updated` events of outbound messages that ended `failed`. */
  failedReplies = 0;
  /** Times the server ended the stream while we were still listening (events in the gap are missed). */
  drops = 0;
  private response: IncomingMessage | undefined;
  private closing = false;
  private buffer = '';

  constructor(
    capacity: number,
    private readonly url: string,
    private readonly token: string,
  ) {
    this.firstSeen = new Float64Array(capacity);
    this.announcements = new Uint8Array(capacity);
  }

  /** Resolves once the stream is open and the server sent its `ready` event. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      let ready = false;
      const req = get(`${this.url}/api/events`, { headers: { authorization: `Bearer ${this.token}`, accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`GET /api/events answered ${res.statusCode}`));
          return;
        }
        this.response = res;
        this.buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (this.consume(chunk) && !ready) {
            ready = true;
            resolve();
          }
        });
        res.on('close', () => {
          if (this.closing) return;
          this.drops += 1;
          // Reconnect at once; what was published meanwhile is lost to us and shows as unannounced.
          this.connect().catch(() => undefined);
        });
      });
      req.on('error', (error) => {
        if (!ready) reject(error);
      });
    });
  }

  /** Whether the stream is open (it reconnects by itself after a drop). */
  get connected(): boolean {
    return this.response !== undefined && !this.response.destroyed;
  }

  /** Counts announced sequences in [from, to). */
  announcedIn(from: number, to: number): number {
    let count = 0;
    for (let seq = from; seq < to; seq += 1) if (this.announcements[seq]! > 0) count += 1;
    return count;
  }

  close(): void {
    this.closing = true;
    this.response?.destroy();
  }

  /** Returns true when the chunk completed the `ready` event. */
  private consume(chunk: string): boolean {
    const now = clock();
    this.buffer += chunk;
    let sawReady = false;
    let start = 0;
    for (;;) {
      const end = this.buffer.indexOf('\n\n', start);
      if (end < 0) break;
      const block = this.buffer.slice(start, end);
      start = end + 2;
      if (block.startsWith('event: message.created\n')) {
        const match = INBOUND_MARKER.exec(block);
        if (match) this.record(Number(match[1]), now);
      } else if (block.startsWith('event: message.updated\n')) {
        if (block.includes('"direction":"outbound"') && block.includes('"status":"failed"')) this.failedReplies += 1;
      } else if (block.startsWith('event: ready\n')) {
        sawReady = true;
      }
    }
    this.buffer = this.buffer.slice(start);
    return sawReady;
  }

  private record(seq: number, at: number): void {
    if (seq >= this.firstSeen.length) return;
    const seen = this.announcements[seq]!;
    if (seen === 0) {
      this.firstSeen[seq] = at;
      this.announced += 1;
    }
    if (seen < 255) this.announcements[seq] = seen + 1;
  }
}

export interface ProcessSample {
  readonly at: number;
  /** Resident set per watched process, MB (NaN when it could not be read). */
  readonly rssMb: Record<string, number>;
  /** User + system CPU seconds consumed so far per watched process. */
  readonly cpuSeconds: Record<string, number>;
}

/** Linux reports /proc/<pid>/stat times in USER_HZ, which is 100 on every architecture. */
const USER_HZ = 100;

function readRssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Peak resident set since the process started (the kernel's high-water mark), MB. */
export function readPeakRssMb(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function readCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name (which may contain spaces): utime is 14th, stime 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return Number.NaN;
  }
}

export interface WindowStats {
  readonly peakRssMb: Record<string, number>;
  readonly endRssMb: Record<string, number>;
  /** Average CPU use over the window, in % of one core. */
  readonly cpuPercent: Record<string, number>;
}

/** Samples the RSS and CPU time of the gateway (and the embedded redis-server) every 250 ms. */
export class ProcessSampler {
  readonly samples: ProcessSample[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly pids: Record<string, number>) {
    this.sample();
    this.timer = setInterval(() => this.sample(), 250);
  }

  sample(): ProcessSample {
    const rssMb: Record<string, number> = {};
    const cpuSeconds: Record<string, number> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      rssMb[name] = readRssMb(pid);
      cpuSeconds[name] = readCpuSeconds(pid);
    }
    const sample = { at: clock(), rssMb, cpuSeconds };
    this.samples.push(sample);
    return sample;
  }

  /**
   * Resets the kernel's peak-RSS mark of the watched processes (`echo 5 > /proc/<pid>/clear_refs`,
   * Linux ≥ 4.0), so `peaks()` later gives the exact peak since, not just the highest 250 ms sample.
   */
  resetPeaks(): void {
    for (const pid of Object.values(this.pids)) {
      try {
        writeFileSync(`/proc/${pid}/clear_refs`, '5');
      } catch {
        // Not permitted or not Linux: the sampled peak stands alone.
      }
    }
  }

  /** The kernel's peak RSS per watched process since the last `resetPeaks()` (or its start), MB. */
  peaks(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.pids).map(([name, pid]) => [name, readPeakRssMb(pid)]));
  }

  /** Peak and final RSS and mean CPU between two instants. */
  window(from: number, to: number): WindowStats {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= to);
    const peakRssMb: Record<string, number> = {};
    const endRssMb: Record<string, number> = {};
    const cpuPercent: Record<string, number> = {};
    const first = inside[0];
    const last = inside.at(-1);
    for (const name of Object.keys(this.pids)) {
      const values = inside.map((s) => s.rssMb[name]!).filter((v) => !Number.isNaN(v));
      peakRssMb[name] = values.length > 0 ? Math.max(...values) : Number.NaN;
      endRssMb[name] = last?.rssMb[name] ?? Number.NaN;
      cpuPercent[name] = first && last && last.at > first.at ? ((last.cpuSeconds[name]! - first.cpuSeconds[name]!) / ((last.at - first.at) / 1000)) * 100 : Number.NaN;
    }
    return { peakRssMb, endRssMb, cpuPercent };
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

export interface GatewayCounters {
  readonly accepted: number;
  readonly processed: number;
  /** Deliveries the gateway itself recognised as repeats, by stage (queue job id, database key). */
  readonly duplicates: Record<string, number>;
  readonly sent: number;
  /**
   * The gateway's event-loop delay since the previous /metrics read (prom-client resets its
   * histogram on every scrape), ms: a loop busy with one thing delays every webhook answer.
   */
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
}

/** The gateway's own counters (Prometheus text from /metrics), summed over channels. */
export async function readCounters(base: string): Promise<GatewayCounters> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const sum = (name: string): number => [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))].reduce((total, m) => total + Number(m[1]), 0);
  const duplicates: Record<string, number> = {};
  for (const m of text.matchAll(/^switchboard_messages_duplicate_total\{([^}]*)\} (\S+)$/gm)) {
    const stage = /stage="([^"]*)"/.exec(m[1]!)?.[1] ?? 'unknown';
    duplicates[stage] = (duplicates[stage] ?? 0) + Number(m[2]);
  }
  return {
    accepted: sum('switchboard_messages_accepted_total'),
    processed: sum('switchboard_messages_processed_total'),
    duplicates,
    sent: sum('switchboard_messages_sent_total'),
    eventLoopP99Ms: sum('switchboard_process_nodejs_eventloop_lag_p99_seconds') * 1000,
    eventLoopMaxMs: sum('switchboard_process_nodejs_eventloop_lag_max_seconds') * 1000,
  };
}

export function counterDelta(after: GatewayCounters, before: GatewayCounters): GatewayCounters {
  const duplicates: Record<string, number> = {};
  for (const stage of new Set([...Object.keys(after.duplicates), ...Object.keys(before.duplicates)])) {
    duplicates[stage] = (after.duplicates[stage] ?? 0) - (before.duplicates[stage] ?? 0);
  }
  return {
    accepted: after.accepted - before.accepted,
    processed: after.processed - before.processed,
    duplicates,
    sent: after.sent - before.sent,
    eventLoopP99Ms: after.eventLoopP99Ms,
    eventLoopMaxMs: after.eventLoopMaxMs,
  };
}

interface CpuSnapshot {
  readonly at: number;
  /** /proc/stat: ticks the machine's CPUs were busy, and in total. */
  readonly busy: number;
  readonly total: number;
  /** Cumulative CPU ticks of each process of a watched group, by pid. */
  readonly processes: Map<number, { readonly group: string; readonly ticks: number }>;
}

/** Processes grouped by name when they are not watched by pid: the engines, wherever they run. */
const GROUPS_BY_NAME: Record<string, string> = { postgres: 'postgres', 'redis-server': 'redis' };

export interface CpuBreakdown {
  /** How busy the whole machine was, % of all its cores. */
  readonly machineBusyPercent: number;
  /**
   * CPU per group in % of one core: the gateway, the bench itself (load generator, event stream,
   * fake Bot API), every postgres and redis-server process on the machine, and `other` — whatever
   * else ran (other people's work on a shared machine). A process that ended inside the window
   * (a closed Postgres connection) has its share counted as other.
   */
  readonly percentOfCore: Record<string, number>;
}

/**
 * Where the machine's CPU went during a phase, from two snapshots of /proc: on a machine of a few
 * cores, the gateway competes with Postgres, Redis, the load generator and anything else running.
 */
export class CpuMeter {
  constructor(private readonly pids: Record<string, number>) {}

  snapshot(): CpuSnapshot {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    const busy = user + nice + system + irq + softirq + steal;
    const byPid = new Map(Object.entries(this.pids).map(([name, pid]) => [pid, name]));
    byPid.set(process.pid, 'bench');
    const processes = new Map<number, { group: string; ticks: number }>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let stat: string;
      try {
        stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      } catch {
        continue;
      }
      const pid = Number(entry);
      const group = byPid.get(pid) ?? GROUPS_BY_NAME[stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))];
      if (!group) continue;
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      processes.set(pid, { group, ticks: Number(rest[11]) + Number(rest[12]) });
    }
    return { at: clock(), busy, total: busy + idle + iowait, processes };
  }

  between(start: CpuSnapshot, end: CpuSnapshot): CpuBreakdown {
    const seconds = (end.at - start.at) / 1000;
    const ticks: Record<string, number> = { gateway: 0, postgres: 0, redis: 0, bench: 0 };
    for (const [pid, { group, ticks: now }] of end.processes) {
      // A process that started inside the window spent all its ticks inside it.
      const before = start.processes.get(pid);
      const used = before && before.group === group ? now - before.ticks : now;
      ticks[group] = (ticks[group] ?? 0) + Math.max(0, used);
    }
    const percentOfCore: Record<string, number> = {};
    let named = 0;
    for (const [group, used] of Object.entries(ticks)) {
      named += used;
      percentOfCore[group] = (used / USER_HZ / seconds) * 100;
    }
    const busyTicks = end.busy - start.busy;
    percentOfCore.other = (Math.max(0, busyTicks - named) / USER_HZ / seconds) * 100;
    return { machineBusyPercent: end.total > start.total ? (busyTicks / (end.total - start.total)) * 100 : Number.NaN, percentOfCore };
  }
}

/**
 * Delay of the bench's own event loop (where the event stream is read and the fake Bot API
 * answers): if it is high, the bench's timestamps are late, not the gateway.
 */
export function eventLoopMonitor(): { stop(): { p99Ms: number; maxMs: number } } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return {
    stop() {
      histogram.disable();
      return { p99Ms: histogram.percentile(99) / 1e6, maxMs: histogram.max / 1e6 };
    },
  };
}
