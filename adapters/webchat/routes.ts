import { ApiError } from '../../src/api/errors.js';
import type { Implementation, RequestHead } from '../../src/api/handler.js';
import type { ChannelApi, ChannelRouteDeps } from '../../src/channels/routes.js';
import type { Message } from '../../src/domain/message.js';
import { widgetRoutes, type VisitorMessage } from './api.js';
import { isWebchatAdapter, type WebchatAdapter } from './index.js';
import { parseVisitorMessage } from './inbound.js';
import { anonymousVisitorId, identifiedVisitorId, isIdentifiedVisitor, issueVisitorToken, type VisitorClaims, verifyUserHash, verifyVisitorToken } from './session.js';

interface WidgetLocals {
  readonly adapter: WebchatAdapter;
  readonly visitor?: VisitorClaims;
}

/** What a visitor may see of a message: no agent ids, no internal notes, no raw payloads. */
function toVisitorMessage(channelId: string, message: Message): VisitorMessage {
  return {
    id: message.id,
    direction: message.direction,
    author: { type: message.author.type, name: message.direction === 'inbound' ? 'You' : message.author.name },
    text: message.text,
    attachments: message.attachments.map((a) => ({ ...a, url: `/widget/${channelId}/attachments/${a.id}` })),
    status: message.direction === 'inbound' ? 'received' : message.status === 'sent' ? 'sent' : 'sending',
    clientMessageId: message.clientMessageId,
    createdAt: message.createdAt,
    ...(message.choice ? { choice: { id: message.choice.id, options: message.choice.options.map(({ value, label }) => ({ value, label })), picked: message.choice.picked ?? null } } : {}),
  };
}

/**
 * The widget's routes (`api.ts`): a token scopes its bearer to one visitor, and so to that
 * visitor's own conversation — or, for an identified app user, to every conversation of their
 * contact on this channel (issue 17), read-only but the one they write in.
 */
