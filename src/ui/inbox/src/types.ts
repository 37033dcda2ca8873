import type { ResponseOf, BodyOf, QueryOf } from '../../../api/route.js';
import type { coreRoutes } from '../../../api/routes.js';
import type { SystemNote as ServerSystemNote } from '../../../domain/system-note.js';
import type { deskRoutes } from '../../../desk/api.js';
import type { draftRoutes } from '../../../desk/drafts/api.js';
import type { kbRoutes } from '../../../desk/kb/api.js';
import type { safetyRoutes } from '../../../desk/safety/api.js';
import type { teamRoutes } from '../../../desk/teams/api.js';
import type { identityRoutes } from '../../../desk/identity/api.js';
import type { botRoutes } from '../../../desk/bot/api.js';
import type { transcriptRoutes } from '../../../desk/transcripts/api.js';
import type { cannedRoutes } from '../../../desk/canned/api.js';
import type { customerRoutes } from '../../../desk/customers/api.js';
import type { auditRoutes } from '../../../desk/audit/api.js';
import type { recordsRoutes } from '../../../desk/records/api.js';
import type { webhookRoutes } from '../../../desk/webhooks/api.js';

/**
 * The API's shapes as the inbox receives and sends them, taken from the route contract the server
 * is built from (src/api/routes.ts), so the inbox cannot drift from what the server answers.
 * Type-only imports: none of the server's code (nor zod) reaches the bundle.
 */
type Core = typeof coreRoutes;

export type Agent = ResponseOf<Core['getMe']>;
export type AgentRole = Agent['role'];
export type LoginResult = ResponseOf<Core['login']>;
export type CreateAgentBody = BodyOf<Core['createAgent']>;
export type AgentList = ResponseOf<Core['listAgents']>;

export type Channel = ResponseOf<Core['listChannels']>[number];
export type ChannelKind = Channel['kind'];
export type ChannelHealth = Channel['status'];

export type Conversation = ResponseOf<Core['getConversation']>;
export type ConversationPage = ResponseOf<Core['listConversations']>;
export type ConversationStatus = Conversation['status'];
export type Priority = Conversation['priority'];
export type ConversationPatch = BodyOf<Core['updateConversation']>;
export type ConversationQuery = QueryOf<Core['listConversations']>;

/** Wallet safety's transfer details panel (GET /api/conversations/:id/transfer-details). */
export type TransferDetails = ResponseOf<(typeof safetyRoutes)['transferDetails']>;
export type TransferDetail = TransferDetails['items'][number];

/** Teams, routing and escalation (src/desk/teams/api.ts). */
type Teams = typeof teamRoutes;
export type Team = ResponseOf<Teams['listTeams']>['items'][number];
export type TeamMember = Team['members'][number];
export type TeamList = ResponseOf<Teams['listTeams']>;
export type TeamBody = BodyOf<Teams['createTeam']>;
export type EscalationReason = BodyOf<Teams['escalateConversation']>['reason'];
export type Escalation = NonNullable<Conversation['escalation']>;

/** Reply drafts (src/desk/drafts/api.ts). */
export type DraftsStatus = ResponseOf<(typeof draftRoutes)['draftsStatus']>;
export type ReplyDraftResult = ResponseOf<(typeof draftRoutes)['draftReply']>;

/** Canned replies (src/desk/canned/api.ts). */
type CannedApi = typeof cannedRoutes;
export type Canned = ResponseOf<CannedApi['listCanned']>['items'][number];
export type CannedList = ResponseOf<CannedApi['listCanned']>;
export type CannedQuery = QueryOf<CannedApi['listCanned']>;
export type CannedBody = BodyOf<CannedApi['createCanned']>;
export type CannedRendering = ResponseOf<CannedApi['renderCanned']>;

/** The customer page (issue 17; src/desk/customers/api.ts). */
type CustomersApi = typeof customerRoutes;
export type ContactSearchPage = ResponseOf<CustomersApi['searchContacts']>;
export type ContactSummary = ContactSearchPage['items'][number];
export type ContactSearchQuery = QueryOf<CustomersApi['searchContacts']>;
export type CustomerRecord = ResponseOf<CustomersApi['getContact']>;
export type CustomerConversation = CustomerRecord['conversations'][number];
export type CsatAnswer = CustomerRecord['csat'][number];
export type CustomerTimeline = ResponseOf<CustomersApi['contactTimeline']>;
export type TimelineMessage = CustomerTimeline['items'][number];
export type TimelineQuery = QueryOf<CustomersApi['contactTimeline']>;
export type CustomerNote = ResponseOf<CustomersApi['addContactNote']>;
export type CustomerNoteList = ResponseOf<CustomersApi['listContactNotes']>;

export type Attachment = ResponseOf<Core['uploadAttachment']>;
export type ReplyBody = BodyOf<Core['sendReply']>;
export type SystemNote = ServerSystemNote;

/** A message as the server sends it, or (client only, `pending`) an optimistic bubble not yet confirmed. */
export type Message = ResponseOf<Core['sendReply']> & { pending?: boolean };
export type MessageList = ResponseOf<Core['listMessages']>;
export type MessagesQuery = QueryOf<Core['listMessages']>;

/**
 * The enums the inbox lists in menus, in display order. Values cannot come from the server's zod
 * schemas without bundling zod; `Exhaustive` makes the compiler reject a list that misses one.
 */
