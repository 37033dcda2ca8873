import type {
  SelfServiceReport,
  TranscriptRequest,
  Agent,
  Article,
  ArticleBody,
  ArticleHit,
  ArticleListQuery,
  ArticleSearchQuery,
  ArticleStatus,
  ArticleUpdate,
  ArticleVersion,
  AgentList,
  Attachment,
  Canned,
  CannedBody,
  CannedList,
  CannedQuery,
  CannedRendering,
  Channel,
  Conversation,
  ConversationFilters,
  ConversationPage,
  ConversationPatch,
  ConversationQuery,
  ConversationSort,
  CreateAgentBody,
  DeskSettingsBody,
  DeskSettingsItem,
  DraftsStatus,
  ReplyDraftResult,
  EscalationReason,
  LoginResult,
  Message,
  TransferDetails,
  ContactSearchPage,
  ContactSearchQuery,
  CustomerNote,
  CustomerNoteList,
  CustomerRecord,
  CustomerTimeline,
  TimelineQuery,
  MessageList,
  MessagesQuery,
  ReplyBody,
  Team,
  TeamBody,
  TeamList,
  MergeSuggestionList,
  ContactMerge,
  AuditPage,
  AuditVerification,
  RecordsJob,
  RecordsJobList,
  WebhookBody,
  WebhookDelivery,
  WebhookDeliveryDetail,
  WebhookEndpoint,
  WebhookDeliveryQuery,
  WebhookPatchBody,
  WebhookWithSecret,
} from './types.js';

/** An API failure: `status` 0 and code `network` when the server could not be reached at all. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let unauthorizedHandler: (() => void) | null = null;

/** Called whenever an authenticated request answers 401 (session expired, revoked, agent deactivated). */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

function readCookie(name: string): string {
  for (const part of document.cookie.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return decodeURIComponent(part.slice(index + 1).trim());
  }
  return '';
}

interface CallOptions {
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Login and the boot-time session check handle 401 themselves. */
  quiet401?: boolean;
}

async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (method !== 'GET') headers['X-CSRF-Token'] = readCookie('sb_csrf');
  let body = options.body;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'same-origin', signal: options.signal });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'network error');
  }
  if (response.status === 204) return undefined as T;
  let payload: unknown = null;
  const text = await response.text();
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = null;
    }
  }
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string } } | null)?.error;
    if (response.status === 401 && !options.quiet401) unauthorizedHandler?.();
    throw new ApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? response.statusText);
  }
  return payload as T;
}

