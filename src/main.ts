import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'bullmq';
import type { Logger } from 'pino';
import { adapterDefinitions } from '../adapters/index.js';
import { type Config, ConfigError, loadConfigFromProcess } from '../config/index.js';
import type { ChannelAdapter } from './channels/contract.js';
import { createHttpHandler } from './http/app.js';
import type { HttpDeps, Readiness } from './http/deps.js';
import { ensureFirstAdmin } from './agents/agents.js';
import { createDesk } from './desk/index.js';
import { redisPresence } from './realtime/presence.js';
import type { InboxDeps } from './inbox/deps.js';
import { createDispatcher } from './inbox/dispatcher.js';
import { realtimeConsumer } from './inbox/realtime-consumer.js';
import { INBOUND_QUEUE, outboundQueueName } from './queue/jobs.js';
import { createQueues } from './queue/queues.js';
import { createInboundSink } from './queue/sink.js';
import { scheduleMaintenance, startDeskEventsWorker, startDeskTimerWorker, startInboundWorker, startMaintenanceWorker, startMediaWorker, startOutboundWorker } from './workers/index.js';
import { createEventBus } from './realtime/bus.js';
import { redisChannelStatus } from './runtime/channel-status.js';
import { redisSharedState } from './runtime/shared-state.js';
import { type ConnectorRunner, runConnectors } from './runtime/connectors.js';
import { startEmbeddedRedis } from './runtime/embedded-redis.js';
import { createLogger } from './runtime/logger.js';
import { createMetrics } from './runtime/metrics.js';
import { connectRedis } from './runtime/redis.js';
import { fileAttachmentStore } from './store/attachment-store.js';
import { databaseChannelState } from './store/channel-state.js';
import { openDatabase } from './store/database.js';
import { records } from './desk/records/index.js';
import { scheduleRetention, startRecordsWorker } from './desk/records/worker.js';
import { webhooks } from './desk/webhooks/index.js';
import { scheduleWebhookSweep, startWebhooksWorker } from './desk/webhooks/worker.js';
import { saveUpload } from './store/uploads.js';

export interface Gateway {
  readonly config: Config;
  /** Base URL of the HTTP server (API roles only). */
  readonly url: string | undefined;
  readonly deps: HttpDeps;
  readonly connectors: ConnectorRunner | undefined;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  logger?: Logger;
  /** Postgres schema (tests give each gateway its own). */
  databaseSchema?: string;
  /** Override adapters (tests plug in adapters that talk to fake platforms). */
  extraAdapters?: readonly ChannelAdapter[];
}

/**
 * The composition root (STYLE §3): config → store → Redis → adapters → HTTP and workers, by role;
 * `stop()` undoes it in reverse order so nothing accepted is lost.
 */