type Exhaustive<Union, List extends readonly Union[]> = [Union] extends [List[number]] ? List : never;
const exhaustive =
  <Union>() =>
  <const List extends readonly Union[]>(list: Exhaustive<Union, List>): List =>
    list;

export const conversationStatuses = exhaustive<ConversationStatus>()(['open', 'pending', 'snoozed', 'resolved']);
export const priorities = exhaustive<Priority>()(['low', 'normal', 'high', 'urgent']);
export const escalationReasons = exhaustive<EscalationReason>()(['complaint', 'security', 'refund', 'other']);
export const channelKinds = exhaustive<ChannelKind>()(['webchat', 'email', 'telegram', 'discord', 'x', 'wechat']);

/** The list's filters as the inbox keeps them (in the URL); `''` = any. */
export interface ConversationFilters {
  status: ConversationStatus | '';
  channel: string;
  /** `''` anyone, `me`, `unassigned` or an agent id. */
  assignee: string;
  priority: Priority | '';
  label: string;
  q: string;
  /** A service-level view: `breached` (past a target now) or `running` (a target clock runs). */
  sla: NonNullable<ConversationQuery['sla']> | '';
  /** `''` any team, `none` (no team) or a team id. */
  team: string;
  /** The supervisor's view: only escalated conversations. */
  escalated: boolean;
  /** By the customer's newest survey answer: `rated`, `unrated`, `low` (1–2), `high` (4–5) or one score. */
  csat: NonNullable<ConversationQuery['csat']> | '';
}

/** The list's order: newest activity first, or the soonest service-level due time first. */
export type ConversationSort = NonNullable<ConversationQuery['sort']>;

/** One desk feature's settings as GET /api/desk/settings lists them (src/desk/api.ts). */
export type DeskSettingsItem = ResponseOf<(typeof deskRoutes)['listDeskSettings']>['items'][number];
export type DeskSettingsBody = BodyOf<(typeof deskRoutes)['updateDeskSettings']>;

/** The FAQ bot's deflection in a period (issue 16). */
export type SelfServiceReport = ResponseOf<(typeof botRoutes)['selfServiceReport']>;
/** The knowledge base (issue 16; src/desk/kb/api.ts). */
type Kb = typeof kbRoutes;
export type Article = ResponseOf<Kb['getKbArticle']>;
export type ArticleStatus = Article['status'];
export type ArticleBody = BodyOf<Kb['createKbArticle']>;
export type ArticleUpdate = BodyOf<Kb['updateKbArticle']>;
export type ArticleVersion = ResponseOf<Kb['listKbArticleVersions']>['items'][number];
export type ArticleHit = ResponseOf<Kb['searchKb']>['items'][number];
export type ArticleListQuery = QueryOf<Kb['listKbArticles']>;
export type ArticleSearchQuery = QueryOf<Kb['searchKb']>;
export const articleStatuses = exhaustive<ArticleStatus>()(['draft', 'published', 'archived']);

type Identity = typeof identityRoutes;
export type MergeSuggestionList = ResponseOf<Identity['contactMergeSuggestions']>;
export type ContactMerge = ResponseOf<Identity['mergeContact']>;
/** The audit log and a customer's records jobs (issue 17: src/desk/audit, src/desk/records). */
export type AuditPage = ResponseOf<(typeof auditRoutes)['listAudit']>;
export type AuditEntry = AuditPage['items'][number];
export type AuditVerification = ResponseOf<(typeof auditRoutes)['verifyAudit']>;
export type RecordsJob = ResponseOf<(typeof recordsRoutes)['getRecordsJob']>;
export type RecordsJobList = ResponseOf<(typeof recordsRoutes)['listContactJobs']>;

/** Sending a conversation's transcript to the customer (issue 17). */
export type TranscriptRequest = BodyOf<(typeof transcriptRoutes)['sendTranscript']>;

/**
 * Outbound webhooks (issue 18), admins. The event list is a copy of WEBHOOK_EVENT_TYPES
 * (src/domain/webhooks.ts): a value, and the inbox's bundle takes no server module.
 */
export const WEBHOOK_EVENT_TYPES = [
  'conversation.created',
  'conversation.updated',
  'message.created',
  'message.updated',
  'conversation.escalated',
  'message.redacted',
  'conversation.sla_breached',
  'conversation.sla_warning',
  'csat.received',
] as const satisfies readonly WebhookEventType[];
type Webhooks = typeof webhookRoutes;
/** An event type, or `*` for all. */
export type WebhookEventChoice = BodyOf<Webhooks['createWebhook']>['events'][number];
type WebhookEventType = Exclude<WebhookEventChoice, '*'>;
export type WebhookEndpoint = ResponseOf<Webhooks['getWebhook']>;
export type WebhookBody = BodyOf<Webhooks['createWebhook']>;
export type WebhookPatchBody = BodyOf<Webhooks['updateWebhook']>;
export type WebhookWithSecret = ResponseOf<Webhooks['createWebhook']>;
export type WebhookDelivery = ResponseOf<Webhooks['testWebhook']>;
export type WebhookDeliveryDetail = ResponseOf<Webhooks['getWebhookDelivery']>;
export type WebhookDeliveryQuery = QueryOf<Webhooks['listWebhookDeliveries']>;
