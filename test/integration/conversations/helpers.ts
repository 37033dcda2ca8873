import type { Conversation, Message } from '../../../src/domain/index.js';
import { eventually, request } from '../../support/http.js';

/** Delivers one customer message through the ScriptedChannel's webhook, as its platform would. */
export async function deliver(base: string, message: { id: string; from: string; text: string; sentAt?: string }): Promise<void> {
  const response = await request(base, 'POST', '/webhooks/scripted', { headers: { 'x-secret': 'scripted-secret' }, body: message });
  if (response.status !== 200) throw new Error(`webhook refused ${message.id}: ${response.status} ${JSON.stringify(response.body)}`);
}

/** The conversation of a ScriptedChannel customer, once the inbound worker has stored it. */
export async function conversationOf(base: string, token: string, from: string): Promise<Conversation> {
  return eventually(
    async () => {
      const list = await request<{ items: Conversation[] }>(base, 'GET', '/api/conversations?channel=scripted&limit=100', { token });
      return list.body.items.find((c) => c.contact.identities.some((i) => i.externalId === from));
    },
    10_000,
    `conversation of ${from}`,
  );
}

export async function messagesOf(base: string, token: string, conversationId: string, query = 'limit=200'): Promise<Message[]> {
  const response = await request<{ items: Message[] }>(base, 'GET', `/api/conversations/${conversationId}/messages?${query}`, { token });
  if (response.status !== 200) throw new Error(`messages of ${conversationId}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.items;
}

/** Waits until a message with `text` is stored in the conversation, and returns it. */
export async function storedMessage(base: string, token: string, conversationId: string, text: string): Promise<Message> {
  return eventually(async () => (await messagesOf(base, token, conversationId)).find((m) => m.text === text), 10_000, `message "${text}"`);
}

/** Creates an agent as admin and signs it in; returns its id and session token. */
export async function createAgent(base: string, adminToken: string, agent: { email: string; name: string; password?: string }): Promise<{ id: string; token: string }> {
  const password = agent.password ?? 'a long enough password';
  const created = await request<{ id: string }>(base, 'POST', '/api/agents', { token: adminToken, body: { email: agent.email, name: agent.name, password } });
  if (created.status !== 201) throw new Error(`create agent: ${created.status} ${JSON.stringify(created.body)}`);
  const login = await request<{ token: string }>(base, 'POST', '/api/auth/login', { body: { email: agent.email, password } });
  if (login.status !== 200) throw new Error(`login ${agent.email}: ${login.status} ${JSON.stringify(login.body)}`);
  return { id: created.body.id, token: login.body.token };
}
