import { z } from 'zod';
import { ApiError } from '../../api/errors.js';
import type { Implementation } from '../../api/handler.js';
import type { Agent } from '../../domain/agent.js';
import { newId } from '../../domain/ids.js';
import { type CannedInput, type CannedRow, deleteCanned, getCanned, insertCanned, listCanned, renderFacts, updateCanned } from '../../store/canned.js';
import { isUniqueViolation } from '../../store/database.js';
import { defineDeskFeature } from '../feature.js';
import { type Lang } from '../language.js';
import { createReplyGuard, type ReplyGuard } from '../safety/guard.js';
import { safety, type SafetySettings } from '../safety/index.js';
import { builtInRules, type MessageKey, rulesFor } from '../safety/rules.js';
import { cannedRoutes, type CannedInput as CannedBody } from './api.js';
import { describeProblem, parseTemplate, renderTemplate, templateValues } from './template.js';
import { customerLanguage } from '../customer-language.js';

type Body = z.output<typeof CannedBody>;
const LANGS: readonly Lang[] = ['en', 'zh'];


const view = (row: CannedRow) => ({
  id: row.id,
  shortcut: row.shortcut,
  title: row.title,
  scope: row.owner_id === null ? ('shared' as const) : ('personal' as const),
  ownerId: row.owner_id,
  variants: { ...(row.text_en !== null ? { en: row.text_en } : {}), ...(row.text_zh !== null ? { zh: row.text_zh } : {}) },
  updatedAt: row.updated_at.toISOString(),
});

const isAdmin = (agent: Agent): boolean => agent.role === 'admin';

/**
 * Canned replies (issue 16): personal ones (only their owner sees and writes them: to anyone else
 * they do not exist, 404) and shared ones (everyone uses them, admins write them), each with an
 * English and a Chinese variant, inserted with `/` in the composer and filled in for the
 * conversation (`template.ts`). A reply the safety feature would refuse is refused at saving too,
 * with the same rules and the admins' allowed phrasings, so no canned reply can ask a customer
 * for a recovery phrase, and none holding a secret is ever stored.
 */
export const canned = defineDeskFeature({
  name: 'canned',
  settings: z.object({}),
  contract: cannedRoutes,
  create(context) {
    const db = () => context.inbox().db;

    let guardFor: SafetySettings | undefined;
    let guard: ReplyGuard | undefined;
    /** The reply guard as the safety feature has it now; undefined when an admin turned safety off. */
    const currentGuard = (): ReplyGuard | undefined => {
      const settings = context.settingsOf(safety).safety;
      if (!settings.enabled) return undefined;
      if (settings !== guardFor || !guard) {
        guard = createReplyGuard(builtInRules, settings.allowedPhrasings);
        guardFor = settings;
      }
      return guard;
    };

    /** Checks templates and safety; the stored input. */
    const accepted = (body: Body, ownerId: string | null, agent: Agent): CannedInput => {
      const guard = currentGuard();
      // The title is never sent, but it is stored: it must not hold a secret either.
      if (guard?.check(body.title, { private: true })) throw new ApiError(422, 'unsafe_content', `title: ${rulesFor('en').messages['refusal.contains-secret']}`);
      for (const lang of LANGS) {
        const text = body.variants[lang];
        if (text === undefined) continue;
        const parsed = parseTemplate(text);
        if (!parsed.ok) throw new ApiError(400, 'validation', `variants.${lang}: ${describeProblem(text, parsed.problem)}`);
        // As it would be sent to a customer without a name (the fallbacks' words included), and as written.
        const sample = renderTemplate(text, templateValues({ contact: { name: '' }, agent: { name: agent.name } }), lang);
        const reason = guard?.check(sample, { private: false }) ?? guard?.check(text, { private: false });
        const key: MessageKey | undefined = reason && `refusal.${reason}`;
        if (key) throw new ApiError(422, 'unsafe_content', `variants.${lang}: ${rulesFor('en').messages[key]}`);
      }
      return { shortcut: body.shortcut, title: body.title, ownerId, en: body.variants.en ?? null, zh: body.variants.zh ?? null };
    };

    const mayWriteShared = (agent: Agent): void => {
      if (!isAdmin(agent)) throw new ApiError(403, 'forbidden', 'only admins write shared canned replies');
    };

    /** The reply as this agent may see it: another agent's personal one does not exist for them. */
    const visible = async (id: string, agent: Agent): Promise<CannedRow> => {
      const row = await getCanned(db(), id);
      if (!row || (row.owner_id !== null && row.owner_id !== agent.id)) throw new ApiError(404, 'not_found', 'canned reply not found');
      return row;
    };

    const saved = async (write: () => Promise<CannedRow | undefined>, input: CannedInput): Promise<CannedRow> => {
      try {
        const row = await write();
        if (!row) throw new ApiError(404, 'not_found', 'canned reply not found');
        return row;
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ApiError(409, 'conflict', `shortcut: /${input.shortcut} exists already ${input.ownerId === null ? 'among the shared replies' : 'among your replies'}`);
        }
        throw error;
      }
    };

    /** The language the customer writes in (Chinese when their latest messages hold Han characters). */
    const customerLang = (conversationId: string, subject: string | null): Promise<Lang> => customerLanguage(db(), conversationId, subject);

    const api: Implementation<typeof cannedRoutes> = {
      contract: cannedRoutes,
      json: { limit: '64kb', beforeAuth: false },
      handlers: {
        async listCanned({ query, agent }) {
          // Agents type the `/` too when they search for a shortcut.
          const q = query.q?.replace(/^\//u, '');
          return { items: (await listCanned(db(), agent.id, q || undefined)).map(view) };
        },
        async createCanned({ body, agent }) {
          if (body.scope === 'shared') mayWriteShared(agent);
          const input = accepted(body, body.scope === 'shared' ? null : agent.id, agent);
          return view(await saved(() => insertCanned(db(), newId('cr'), input), input));
        },
        async updateCanned({ params, body, agent }) {
          const existing = await visible(params.id, agent);
          if (existing.owner_id === null || body.scope === 'shared') mayWriteShared(agent);
          // Made personal: it becomes the admin's own.
          const input = accepted(body, body.scope === 'shared' ? null : (existing.owner_id ?? agent.id), agent);
          return view(await saved(() => updateCanned(db(), existing.id, input), input));
        },
        async deleteCanned({ params, agent }) {
          const existing = await visible(params.id, agent);
          if (existing.owner_id === null) mayWriteShared(agent);
          if (!(await deleteCanned(db(), existing.id))) throw new ApiError(404, 'not_found', 'canned reply not found');
        },
        async renderCanned({ params, body, agent }) {
          const row = await visible(params.id, agent);
          const facts = await renderFacts(db(), body.conversationId);
          if (!facts) throw new ApiError(404, 'not_found', 'conversation not found');
          const wanted = body.lang ?? (await customerLang(body.conversationId, facts.subject));
          const lang: Lang = (wanted === 'zh' ? row.text_zh : row.text_en) !== null ? wanted : wanted === 'zh' ? 'en' : 'zh';
          const text = (lang === 'zh' ? row.text_zh : row.text_en) ?? '';
          const values = templateValues({ contact: { name: facts.contactName, email: facts.contactEmail }, agent: { name: agent.name } });
          return { text: renderTemplate(text, values, lang), lang };
        },
      },
    };

    return { api: { contract: cannedRoutes, mount: (mounter) => mounter(api) } };
  },
});
