export interface SseEvent {
  event: string;
  data: any;
}

/** Reads a Server-Sent Events stream with fetch (so it can send Authorization), collecting events. */
export class SseClient {
  readonly events: SseEvent[] = [];
  private readonly controller = new AbortController();
  private readonly done: Promise<void>;
  status = 0;

  constructor(url: string, headers: Record<string, string>) {
    this.done = this.run(url, headers).catch(() => undefined);
  }

  private async run(url: string, headers: Record<string, string>): Promise<void> {
    const response = await fetch(url, { headers, signal: this.controller.signal });
    this.status = response.status;
    if (!response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).trim());
        }
        if (data.length > 0) this.events.push({ event, data: JSON.parse(data.join('\n')) });
      }
    }
  }

  async waitFor(predicate: (event: SseEvent) => boolean, timeoutMs = 10_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.events.find(predicate);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`SSE event not received within ${timeoutMs} ms; got: ${this.events.map((e) => e.event).join(', ')}`);
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}
