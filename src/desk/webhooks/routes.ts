import { ApiError } from '../../api/errors.js';
import type { Implementation } from '../../api/handler.js';
import type { Agent } from '../../domain/agent.js';
import { WEBHOOK_TEST_EVENT, WebhookUrlError } from '../../domain/webhooks.js';
import { recordAudit } from '../../store/audit.js';
import { createEndpoint, deleteEndpoint, enableEndpoint, getEndpoint, listEndpointRows, endpointView, rotateSecret, updateEndpoint, type WebhookEndpoint } from '../../store/webhooks.js';
import type { FeatureContext } from '../feature.js';
import { webhookRoutes } from './api.js';
import { deliveryDetail, enqueueDelivery, listDeliveries, replayDelivery } from './deliveries.js';

/** `["*"]` when it includes everything; each type once. */
const eventsOf = (list: readonly string[]): string[] => (list.includes('*') ? ['*'] : [...new Set(list)]);

/**
 * The admins' routes for outbound webhooks. `changed` runs after every edit, so this process
 * delivers to a new endpoint at once (others pick it up within seconds).
 */
export function webhookApi(context: FeatureContext, changed: () => Promise<unknown>): Implementation<typeof webhookRoutes> {
  const deps = () => context.inbox();
  const audit = (agent: Agent, action: string, id: string, details?: Record<string, unknown>) =>
    recordAudit(deps().db, { actor: { type: 'agent', id: agent.id, name: agent.name }, action: `webhook.${action}`, target: { type: 'webhook', id }, ...(details ? { details } : {}) });
  const found = async (id: string): Promise<WebhookEndpoint> => {
    const endpoint = await getEndpoint(deps().db, id);
    if (!endpoint) throw new ApiError(404, 'not_found', 'webhook endpoint not found');
    return endpoint;
  };
  /** An agent bot's endpoint follows its bot: edited and deleted through `/api/agent-bots`. */
  const adminOwned = async (id: string): Promise<WebhookEndpoint> => {
    const endpoint = await found(id);
    if (endpoint.ownerAgentId) throw new ApiError(409, 'owned_by_bot', 'this endpoint belongs to an agent bot: change it through /api/agent-bots');
    return endpoint;
  };
  const checked = async <T>(write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (error) {
      if (error instanceof WebhookUrlError) throw new ApiError(400, 'validation', `url: ${error.message}`);
      throw error;
    }
  };

  return {
    contract: webhookRoutes,
    json: { limit: '32kb', beforeAuth: false },
    handlers: {
      listWebhooks: async () => ({ items: (await listEndpointRows(deps().db)).map((row) => endpointView(row)) }),
      async createWebhook({ body, agent }) {
        const created = await checked(() =>
          createEndpoint(deps().db, {
            url: body.url,
            description: body.description,
            events: eventsOf(body.events),
            channels: body.channels ?? null,
            handledBy: body.handledBy ?? null,
            secretKey: context.secretKey,
            createdBy: agent.id,
          }),
        );
        // The address is the receiver's, not a secret; the log shows where events go.
        await audit(agent, 'create', created.endpoint.id, { url: created.endpoint.url, events: created.endpoint.events });
        await changed();
        return created;
      },
      getWebhook: ({ params }) => found(params.id),
      async updateWebhook({ params, body, agent }) {
        await adminOwned(params.id);
        const updated = await checked(() =>
          updateEndpoint(deps().db, params.id, {
            ...(body.url !== undefined ? { url: body.url } : {}),
            ...(body.description !== undefined ? { description: body.description } : {}),
            ...(body.events !== undefined ? { events: eventsOf(body.events) } : {}),
            ...(body.channels !== undefined ? { channels: body.channels } : {}),
            ...(body.handledBy !== undefined ? { handledBy: body.handledBy } : {}),
          }),
        );
        if (!updated) throw new ApiError(404, 'not_found', 'webhook endpoint not found');
        await audit(agent, 'update', params.id, { keys: Object.keys(body).sort(), url: updated.url });
        await changed();
        return updated;
      },
      async deleteWebhook({ params, agent }) {
        await adminOwned(params.id);
        if (!(await deleteEndpoint(deps().db, params.id))) throw new ApiError(404, 'not_found', 'webhook endpoint not found');
        await audit(agent, 'delete', params.id);
        await changed();
      },
      async rotateWebhookSecret({ params, agent }) {
        const rotated = await rotateSecret(deps().db, params.id, context.secretKey);
        if (!rotated) throw new ApiError(404, 'not_found', 'webhook endpoint not found');
        await audit(agent, 'rotate-secret', params.id);
        return rotated;
      },
      async enableWebhook({ params, agent }) {
        const before = await found(params.id);
        const enabled = await enableEndpoint(deps().db, params.id);
        if (!enabled) throw new ApiError(404, 'not_found', 'webhook endpoint not found');
        if (!before.enabled) await audit(agent, 'enable', params.id, { disabledReason: before.disabledReason });
        await changed();
        return enabled;
      },
      async testWebhook({ params, agent }) {
        const endpoint = await found(params.id);
        const at = new Date().toISOString();
        const result = await enqueueDelivery(deps(), { endpointId: endpoint.id, eventType: WEBHOOK_TEST_EVENT, payload: { endpointId: endpoint.id, sentBy: agent.name, at }, key: `test.${at}.${agent.id}` });
        if (result.skipped) throw new ApiError(409, 'endpoint_disabled', `the endpoint is disabled (${endpoint.disabledReason ?? 'by an admin'}): enable it first`);
        const detail = (await deliveryDetail(deps().db, result.deliveryId))!;
        const { payload: _payload, log: _log, ...delivery } = detail;
        return delivery;
      },
      async listWebhookDeliveries({ params, query }) {
        await found(params.id);
        return { items: await listDeliveries(deps().db, params.id, { status: query.status, limit: query.limit }) };
      },
      async getWebhookDelivery({ params }) {
        const detail = await deliveryDetail(deps().db, params.id);
        if (!detail) throw new ApiError(404, 'not_found', 'webhook delivery not found');
        return detail;
      },
      async replayWebhookDelivery({ params, agent }) {
        const outcome = await replayDelivery(deps(), params.id);
        switch (outcome.kind) {
          case 'not-found':
            throw new ApiError(404, 'not_found', 'webhook delivery not found');
          case 'endpoint-disabled':
            throw new ApiError(409, 'endpoint_disabled', 'the endpoint is disabled: enable it first, then replay');
          case 'pending':
            throw new ApiError(409, 'delivery_pending', 'the delivery is still being tried; it can be replayed once it succeeded or failed');
          case 'queued':
            await audit(agent, 'replay', outcome.delivery.endpointId, { delivery: outcome.delivery.id });
            return outcome.delivery;
        }
      },
    },
  };
}
