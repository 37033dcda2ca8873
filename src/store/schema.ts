import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { ConversationCsat } from '../domain/csat.js';
import type { HandoffReason } from '../domain/conversation.js';
import type { Redaction } from '../domain/message.js';
import type { SystemNote } from '../domain/system-note.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface AgentsTable {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'agent' | 'bot';
  password_hash: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface ApiTokensTable {
  id: string;
  agent_id: string;
  token_hash: string;
  kind: 'session' | 'api' | 'bot';
  name: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface ContactsTable {
  id: string;
  name: string;
  email: string | null;
  avatar_url: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** The app's own id (issue 17), set only through a verified link. */
  user_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Merged into that contact (issue 17): kept, empty, so an undo restores it under its id. */
  merged_into: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ContactIdentitiesTable {
  channel_id: string;
  external_id: string;
  contact_id: string;
  handle: string | null;
  created_at: CreatedAt;
}

export interface ConversationsTable {
  id: string;
  channel_id: string;
  channel_kind: string;
  thread_key: string;
  contact_id: string;
  status: ColumnType<'open' | 'pending' | 'snoozed' | 'resolved', 'open' | 'pending' | 'snoozed' | 'resolved' | undefined>;
  priority: ColumnType<'low' | 'normal' | 'high' | 'urgent', 'low' | 'normal' | 'high' | 'urgent' | undefined>;
  assignee_id: string | null;
  labels: ColumnType<string[], string[] | undefined, string[]>;
  subject: string | null;
  created_at: CreatedAt;
  last_message_at: Timestamp;
  last_inbound_at: Timestamp | null;
  last_message_preview: string | null;
  first_response_at: Timestamp | null;
  resolved_at: Timestamp | null;
  snoozed_until: Timestamp | null;
  reply_window_ends_at: Timestamp | null;
  waiting_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  unreachable_reason: ColumnType<string | null, string | null | undefined, string | null>;
  unreachable_since: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  escalation: ColumnType<Escalation | null, string | null | undefined, string | null>;
  /** The desk's SLA clocks (`src/desk/sla/clock.ts` SlaState), written as JSON text. */
  sla: ColumnType<unknown, string | null | undefined, string | null>;
  sla_due_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  sla_breached_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  sla_wake_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  team_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The newest survey answer (`Conversation.csat`), written as JSON text. */
  csat: ColumnType<ConversationCsat | null, string | null | undefined, string | null>;
  /** A survey waits for an answer typed as text until then: messages before it do not reopen the conversation. */
  survey_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Who answers it now (issue 16): the FAQ bot until it hands off, then the team for good. */
  handled_by: ColumnType<'bot' | 'agent', 'bot' | 'agent' | undefined, 'bot' | 'agent'>;
  /** The agent bot it was opened for (issue 18); null = the FAQ bot's or the team's from the start. */
  bot_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** When and why the bot handed it to the team (`Conversation.handoff`), written as JSON text. */
  handoff: ColumnType<Handoff | null, string | null | undefined, string | null>;
}

export interface Handoff {
  readonly at: string;
  readonly reason: HandoffReason;
}

export interface BotAnswersTable {
  id: string;
  conversation_id: string;
  channel_id: string;
  question_message_id: string;
  article_id: string;
  article_title: string;
  lang: string;
  answered_at: CreatedAt;
  outcome: ColumnType<'solved' | 'handoff' | null, 'solved' | 'handoff' | null | undefined, 'solved' | 'handoff' | null>;
  outcome_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface TeamsTable {
  id: string;
  name: string;
  supervisor_id: string | null;
  parent_id: string | null;
  channels: ColumnType<string[], string[] | undefined, string[]>;
  auto_assign: ColumnType<boolean, boolean | undefined, boolean>;
  last_assigned_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
}

export interface TeamMembersTable {
  team_id: string;
  agent_id: string;
  capacity: ColumnType<number, number | undefined, number>;
}

/** How a conversation's escalation is stored (`Conversation.escalation` with a Date). */
export interface Escalation {
  level: number;
  reason: string;
  at: string;
  by: string;
  /** Who it went to (the supervisor assigned), when anyone. */
  to?: string | null;
  /** What made the automatic ones (`sla:<metric>:<at>`), so a redelivered trigger escalates once. */
  triggers?: string[];
}

export interface ConversationReadsTable {
  agent_id: string;
  conversation_id: string;
  read_at: Timestamp;
}

export interface MessagesTable {
  id: string;
  /** Arrival order, the tie-breaker after the platform's sent time. */
  seq: Generated<string>;
  conversation_id: string;
  channel_id: string;
  direction: 'inbound' | 'outbound';
  author_type: 'contact' | 'agent' | 'bot' | 'system';
  author_id: string;
  author_name: string;
  text: string;
  html: string | null;
  private: boolean;
  status: 'received' | 'queued' | 'sending' | 'sent' | 'failed';
  error: JSONColumnType<{ code: string; message: string; retryable: boolean } | null, string | null, string | null>;
  external_id: string | null;
  reply_to_external_id: string | null;
  client_message_id: string | null;
  idempotency_key: string | null;
  raw: ColumnType<unknown, string | null, string | null>;
  created_at: Timestamp;
  received_at: CreatedAt;
  sent_at: Timestamp | null;
  updated_at: Timestamp;
  edited_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  deleted_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  sent_parts: ColumnType<string[], string[] | undefined, string[]>;
  system: ColumnType<SystemNote | null, string | null | undefined, string | null>;
  redactions: ColumnType<Redaction[] | null, string | null | undefined, string | null>;
  choice: ColumnType<StoredChoice | null, string | null | undefined, string | null>;
}

/**
 * A message's choice: on a question, its options with what the channel needs to present them
 * (links' URLs, the text after a pick) — the API shows only values and labels; on the customer's
 * answer, the value picked.
 */
export interface StoredChoice {
  id: string;
  options?: { value: string; label: string; url?: string; answered: string }[];
  picked?: string;
}

export interface CsatSurveysTable {
  id: string;
  conversation_id: string;
  channel_id: string;
  resolved_at: Timestamp;
  created_at: CreatedAt;
  message_id: string | null;
  lang: string;
  stage: ColumnType<'rating' | 'comment' | 'done', 'rating' | 'comment' | 'done' | undefined, 'rating' | 'comment' | 'done'>;
  answer_until: Timestamp;
  text_until: Timestamp;
  rating: number | null;
  rated_at: Timestamp | null;
  rated_via: string | null;
  comment: string | null;
  commented_at: Timestamp | null;
}

export interface AttachmentsTable {
  id: string;
  message_id: string | null;
  /** Who may link the upload to a message: `agent:<id>` or `visitor:<channel>:<visitor>`. */
  owner: string;
  kind: string;
  name: string | null;
  mime_type: string | null;
  size: number | null;
  storage_key: string | null;
  /** Platform reference still to fetch (Telegram file_id, WeChat MediaId, …). */
  remote: string | null;
  meta: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  created_at: CreatedAt;
}

export interface ChannelStateTable {
  channel_id: string;
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
}

export interface OutboxTable {
  id: Generated<string>;
  events: ColumnType<unknown, string, never>;
  created_at: CreatedAt;
  /** A sweeper took it until then (recovery of batches left behind). */
  claimed_until: ColumnType<Date | null, never, Date | null>;
}

export interface DeskSettingsTable {
  feature: string;
  value: ColumnType<unknown, string, string>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface KbArticlesTable {
  id: string;
  slug: string;
  /** The current version's number (and the optimistic lock of an edit). */
  version: number;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** One translation of an article as stored (body in Markdown). */
export interface KbTranslation {
  title: string;
  body: string;
}

/** An immutable snapshot of an article's whole content, one per save. */
export interface KbArticleVersionsTable {
  article_id: string;
  version: number;
  status: 'draft' | 'published' | 'archived';
  audience: 'public' | 'internal';
  tags: ColumnType<string[], string[] | undefined, never>;
  channels: ColumnType<string[], string[] | undefined, never>;
  translations: ColumnType<{ en?: KbTranslation; zh?: KbTranslation }, string, never>;
  edited_at: ColumnType<Date, Date | string | undefined, never>;
  edited_by: ColumnType<string | null, string | null, never>;
}

/** A canned reply (issue 16): `owner_id` null = shared; each variant a template (`src/desk/canned/template.ts`). */
export interface CannedRepliesTable {
  id: string;
  shortcut: string;
  title: string;
  owner_id: string | null;
  text_en: string | null;
  text_zh: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** An agent's note about a customer (issue 17), private to the team. */
export interface CustomerNotesTable {
  id: string;
  contact_id: string;
  author_id: string | null;
  author_name: string;
  text: string;
  created_at: CreatedAt;
}

/** One audit entry (issue 17, `src/store/audit.ts`): never updated, never deleted. */
export interface AuditLogTable {
  /** 1, 2, 3, … without gaps (int8: a string from pg, a number or bigint from PGlite). */
  seq: ColumnType<string | number | bigint, number, never>;
  at: ColumnType<Date, Date, never>;
  actor_type: ColumnType<'agent' | 'api' | 'system', 'agent' | 'api' | 'system', never>;
  actor_id: ColumnType<string, string, never>;
  actor_name: ColumnType<string, string, never>;
  action: ColumnType<string, string, never>;
  target_type: ColumnType<string, string, never>;
  target_id: ColumnType<string, string, never>;
  details: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: ColumnType<string, string, never>;
  hash: ColumnType<string, string, never>;
}

/** A customer's export or erasure (issue 17, `src/desk/records/`): what the inbox polls. */
export interface RecordsJobsTable {
  id: string;
  kind: 'export' | 'erase';
  contact_id: string | null;
  status: ColumnType<'queued' | 'running' | 'done' | 'failed', 'queued' | 'running' | 'done' | 'failed' | undefined>;
  progress: ColumnType<number, number | undefined>;
  error: ColumnType<string | null, string | null | undefined>;
  file_path: ColumnType<string | null, string | null | undefined>;
  expires_at: ColumnType<Date | null, Date | null | undefined>;
  downloaded_at: ColumnType<Date | null, Date | null | undefined>;
  requested_by: string;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** An automation rule (issue 18); `conditions` and `actions` as src/desk/automation/rule.ts validated them. */
export interface AutomationRulesTable {
  id: string;
  name: string;
  enabled: boolean;
  event: string;
  conditions: ColumnType<unknown, string, string>;
  actions: ColumnType<unknown, string, string>;
  position: number;
  created_at: CreatedAt;
  updated_at: Timestamp;
  updated_by: string;
}

export type AutomationRunStatus = 'running' | 'done' | 'failed' | 'skipped';

/** One rule's run on one event (issue 18): its claim and its log line. */
export interface AutomationRunsTable {
  id: Generated<string>;
  rule_id: string;
  event_id: string;
  event_type: string;
  conversation_id: string | null;
  status: AutomationRunStatus;
  claimed_until: ColumnType<Date | null, Date | null | undefined, Date | null>;
  actions_done: ColumnType<string[], string | undefined, string>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
  chain: ColumnType<string[], string | undefined, string>;
  at: ColumnType<Date, Date | undefined, Date>;
  finished_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** An agent bot's settings (issue 18): the agent row (role `bot`) is its identity and its on/off switch. */
export interface AgentBotsTable {
  agent_id: string;
  description: string;
  /** Channel ids or kinds it answers on. */
  channels: JSONColumnType<string[], string, string>;
  /** Its webhook endpoint (`webhook_endpoints`), through which it receives its conversations. */
  endpoint_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface Database {
  agents: AgentsTable;
  agent_bots: AgentBotsTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  api_tokens: ApiTokensTable;
  contacts: ContactsTable;
  contact_identities: ContactIdentitiesTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  channel_state: ChannelStateTable;
  conversation_reads: ConversationReadsTable;
  outbox: OutboxTable;
  desk_settings: DeskSettingsTable;
  csat_surveys: CsatSurveysTable;
  kb_articles: KbArticlesTable;
  kb_article_versions: KbArticleVersionsTable;
  bot_answers: BotAnswersTable;
  canned_replies: CannedRepliesTable;
  customer_notes: CustomerNotesTable;
  audit_log: AuditLogTable;
  records_jobs: RecordsJobsTable;
  identity_links: IdentityLinksTable;
  contact_merges: ContactMergesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  automation_rules: AutomationRulesTable;
  automation_runs: AutomationRunsTable;
}

/** A code the app's backend asked for (issue 17): single use, expiring. */
export interface IdentityLinksTable {
  nonce: string;
  user_id: string;
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  used_by_contact: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A merge of two contacts and what it changed (`src/store/identity.ts` MergeSnapshot). */
export interface ContactMergesTable {
  id: string;
  kept_contact_id: string;
  merged_contact_id: string;
  snapshot: ColumnType<unknown, string, string>;
  by: string;
  reason: string;
  at: Timestamp;
  undone_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  undone_by: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A receiver of outbound webhooks (issue 18, migration 020). `events`/`channels`: JSON arrays of strings. */
export interface WebhookEndpointsTable {
  id: string;
  url: string;
  description: ColumnType<string, string | undefined, string>;
  events: ColumnType<unknown, string, string>;
  channels: ColumnType<unknown, string | null | undefined, string | null>;
  handled_by: ColumnType<'bot' | 'agent' | null, 'bot' | 'agent' | null | undefined, 'bot' | 'agent' | null>;
  owner_agent_id: ColumnType<string | null, string | null | undefined, string | null>;
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  disabled_reason: ColumnType<string | null, string | null | undefined, string | null>;
  disabled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  secret_sealed: string;
  previous_secret_sealed: ColumnType<string | null, string | null | undefined, string | null>;
  previous_secret_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_by: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** One event for one endpoint: the outbox row and the truth about its delivery. */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event_type: string;
  key: string;
  conversation_id: ColumnType<string | null, string | null | undefined, string | null>;
  payload: ColumnType<unknown, string, string>;
  status: ColumnType<'pending' | 'succeeded' | 'failed', 'pending' | 'succeeded' | 'failed' | undefined, 'pending' | 'succeeded' | 'failed'>;
  attempts: ColumnType<number, number | undefined, number>;
  /** `attempts` when the current round began (a replay starts the retry schedule again). */
  round_start: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  last_status: ColumnType<number | null, number | null | undefined, number | null>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  delivered_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface WebhookAttemptsTable {
  id: Generated<string>;
  delivery_id: string;
  at: ColumnType<Date, Date | undefined, never>;
  http_status: number | null;
  error: string | null;
  duration_ms: number;
  response_body: string | null;
}