export async function startGateway(config: Config, options: GatewayOptions = {}): Promise<Gateway> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const cleanup: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch (error) {
        logger.warn({ err: error }, 'shutdown step failed');
      }
    }
    cleanup.length = 0;
  };
  try {
    let redisUrl = config.redisUrl;
    if (!redisUrl) {
      const embedded = await startEmbeddedRedis(config.dataDir, logger);
      cleanup.push(() => embedded.stop());
      redisUrl = embedded.url;
    }
    const database = await openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      ...(options.databaseSchema ? { schema: options.databaseSchema } : {}),
      poolSize: Math.max(10, Math.min(50, config.workerConcurrency + 5)),
    });
    cleanup.push(() => database.close());
    logger.info({ database: database.kind }, 'database ready');

    const admin = await ensureFirstAdmin(database.db, config.adminEmail, config.adminPassword);
    if (admin.generatedPassword) {
      process.stdout.write(
        `\n  First admin created — sign in as ${config.adminEmail} with password: ${admin.generatedPassword}\n  (shown once; set ADMIN_PASSWORD to choose it yourself)\n\n`,
      );
    }

    const redis = connectRedis(redisUrl);
    cleanup.push(() => redis.close());
    // The command connection refuses commands until connected: without this wait the first
    // channel checks and scheduler upserts of a fresh process would fail.
    await redis.ready();
    const prefix = config.redisPrefix;
    const bus = createEventBus(redis.command, redis.subscriber(), prefix, logger);
    cleanup.push(() => bus.close());
    const status = redisChannelStatus(redis.command, prefix);

    const adapters = new Map<string, ChannelAdapter>();
    for (const channel of config.channels) {
      const definition = adapterDefinitions.find((d) => d.kind === channel.kind);
      if (!definition) throw new ConfigError(`channel "${channel.id}": unknown kind ${channel.kind}`);
      const adapter = (await definition.load()).create(channel, {
        logger: logger.child({ channel: channel.id, kind: channel.kind }),
        publicUrl: config.publicUrl,
        shared: redisSharedState(redis.command, `${prefix}:channel:${channel.id}`),
        durable: databaseChannelState(database.db, channel.id),
        realtime: bus,
      });
      adapters.set(adapter.id, adapter);
    }
    for (const adapter of options.extraAdapters ?? []) adapters.set(adapter.id, adapter);

    const queues = createQueues(redis.command, prefix, [...adapters.keys()]);
    cleanup.push(() => queues.close());
    const metrics = createMetrics();
    const attachments = fileAttachmentStore(join(config.dataDir, 'attachments'));
    // The desk's event reactions use the inbox's use cases, which dispatch through the dispatcher
    // that hands events to the desk: the desk reaches the inbox once it is built.
    let inbox: InboxDeps | undefined;
    const presence = redisPresence(redis.command, prefix);
    cleanup.push(async () => presence.close());
    const desk = createDesk(config.desk, {
      logger: logger.child({ component: 'desk' }),
      presence,
      channels: new Map(
        [...adapters.values()].map((a) => {
          const entry = config.channels.find((c) => c.id === a.id);
          return [a.id, { id: a.id, kind: a.kind, capabilities: a.capabilities, autoReply: typeof entry?.autoReply === 'string' ? entry.autoReply : undefined }];
        }),
      ),
      publicUrl: config.publicUrl,
      secretKey: config.secretKey,
      inbox: () => {
        if (!inbox) throw new Error('the desk used the inbox before the gateway was wired');
        return inbox;
      },
    });
    const dispatcher = createDispatcher({ db: database.db, logger, metrics }, [realtimeConsumer(bus), desk.consumer]);
    cleanup.push(() => dispatcher.close());
    inbox = {
      db: database.db,
      queues,
      metrics,
      logger,
      attachments,
      adapters,
      attachmentMaxBytes: config.attachmentMaxBytes,
      dispatcher,
      desk: desk.hooks,
    };
    await desk.start();
    cleanup.push(async () => desk.stop());
    const sink = createInboundSink(
      queues,
      metrics,
      { maxBytes: config.attachmentMaxBytes, save: (upload) => saveUpload(database.db, attachments, upload) },
      desk.hooks.filters,
    );
    const roles = (role: 'api' | 'worker' | 'connector'): boolean => config.role === 'all' || config.role === role;

    const readiness = async (): Promise<Readiness> => {
      const checks: Readiness['checks'] = {};
      const probe = async (name: string, check: () => Promise<unknown>): Promise<void> => {
        try {
          await Promise.race([check(), new Promise((_r, reject) => setTimeout(() => reject(new Error('timed out')), 2_000))]);
          checks[name] = { ok: true };
        } catch (error) {
          checks[name] = { ok: false, detail: (error as Error).message };
        }
      };
      await Promise.all([probe('database', () => database.ping()), probe('redis', () => redis.command.ping())]);
      for (const adapter of adapters.values()) {
        const s = await status.get(adapter.id);
        checks[`channel:${adapter.id}`] = { ok: s.status === 'ok' || s.status === 'unknown' || s.status === 'starting', detail: s.error ? `${s.status}: ${s.error}` : s.status };
      }
      // Channels are reported, but only the engines decide readiness: one broken bot must not take
      // the whole gateway (and every other channel's webhooks) out of the load balancer.
      return { ready: Boolean(checks.database?.ok && checks.redis?.ok), checks };
    };

    const httpDeps: HttpDeps = {
      ...inbox,
      bus,
      sink,
      redis: redis.command,
      rateLimitPrefix: `${prefix}:ratelimit`,
      secretKey: config.secretKey,
      publicUrl: config.publicUrl,
      trustProxy: config.trustProxy,
      metricsRegistry: metrics.registry,
      channelApis: adapterDefinitions.flatMap((entry) => (entry.api ? [entry.api] : [])),
      deskApis: desk.api,
      presence,
      channelStatus: (id) => status.get(id),
      readiness,
    };

    // Channel health: checked where the channels run, shared through Redis.
    if (roles('worker') || roles('connector')) {
      const check = async (): Promise<void> => {
        for (const adapter of adapters.values()) {
          const result = await adapter.verify().catch((error: unknown) => ({ status: 'error' as const, error: (error as Error).message, checkedAt: new Date().toISOString() }));
          await status.set(adapter.id, result).catch(() => undefined);
        }
      };
      void check();
      const timer = setInterval(() => void check(), 60_000);
      timer.unref();
      cleanup.push(async () => clearInterval(timer));
    }

    const depthTimer = setInterval(() => {
      const names = [INBOUND_QUEUE, ...[...adapters.keys()].map(outboundQueueName)];
      const list = [queues.inbound, ...[...adapters.keys()].map((id) => queues.outbound(id))];
      list.forEach((queue, index) => {
        queue.getJobCounts('waiting', 'delayed', 'prioritized').then(
          (counts) => metrics.queueDepth.set({ queue: names[index]! }, Object.values(counts).reduce((a, b) => a + b, 0)),
          () => undefined,
        );
      });
    }, 5_000);
    depthTimer.unref();
    cleanup.push(async () => clearInterval(depthTimer));

    if (roles('worker')) {
      const workerOptions = { connection: redis.workerOptions, prefix, concurrency: config.workerConcurrency };
      const workers: Worker[] = [
        startInboundWorker(inbox, workerOptions),
        ...[...adapters.keys()].map((id) => startOutboundWorker(inbox, id, { ...workerOptions, concurrency: Math.min(32, config.workerConcurrency) })),
        startMediaWorker(inbox, { ...workerOptions, concurrency: 4 }),
        startMaintenanceWorker(inbox, workerOptions),
        startDeskTimerWorker(inbox, (job) => desk.runTimer(job), { ...workerOptions, concurrency: 8 }),
        startDeskEventsWorker(inbox, (job) => desk.runEvents(job), { ...workerOptions, concurrency: 4 }),
      ];
      const recordsDeps = {
        db: database.db,
        redis: redis.command,
        prefix,
        queues,
        channelIds: [...adapters.keys()],
        attachments,
        exportDir: join(config.dataDir, 'exports'),
        logger: logger.child({ component: 'records' }),
        retention: () => desk.settingsOf(records).retention,
      };
      workers.push(startRecordsWorker(recordsDeps, workerOptions));
      const webhooksDeps = {
        db: database.db,
        queues,
        metrics,
        logger: logger.child({ component: 'webhooks' }),
        secretKey: config.secretKey,
        retrySchedule: () => desk.settingsOf(webhooks).webhooks.retrySchedule,
      };
      workers.push(startWebhooksWorker(webhooksDeps, workerOptions));
      await scheduleMaintenance(inbox);
      await scheduleRetention(recordsDeps);
      await scheduleWebhookSweep(webhooksDeps);
      // worker.close() waits for the jobs in progress to finish: nothing half-done is abandoned.
      cleanup.push(async () => {
        await Promise.all(workers.map((w) => w.close()));
      });
    }

    let connectors: ConnectorRunner | undefined;
    if (roles('connector')) {
      connectors = runConnectors([...adapters.values()], { redis: redis.command, prefix, sink, logger, status });
      const runner = connectors;
      cleanup.push(() => runner.stop());
    }

    let url: string | undefined;
    if (roles('api')) {
      await bus.start();
      const server: Server = createServer(createHttpHandler(httpDeps)).listen(config.port, config.host);
      await once(server, 'listening');
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : config.port;
      url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
      cleanup.push(async () => {
        const closed = new Promise((resolve) => server.close(resolve));
        // SSE streams never end by themselves; idle keep-alive sockets neither.
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 5_000).unref();
        await closed;
      });
      logger.info({ url, publicUrl: config.publicUrl, role: config.role, channels: [...adapters.keys()] }, 'switchboard is listening');
    }

    return { config, url, deps: httpDeps, connectors, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfigFromProcess();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`switchboard: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  let gateway: Gateway;
  try {
    gateway = await startGateway(config, { logger });
  } catch (error) {
    logger.fatal({ err: error }, 'failed to start');
    logger.flush();
    process.stderr.write(`switchboard: failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  if (gateway.url) process.stdout.write(`Switchboard is up: inbox ${config.publicUrl}/  ·  widget demo ${config.publicUrl}/demo\n`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 30_000);
    force.unref();
    gateway.stop().then(
      () => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
