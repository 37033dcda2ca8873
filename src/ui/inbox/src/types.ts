/** Shapes of the Switchboard agent API as the inbox uses them (source of truth: src/domain, src/http/openapi.ts). */

export const channelKinds = ['webchat', 'email', 'telegram', 'discord', 'x', 'wechat'] as const;
export type ChannelKind = (typeof channelKinds)[number];

export const conversationStatuses = ['open', 'pending', 'snoozed', 'resolved'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];

export interface ContactIdentity {
  channelId: string;
  externalId: string;
  handle?: string | null;
}

export interface Contact {
  id: string;
  name: string;
  email?: string;
  avatarUrl?: string;
  identities: ContactIdentity[];
}

export interface Conversation {
  id: string;
  channelId: string;
  channelKind: ChannelKind;
  status: ConversationStatus;
  priority: Priority;
  assigneeId: string | null;
  labels: string[];
  subject: string | null;
  contact: Contact;
  createdAt: string;
  lastMessageAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  snoozedUntil: string | null;
  replyWindowEndsAt: string | null;
  lastInboundAt: string | null;
  lastMessagePreview: string | null;
  waitingSince: string | null;
  escalation: { level: number; reason: string; at: string; by: string } | null;
  unread?: boolean;
}

export type AttachmentKind = 'image' | 'audio' | 'video' | 'file' | 'location' | 'sticker';

export interface Attachment {
  id: string;
  kind: AttachmentKind;
  name?: string;
  mimeType?: string;
  size?: number;
  url: string;
}

export const messageStatuses = ['received', 'queued', 'sending', 'sent', 'failed'] as const;
export type MessageStatus = (typeof messageStatuses)[number];
export type AuthorType = 'contact' | 'agent' | 'bot' | 'system';

export interface Message {
  id: string;
  conversationId: string;
  direction: 'inbound' | 'outbound';
  author: { type: AuthorType; id: string; name: string };
  text: string;
  html?: string;
  attachments: Attachment[];
  private: boolean;
  status: MessageStatus;
  error?: { code: string; message: string; retryable: boolean };
  externalId: string | null;
  createdAt: string;
  sentAt: string | null;
  replyToExternalId?: string | null;
  clientMessageId?: string | null;
  /** Client only: an optimistic bubble not yet confirmed by the server. */
  pending?: boolean;
}

export type AgentRole = 'admin' | 'agent';

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: AgentRole;
  active: boolean;
  createdAt: string;
}

export type ChannelHealth = 'ok' | 'starting' | 'error' | 'paused' | 'unknown';

export interface Channel {
  id: string;
  kind: ChannelKind;
  name: string;
  status: ChannelHealth;
  error: string | null;
  checkedAt: string | null;
  capabilities: {
    maxTextLength: number;
    formats: string[];
    attachments: boolean;
    replyWindowHours: number | null;
  };
}

export interface ConversationPatch {
  status?: ConversationStatus;
  assigneeId?: string | null;
  priority?: Priority;
  labels?: string[];
  snoozedUntil?: string | null;
}

export interface ConversationFilters {
  status: ConversationStatus | '';
  channel: string;
  /** `''` anyone, `me`, `unassigned` or an agent id. */
  assignee: string;
  priority: Priority | '';
  label: string;
  q: string;
}
