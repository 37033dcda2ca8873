import type { Attachment } from './types';

/** What an agent had typed in a conversation, kept while they look at another one. */
export interface Draft {
  text: string;
  mode: 'reply' | 'note';
  attachments: Attachment[];
  /** The Idempotency-Key of this composed message: reused when the same submit is retried. */
  key: string;
}

const drafts = new Map<string, Draft>();

export const getDraft = (conversationId: string): Draft | undefined => drafts.get(conversationId);

export function saveDraft(conversationId: string, draft: Draft): void {
  if (!draft.text && draft.attachments.length === 0 && draft.mode === 'reply') drafts.delete(conversationId);
  else drafts.set(conversationId, draft);
}

export function clearDrafts(): void {
  drafts.clear();
}
