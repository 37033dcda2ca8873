import { randomBytes } from 'node:crypto';
import { request } from './http.js';
import { SseClient } from './sse.js';

/** A web chat visitor, speaking the widget's HTTP API as widget.js does. */
export class Visitor {
  private constructor(
    readonly base: string,
    readonly channelId: string,
    readonly token: string,
    readonly visitorId: string,
  ) {}

  static async create(base: string, channelId = 'web', body: Record<string, unknown> = {}): Promise<Visitor> {
    const response = await request<{ token: string; visitorId: string }>(base, 'POST', `/widget/${channelId}/session`, { body });
    if (response.status !== 201) throw new Error(`session failed: ${response.status} ${JSON.stringify(response.body)}`);
    return new Visitor(base, channelId, response.body.token, response.body.visitorId);
  }

  static newClientId(): string {
    return randomBytes(12).toString('base64url');
  }

  send(text: string, clientMessageId = Visitor.newClientId(), attachments: string[] = []) {
    return request(this.base, 'POST', `/widget/${this.channelId}/messages`, { token: this.token, body: { clientMessageId, text, attachments } });
  }

  history(after?: string) {
    return request<{ items: any[]; conversation: any }>(this.base, 'GET', `/widget/${this.channelId}/messages${after ? `?after=${after}` : ''}`, { token: this.token });
  }

  events(): SseClient {
    return new SseClient(`${this.base}/widget/${this.channelId}/events`, { authorization: `Bearer ${this.token}` });
  }
}