/** A query string of the route's declared parameters (`Q`: its QueryOf); empty values are left out. */
function query<Q extends object>(params: { [K in keyof Q]?: Q[K] | '' | null }): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  login: (email: string, password: string) => call<LoginResult>('POST', '/api/auth/login', { json: { email, password }, quiet401: true }),
  logout: () => call<void>('POST', '/api/auth/logout', { quiet401: true }),
  me: () => call<Agent>('GET', '/api/me', { quiet401: true }),
  /** Like `me`, but a 401 signs the app out (used when the event stream is refused). */
  checkSession: () => call<Agent>('GET', '/api/me'),

  listConversations: (filters: Partial<ConversationFilters> & { contact?: string; sort?: ConversationSort }, cursor: string | null, limit = 25, signal?: AbortSignal) =>
    call<ConversationPage>(
      'GET',
      `/api/conversations${query<ConversationQuery>({
        status: filters.status,
        channel: filters.channel,
        assignee: filters.assignee,
        priority: filters.priority,
        label: filters.label,
        contact: filters.contact,
        q: filters.q,
        sla: filters.sla,
        team: filters.team,
        escalated: filters.escalated ? 'true' : '',
        csat: filters.csat,
        sort: filters.sort,
        limit,
        cursor,
      })}`,
      { signal },
    ),
  getConversation: (id: string) => call<Conversation>('GET', `/api/conversations/${encodeURIComponent(id)}`),
  markRead: (id: string) => call<void>('POST', `/api/conversations/${encodeURIComponent(id)}/read`),
  listMessages: (id: string, options: { before?: string; limit?: number } = {}) =>
    call<MessageList>('GET', `/api/conversations/${encodeURIComponent(id)}/messages${query<MessagesQuery>({ before: options.before, limit: options.limit ?? 50 })}`),
  sendMessage: (id: string, body: ReplyBody, idempotencyKey: string) =>
    call<Message>('POST', `/api/conversations/${encodeURIComponent(id)}/messages`, { json: body, headers: { 'Idempotency-Key': idempotencyKey } }),
  patchConversation: (id: string, patch: ConversationPatch) => call<Conversation>('PATCH', `/api/conversations/${encodeURIComponent(id)}`, { json: patch }),
  retryMessage: (id: string) => call<Message>('POST', `/api/messages/${encodeURIComponent(id)}/retry`),
  upload: (file: File, type: string) =>
    call<Attachment>('POST', '/api/attachments', {
      body: file,
      headers: { 'Content-Type': type || 'application/octet-stream', 'X-Filename': encodeURIComponent(file.name) },
    }),

  setConversationTeam: (id: string, teamId: string | null) => call<Conversation>('PUT', `/api/conversations/${encodeURIComponent(id)}/team`, { json: { teamId } }),
  selfServiceReport: (from: string, to: string) => call<SelfServiceReport>('GET', `/api/reports/self-service?${new URLSearchParams({ from, to }).toString()}`),
  sendTranscript: (id: string, body: TranscriptRequest) => call<unknown>('POST', `/api/conversations/${encodeURIComponent(id)}/transcript`, { json: body }),
  takeOver: (id: string) => call<Conversation>('POST', `/api/conversations/${encodeURIComponent(id)}/handoff`),
  escalate: (id: string, reason: EscalationReason) => call<Conversation>('POST', `/api/conversations/${encodeURIComponent(id)}/escalate`, { json: { reason } }),

  transferDetails: (id: string) => call<TransferDetails>('GET', `/api/conversations/${encodeURIComponent(id)}/transfer-details`),

  searchContacts: (q: string, cursor: string | null, limit = 25, signal?: AbortSignal) =>
    call<ContactSearchPage>('GET', `/api/contacts${query<ContactSearchQuery>({ q, cursor, limit })}`, { signal }),
  getContact: (id: string) => call<CustomerRecord>('GET', `/api/contacts/${encodeURIComponent(id)}`),
  contactTimeline: (id: string, before: string | null, limit = 50) =>
    call<CustomerTimeline>('GET', `/api/contacts/${encodeURIComponent(id)}/timeline${query<TimelineQuery>({ before, limit })}`),
  listContactNotes: (id: string) => call<CustomerNoteList>('GET', `/api/contacts/${encodeURIComponent(id)}/notes`),
  addContactNote: (id: string, text: string) => call<CustomerNote>('POST', `/api/contacts/${encodeURIComponent(id)}/notes`, { json: { text } }),
  deleteContactNote: (id: string, noteId: string) => call<void>('DELETE', `/api/contacts/${encodeURIComponent(id)}/notes/${encodeURIComponent(noteId)}`),

  draftsStatus: () => call<DraftsStatus>('GET', '/api/drafts/status'),
  draftReply: (id: string) => call<ReplyDraftResult>('POST', `/api/conversations/${encodeURIComponent(id)}/draft`),

  listChannels: () => call<Channel[]>('GET', '/api/channels'),
  listAgents: () => call<AgentList>('GET', '/api/agents'),
  createAgent: (body: CreateAgentBody) => call<Agent>('POST', '/api/agents', { json: body }),
  setAgentActive: (id: string, active: boolean) => call<Agent>('PATCH', `/api/agents/${encodeURIComponent(id)}`, { json: { active } }),

  listTeams: () => call<TeamList>('GET', '/api/teams'),
  createTeam: (body: TeamBody) => call<Team>('POST', '/api/teams', { json: body }),
  updateTeam: (id: string, body: TeamBody) => call<Team>('PUT', `/api/teams/${encodeURIComponent(id)}`, { json: body }),
  deleteTeam: (id: string) => call<void>('DELETE', `/api/teams/${encodeURIComponent(id)}`),

  mergeSuggestions: (contactId: string, signal?: AbortSignal) => call<MergeSuggestionList>('GET', `/api/contacts/${encodeURIComponent(contactId)}/merge-suggestions`, { signal }),
  mergeContact: (contactId: string, otherContactId: string, reason: string) =>
    call<ContactMerge>('POST', `/api/contacts/${encodeURIComponent(contactId)}/merge`, { json: { otherContactId, reason } }),
  undoMerge: (mergeId: string) => call<ContactMerge>('POST', `/api/contact-merges/${encodeURIComponent(mergeId)}/undo`),

  listCanned: (q?: string, signal?: AbortSignal) => call<CannedList>('GET', `/api/canned${query<CannedQuery>({ q })}`, { signal }),
  createCanned: (body: CannedBody) => call<Canned>('POST', '/api/canned', { json: body }),
  updateCanned: (id: string, body: CannedBody) => call<Canned>('PUT', `/api/canned/${encodeURIComponent(id)}`, { json: body }),
  deleteCanned: (id: string) => call<void>('DELETE', `/api/canned/${encodeURIComponent(id)}`),
  renderCanned: (id: string, conversationId: string) => call<CannedRendering>('POST', `/api/canned/${encodeURIComponent(id)}/render`, { json: { conversationId } }),

  listDeskSettings: () => call<{ items: DeskSettingsItem[] }>('GET', '/api/desk/settings'),
  updateDeskSettings: (feature: string, body: DeskSettingsBody) => call<DeskSettingsItem>('PUT', `/api/desk/settings/${encodeURIComponent(feature)}`, { json: body }),
  resetDeskSettings: (feature: string) => call<DeskSettingsItem>('DELETE', `/api/desk/settings/${encodeURIComponent(feature)}`),

  listArticles: (filters: { status?: ArticleStatus | ''; q?: string }, signal?: AbortSignal) =>
    call<{ items: Article[] }>('GET', `/api/kb/articles${query<ArticleListQuery>(filters)}`, { signal }),
  getArticle: (id: string) => call<Article>('GET', `/api/kb/articles/${encodeURIComponent(id)}`),
  createArticle: (body: ArticleBody) => call<Article>('POST', '/api/kb/articles', { json: body }),
  updateArticle: (id: string, body: ArticleUpdate) => call<Article>('PUT', `/api/kb/articles/${encodeURIComponent(id)}`, { json: body }),
  articleVersions: (id: string) => call<{ items: ArticleVersion[] }>('GET', `/api/kb/articles/${encodeURIComponent(id)}/versions`),
  restoreArticleVersion: (id: string, version: number) => call<Article>('POST', `/api/kb/articles/${encodeURIComponent(id)}/versions/${version}/restore`),
  searchArticles: (params: ArticleSearchQuery, signal?: AbortSignal) => call<{ items: ArticleHit[] }>('GET', `/api/kb/search${query<ArticleSearchQuery>(params)}`, { signal }),

  listAudit: (before: number | null, limit = 50) => call<AuditPage>('GET', `/api/audit${query({ limit, before })}`),
  verifyAudit: () => call<AuditVerification>('GET', '/api/audit/verify'),
  exportContact: (id: string) => call<RecordsJob>('POST', `/api/contacts/${encodeURIComponent(id)}/export`),
  eraseContact: (id: string, confirm: string) => call<RecordsJob>('POST', `/api/contacts/${encodeURIComponent(id)}/erase`, { json: { confirm } }),
  contactJobs: (id: string) => call<RecordsJobList>('GET', `/api/contacts/${encodeURIComponent(id)}/jobs`),
  recordsJob: (id: string) => call<RecordsJob>('GET', `/api/jobs/${encodeURIComponent(id)}`),

  listWebhooks: () => call<{ items: WebhookEndpoint[] }>('GET', '/api/webhooks'),
  createWebhook: (body: WebhookBody) => call<WebhookWithSecret>('POST', '/api/webhooks', { json: body }),
  updateWebhook: (id: string, body: WebhookPatchBody) => call<WebhookEndpoint>('PATCH', `/api/webhooks/${encodeURIComponent(id)}`, { json: body }),
  deleteWebhook: (id: string) => call<void>('DELETE', `/api/webhooks/${encodeURIComponent(id)}`),
  rotateWebhookSecret: (id: string) => call<WebhookWithSecret>('POST', `/api/webhooks/${encodeURIComponent(id)}/rotate-secret`),
  enableWebhook: (id: string) => call<WebhookEndpoint>('POST', `/api/webhooks/${encodeURIComponent(id)}/enable`),
  testWebhook: (id: string) => call<WebhookDelivery>('POST', `/api/webhooks/${encodeURIComponent(id)}/test`),
  listWebhookDeliveries: (id: string, limit = 50) => call<{ items: WebhookDelivery[] }>('GET', `/api/webhooks/${encodeURIComponent(id)}/deliveries${query<WebhookDeliveryQuery>({ limit })}`),
  getWebhookDelivery: (id: string) => call<WebhookDeliveryDetail>('GET', `/api/webhook-deliveries/${encodeURIComponent(id)}`),
  replayWebhookDelivery: (id: string) => call<WebhookDelivery>('POST', `/api/webhook-deliveries/${encodeURIComponent(id)}/replay`),
};