function implement(deps: ChannelRouteDeps): Implementation<typeof widgetRoutes, WidgetLocals> {
  const claimsOf = (locals: WidgetLocals): VisitorClaims => {
    if (!locals.visitor) throw new Error('visitor step missing');
    return locals.visitor;
  };
  const limit = async (key: string, max: number, seconds: number, setHeader: (name: string, value: string) => void): Promise<void> => {
    const wait = await deps.limit(`widget:${key}`, max, seconds);
    if (wait !== null) {
      setHeader('Retry-After', String(wait));
      throw new ApiError(429, 'rate_limited', `too many requests; try again in ${wait} s`);
    }
  };
  return {
    contract: widgetRoutes,
    json: { limit: '64kb', beforeAuth: false },
    prepare(request: RequestHead, setHeader) {
      const adapter = deps.adapters.get(String(request.params.channelId));
      if (!isWebchatAdapter(adapter)) throw new ApiError(404, 'not_found', 'no web chat channel with this id');
      const origin = request.header('origin');
      if (origin) {
        const allowed = adapter.widget.allowedOrigins?.map((o) => new URL(o).origin);
        if (!allowed || allowed.includes(origin)) {
          setHeader('Access-Control-Allow-Origin', allowed ? origin : '*');
          setHeader('Vary', 'Origin');
          setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Filename');
          setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
          setHeader('Access-Control-Max-Age', '600');
          setHeader('Access-Control-Expose-Headers', 'Retry-After');
        } else if (origin !== new URL(deps.publicUrl).origin) {
          throw new ApiError(403, 'forbidden_origin', 'this site may not embed the widget of this channel');
        }
      }
      return request.method === 'OPTIONS' ? 'preflight' : { adapter };
    },
    visitor(request, locals) {
      const token = /^Bearer\s+(\S+)$/i.exec(request.header('authorization') ?? '')?.[1];
      if (!token) throw new ApiError(401, 'unauthorized', 'missing visitor token: create a session first');
      const claims = verifyVisitorToken(deps.secretKey, token, locals.adapter.id);
      if (!claims) throw new ApiError(401, 'unauthorized', 'visitor token is invalid or expired');
      return { ...locals, visitor: claims };
    },
    handlers: {
      async widgetCreateSession({ locals: { adapter }, body, ip, setHeader }) {
        await limit(`session:${adapter.id}:${ip}`, adapter.widget.limits.sessionsPerTenMinutes, 600, setHeader);
        let visitorId = anonymousVisitorId();
        if (body.userId && body.userHash) {
          const secret = adapter.widget.identitySecret;
          if (!secret) throw new ApiError(400, 'validation', 'userHash: this channel has no identitySecret configured');
          if (!verifyUserHash(secret, body.userId, body.userHash)) throw new ApiError(403, 'forbidden', 'userHash does not match userId');
          visitorId = identifiedVisitorId(body.userId);
        }
        const expiresAt = new Date(Date.now() + adapter.widget.sessionDays * 86_400_000);
        const token = issueVisitorToken(deps.secretKey, {
          c: adapter.id,
          v: visitorId,
          ...(body.name ? { n: body.name } : {}),
          ...(body.email ? { e: body.email } : {}),
          exp: Math.floor(expiresAt.getTime() / 1000),
        });
        return { token, visitorId, expiresAt: expiresAt.toISOString(), welcomeMessage: adapter.widget.welcomeMessage ?? null, maxUploadBytes: deps.attachmentMaxBytes };
      },
      async widgetSendMessage({ locals, body, setHeader }) {
        const { adapter } = locals;
        const claims = claimsOf(locals);
        await limit(`messages:${adapter.id}:${claims.v}`, adapter.widget.limits.messagesPerMinute, 60, setHeader);
        await deps.sink.accept(parseVisitorMessage(adapter.id, { id: claims.v, name: claims.n, email: claims.e }, body, new Date()));
        return { clientMessageId: body.clientMessageId, status: 'accepted' as const };
      },
      async widgetHistory({ locals, query }) {
        const claims = claimsOf(locals);
        const scope = isIdentifiedVisitor(claims.v) ? ('identity' as const) : ('thread' as const);
        const history = await deps.customers.history(locals.adapter.id, claims.v, { ...query, scope });
        if (!history) {
          // Someone else's conversation (or none) looks the same as one that does not exist.
          if (query.conversation) throw new ApiError(404, 'not_found', 'conversation not found');
          return { items: [], conversation: null };
        }
        return {
          items: history.messages.map((m) => toVisitorMessage(locals.adapter.id, m)),
          conversation: { status: history.status, id: history.id, readOnly: !history.own },
        };
      },
      async widgetConversations({ locals }) {
        const claims = claimsOf(locals);
        if (!isIdentifiedVisitor(claims.v)) throw new ApiError(403, 'identified_only', 'only signed-in app users (a session with userHash) have a list of conversations');
        const items = await deps.customers.conversations(locals.adapter.id, claims.v);
        return { items: items.map(({ own, ...rest }) => ({ ...rest, readOnly: !own })) };
      },
      widgetEvents({ locals }) {
        const claims = claimsOf(locals);
        return (stream) => {
          stream.onClose(deps.onVisitor(locals.adapter.id, claims.v, (payload) => stream.send('message', payload)));
          stream.send('ready', { at: new Date().toISOString() });
        };
      },
      async widgetUploadAttachment({ locals, body, setHeader }) {
        const claims = claimsOf(locals);
        const { adapter } = locals;
        await limit(`uploads:${adapter.id}:${claims.v}`, adapter.widget.limits.uploadsPerTenMinutes, 600, setHeader);
        const saved = await deps.customers.upload(adapter.id, claims.v, body);
        return { id: saved.id, kind: saved.kind, name: saved.name ?? body.name, mimeType: saved.mimeType ?? body.mimeType, size: saved.size ?? body.bytes.length, url: `/widget/${adapter.id}/attachments/${saved.id}` };
      },
      async widgetDownloadAttachment({ locals, params }) {
        const claims = claimsOf(locals);
        const file = await deps.customers.attachment(locals.adapter.id, claims.v, params.id, isIdentifiedVisitor(claims.v) ? 'identity' : 'thread');
        if (!file) throw new ApiError(404, 'not_found', 'attachment not found');
        return file;
      },
    },
  };
}

export const webchatApi: ChannelApi = {
  contract: widgetRoutes,
  mount: (deps, mounter) => mounter(implement(deps)),
};
