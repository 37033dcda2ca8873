import type { Conversation } from '../../domain/conversation.js';
import type { Message } from '../../domain/message.js';
import type { RegexRunner } from './regex.js';
import type { Condition, LeafCondition } from './rule.js';

/** What a rule's conditions look at, for one event. */
export interface Facts {
  readonly conversation: Conversation;
  /** message.created: the message. */
  readonly message?: Message | undefined;
  /** csat.received: the rating given. */
  readonly rating?: number | undefined;
  /** Inside the desk's business hours when the event happened. */
  readonly businessHours: boolean;
}

/** One condition's outcome: `timeout` when its pattern ran out of time (that is no match). */
export type Outcome = boolean | 'timeout';

export interface Evaluation {
  readonly matched: boolean;
  /** Each top-level condition's outcome, in order (a dry run shows them all). */
  readonly outcomes: readonly Outcome[];
  /** Some pattern ran out of time. */
  readonly timedOut: boolean;
}

const lower = (text: string): string => text.toLocaleLowerCase();

function leaf(condition: LeafCondition, facts: Facts, regex: RegexRunner): Outcome {
  const { conversation, message } = facts;
  switch (condition.kind) {
    case 'channel':
      return condition.in.includes(conversation.channelId) || condition.in.includes(conversation.channelKind);
    case 'textContains': {
      if (!message) return false;
      const text = lower(message.text);
      return condition.words.some((word) => text.includes(lower(word)));
    }
    case 'textMatches':
      return message ? regex.test(condition.pattern, condition.ignoreCase, message.text) : false;
    case 'priority':
      return condition.in.includes(conversation.priority);
    case 'status':
      return condition.in.includes(conversation.status);
    case 'label':
      return conversation.labels.includes(condition.label) === (condition.op === 'has');
    case 'businessHours':
      return facts.businessHours === (condition.when === 'inside');
    case 'contact': {
      const value = condition.field === 'email' ? conversation.contact.email : conversation.contact.name;
      const present = value !== undefined && value !== '';
      if (condition.op === 'present') return present;
      if (condition.op === 'absent') return !present;
      if (!present) return false;
      const have = lower(value);
      const want = lower(condition.value ?? '');
      if (condition.op === 'equals') return have === want;
      if (condition.op === 'contains') return have.includes(want);
      return have.endsWith(want);
    }
    case 'identified':
      return (conversation.contact.userId !== null) === condition.value;
    case 'identities': {
      const count = conversation.contact.identities.length;
      return count >= condition.min && (condition.max === undefined || count <= condition.max);
    }
    case 'author': {
      if (!message) return false;
      const who = message.author.type === 'contact' ? 'customer' : message.author.type === 'agent' ? (message.private ? 'note' : 'agent') : undefined;
      return who !== undefined && condition.in.includes(who);
    }
    case 'rating':
      if (facts.rating === undefined) return false;
      return condition.op === 'lte' ? facts.rating <= condition.value : facts.rating >= condition.value;
  }
}

function one(condition: Condition, facts: Facts, regex: RegexRunner): Outcome {
  if (condition.kind !== 'any') return leaf(condition, facts, regex);
  let timedOut = false;
  for (const inner of condition.conditions) {
    const outcome = leaf(inner, facts, regex);
    if (outcome === true) return true;
    if (outcome === 'timeout') timedOut = true;
  }
  return timedOut ? 'timeout' : false;
}

/**
 * Whether all conditions hold (pure: the facts and a regex runner in, the outcome out). With
 * `all`, every condition is evaluated (a dry run shows each one); otherwise it stops at the first
 * that fails. No conditions: the rule applies to every event of its type.
 */
export function evaluate(conditions: readonly Condition[], facts: Facts, regex: RegexRunner, all = false): Evaluation {
  const outcomes: Outcome[] = [];
  let matched = true;
  for (const condition of conditions) {
    const outcome = one(condition, facts, regex);
    outcomes.push(outcome);
    if (outcome !== true) {
      matched = false;
      if (!all) break;
    }
  }
  return { matched, outcomes, timedOut: outcomes.includes('timeout') };
}
