import type { Request, Response } from 'express';
import type { SseStream } from '../api/handler.js';

const MAX_BUFFERED = 1024 * 1024;

/**
 * Server-Sent Events with a heartbeat (keeps proxies from closing idle streams) and a cap on what
 * a slow client may have buffered: past it the stream is closed and the client reconnects and
 * refetches, instead of the server holding unbounded memory.
 */
export function openSse(req: Request, res: Response): SseStream {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write('retry: 3000\n\n');
  const closers: (() => void)[] = [];
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const callback of closers) callback();
  };
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 25_000);
  const write = (chunk: string): void => {
    if (closed) return;
    if (res.writableLength > MAX_BUFFERED) {
      res.end();
      close();
      return;
    }
    res.write(chunk);
  };
  req.on('close', close);
  res.on('error', close);
  return {
    send(event, data, id) {
      write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    sendJson(event, json) {
      write(`event: ${event}\ndata: ${json}\n\n`);
    },
    onClose(callback) {
      closers.push(callback);
    },
  };
}
