import { DiscordAPIError, HTTPError, RESTJSONErrorCodes } from 'discord.js';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ConversationAddress, OutboundChoice, SharedState } from '../../src/channels/contract.js';
import { retryDelayMs, sleep } from '../../src/channels/kit/index.js';
import type { PickedChoice } from '../../src/domain/choice.js';
import type { InboundMessageInput } from '../../src/domain/message.js';
import { type ButtonClick, toPick } from './inbound.js';
import type { InteractionResponder, MessageUpdate } from './outbound.js';

/**
 * A question we sent, as the connector needs it when one of its buttons is clicked: who was asked
 * where, and per option its caption and the text the desk wants shown once it is picked. Kept in
 * the channel's shared Redis state, because the worker that sends and the connector that receives
 * the click are different processes.
 */
const AskedChoice = z.object({
  threadKey: z.string(),
  userId: z.string(),
  options: z.record(z.string(), z.object({ label: z.string(), answered: z.string() })),
});
type AskedChoice = z.infer<typeof AskedChoice>;

/** A week to answer, and a day's slack. After that a click in a DM still counts, elsewhere not (see `judge`). */
const ASKED_TTL_MS = 8 * 86_400_000;
/**
 * Discord invalidates an interaction not answered within 3 s of the event; the network and a busy
 * event loop take part of that. Past this much, the click is acknowledged first and the message
 * edited once the pick is queued.
 */
export const ANSWER_BUDGET_MS = 1_500;

const key = (choiceId: string): string => `choice:${choiceId}`;

export async function rememberChoice(shared: SharedState, address: ConversationAddress, choice: OutboundChoice): Promise<void> {
  const asked: AskedChoice = {
    threadKey: address.threadKey,
    userId: address.contactExternalId,
    options: Object.fromEntries(choice.options.map((o) => [o.value, { label: o.label, answered: o.answered }])),
  };
  await shared.set(key(choice.id), JSON.stringify(asked), ASKED_TTL_MS);
}

type Verdict = { ok: true; threadKey: string; label: string; answered: string | undefined } | { ok: false; why: string };

/**
 * Whether a click answers the question it names. Only the customer it was asked to may answer it,
 * from the conversation it was asked in: in a support channel or thread anyone present can click.
 * Without the record (expired, lost with Redis) a DM click still counts — nobody but that customer
 * can click in their DM with the bot — and the message only loses its buttons.
 */
export function judge(click: ButtonClick, asked: AskedChoice | undefined): Verdict {
  if (!click.choice) return { ok: false, why: 'not one of our questions' };
  if (!click.threadKey) return { ok: false, why: 'clicked outside a DM or support channel' };
  if (asked) {
    const option = asked.options[click.choice.value];
    if (!option) return { ok: false, why: 'not an option of that question' };
    if (asked.threadKey !== click.threadKey || asked.userId !== click.sender.externalId) return { ok: false, why: 'clicked by someone the question was not asked' };
    return { ok: true, threadKey: asked.threadKey, label: click.label ?? option.label, answered: option.answered };
  }
  if (click.threadKey.startsWith('dm:')) return { ok: true, threadKey: click.threadKey, label: click.label ?? click.choice.value, answered: undefined };
  return { ok: false, why: 'question unknown here (older than its record, or from elsewhere)' };
}

export interface ClickDeps {
  readonly channelId: string;
  readonly shared: SharedState;
  readonly responder: InteractionResponder;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** Queues the pick, retrying while the queue is down; true once it is in Redis. */
  accept(message: InboundMessageInput): Promise<boolean>;
}

type Outcome = { stored: true; answered: string | undefined } | { stored: false };

/**
 * Answers one button click. The pick is queued first and only then does the message say it was
 * taken, so a crash or a Redis outage never leaves "Thanks" over a pick that was not stored — the
 * buttons stay and the customer can click again. Normally that takes milliseconds and one
 * UPDATE_MESSAGE answers the interaction. If queueing takes longer than the budget, the click is
 * acknowledged with DEFERRED_UPDATE_MESSAGE inside Discord's 3 s and the message edited through the
 * interaction webhook once the pick is in Redis. A click that answers nothing of ours is only
 * acknowledged, so Discord does not show the customer a failure, and nothing is stored.
 */
export async function answerClick(deps: ClickDeps, click: ButtonClick, raw: unknown): Promise<void> {
  const work = decideAndQueue(deps, click, raw);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ANSWER_BUDGET_MS);
  });
  const early = await Promise.race([work, late]);
  clearTimeout(timer);
  if (early) {
    await respond(deps, click, () => (early.stored ? deps.responder.update(click, updateFor(early.answered)) : deps.responder.defer(click)));
    return;
  }
  const acknowledged = await respond(deps, click, () => deps.responder.defer(click));
  const outcome = await work;
  if (outcome.stored && acknowledged) await respond(deps, click, () => deps.responder.editOriginal(click, updateFor(outcome.answered)));
}

async function decideAndQueue(deps: ClickDeps, click: ButtonClick, raw: unknown): Promise<Outcome> {
  const asked = click.choice ? await loadChoice(deps, click.choice) : undefined;
  const verdict = judge(click, asked);
  if (!verdict.ok) {
    deps.log.info({ interaction: click.id, why: verdict.why }, 'Discord button click not taken as an answer');
    return { stored: false };
  }
  const pick = toPick({ ...click, choice: click.choice! }, { channelId: deps.channelId, threadKey: verdict.threadKey, label: verdict.label }, raw);
  return (await deps.accept(pick)) ? { stored: true, answered: verdict.answered } : { stored: false };
}

/** The question's record; retried while Redis is unreachable (the pick could not be queued then either). */
async function loadChoice(deps: ClickDeps, choice: PickedChoice): Promise<AskedChoice | undefined> {
  for (let attempt = 1; !deps.signal.aborted; attempt += 1) {
    let stored: string | null;
    try {
      stored = await deps.shared.get(key(choice.id));
    } catch (error) {
      deps.log.warn({ err: error, attempt }, 'could not read a Discord question from shared state; retrying');
      await sleep(retryDelayMs(attempt), deps.signal);
      continue;
    }
    if (stored === null) return undefined;
    try {
      const parsed = AskedChoice.safeParse(JSON.parse(stored));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const updateFor = (answered: string | undefined): MessageUpdate => (answered === undefined ? { components: [] } : { content: answered, components: [] });

/** One call answering the interaction; false if Discord refused it. Already answered or expired is expected after a replay. */
async function respond(deps: ClickDeps, click: ButtonClick, call: () => Promise<void>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    const code = error instanceof DiscordAPIError ? error.code : undefined;
    if (code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged || code === RESTJSONErrorCodes.UnknownInteraction) {
      deps.log.info({ interaction: click.id, code }, 'Discord interaction already answered or expired');
    } else {
      // Not `err`: the error's URL carries the interaction token (STYLE §7).
      const status = error instanceof DiscordAPIError || error instanceof HTTPError ? error.status : undefined;
      deps.log.warn({ interaction: click.id, status, code, reason: error instanceof Error ? error.message : String(error) }, 'could not answer a Discord button click');
    }
    return false;
  }
}
