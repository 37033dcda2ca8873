/**
 * Run as its own process by test/integration/desk/webhooks-fault.test.ts: a worker-role gateway
 * (the inbound, desk-events and webhooks workers of src/main.ts, so `startWebhooksWorker` with
 * the gateway's lock settings) on the test's schema, Redis prefix and data directory, until it is
 * killed with SIGKILL mid-delivery. What a worker process that dies mid-request leaves behind: an
 * active webhooks job with a lock, and a pending delivery row with no attempt recorded.
 *
 * argv: <schema> <redis prefix> <data dir> <desk section as JSON>
 */
import { startTestGateway } from './gateway.js';

const [schema, prefix, dataDir, desk] = process.argv.slice(2);
await startTestGateway({
  env: { ROLE: 'worker' },
  reuse: { schema: schema!, prefix: prefix!, dataDir: dataDir! },
  desk: JSON.parse(desk!) as Record<string, unknown>,
  httpOptional: true,
});
process.stdout.write('ready\n');
