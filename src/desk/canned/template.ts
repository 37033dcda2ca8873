import type { Lang } from '../language.js';

/**
 * Canned reply templates (issue 16): plain text with `{{variable}}` placeholders (spaces inside
 * the braces allowed). Pure and free of server code, so the inbox checks a template at the field
 * with the same parser the API saves with.
 *
 * - `{{contact.name}}`: the customer's name; `{{contact.firstName}}`: its first word (the whole
 *   name when it has no space, as Chinese names do); `{{contact.email}}`: their address;
 * - `{{agent.name}}`, `{{agent.firstName}}`: the agent inserting the reply.
 *
 * A customer with no name (the ingest's placeholder "Customer", or only an email address) gets a
 * fallback that keeps the sentence readable, chosen from the words around the placeholder:
 * after a greeting "there" ("Hi {{contact.name}}," → "Hi there,"), after "Dear" "customer",
 * after 的 "用户" ("尊敬的用户"), before 的 "您" ("您的订单"); anywhere else the placeholder is
 * left out with the separator it leaves dangling ("{{contact.name}}，您好！" → "您好！",
 * "Thank you, {{contact.name}}." → "Thank you."). A missing email becomes "your email address" /
 * "您的邮箱", a missing agent "the support team" / "客服团队". Values are inserted as plain
 * text in one pass: a name that looks like a placeholder or like HTML stays exactly as it is.
 * There is no escape for a literal `{{`: a support reply has no use for one.
 */

export const TEMPLATE_VARIABLES = ['contact.name', 'contact.firstName', 'contact.email', 'agent.name', 'agent.firstName'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Partial<Record<TemplateVariable, string | null | undefined>>;

export type TemplateToken = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'variable'; readonly name: TemplateVariable };

export type TemplateProblem =
  | { readonly kind: 'unknown-variable'; readonly variable: string; readonly at: number }
  /** A `{{` with no `}}` before the next `{{` or the end. */
  | { readonly kind: 'unclosed'; readonly at: number }
  /** A `}}` no `{{` opened. */
  | { readonly kind: 'unopened'; readonly at: number };

const isVariable = (name: string): name is TemplateVariable => (TEMPLATE_VARIABLES as readonly string[]).includes(name);

function scan(text: string, strict: true): { tokens: TemplateToken[] } | { problem: TemplateProblem };
function scan(text: string, strict: false): { tokens: TemplateToken[] };
function scan(text: string, strict: boolean): { tokens: TemplateToken[] } | { problem: TemplateProblem } {
  const tokens: TemplateToken[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('{{', i)) {
      const close = text.indexOf('}}', i + 2);
      const reopen = text.indexOf('{{', i + 1);
      if (close === -1 || (reopen !== -1 && reopen < close)) {
        if (strict) return { problem: { kind: 'unclosed', at: i } };
        literal += '{';
        i += 1;
        continue;
      }
      const name = text.slice(i + 2, close).trim();
      if (!isVariable(name)) {
        if (strict) return { problem: { kind: 'unknown-variable', variable: name, at: i } };
        literal += text.slice(i, close + 2);
        i = close + 2;
        continue;
      }
      if (literal) tokens.push({ kind: 'text', text: literal });
      tokens.push({ kind: 'variable', name });
      literal = '';
      i = close + 2;
      continue;
    }
    if (text.startsWith('}}', i)) {
      if (strict) return { problem: { kind: 'unopened', at: i } };
      literal += '}';
      i += 1;
      continue;
    }
    literal += text[i];
    i += 1;
  }
  if (literal) tokens.push({ kind: 'text', text: literal });
  return { tokens };
}

/** Strict: what a template is made of, or the first thing wrong with it (what saving refuses). */
export function parseTemplate(text: string): { ok: true; tokens: TemplateToken[] } | { ok: false; problem: TemplateProblem } {
  const result = scan(text, true);
  return 'problem' in result ? { ok: false, problem: result.problem } : { ok: true, tokens: result.tokens };
}

const near = (text: string, at: number): string => {
  const piece = text.slice(at, at + 24);
  return at + 24 < text.length ? `${piece}…` : piece;
};

/** The problem in English, naming the variable or where the braces are (the API's 400 message after the field). */
export function describeProblem(text: string, problem: TemplateProblem): string {
  switch (problem.kind) {
    case 'unknown-variable':
      return `unknown variable {{${problem.variable}}} (known: ${TEMPLATE_VARIABLES.map((v) => `{{${v}}}`).join(', ')})`;
    case 'unclosed':
      return `unbalanced braces: "{{" without a closing "}}" at "${near(text, problem.at)}"`;
    case 'unopened':
      return `unbalanced braces: "}}" without an opening "{{" at "${near(text, problem.at)}"`;
  }
}

// ——— Rendering ———

/** The ingest's name for a sender with no name, handle or email (`displayName` in src/store/contacts.ts). */
const PLACEHOLDER_NAME = 'customer';
const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;

/** The name to greet a customer by, or undefined when they have none worth using. */
export function contactNameOf(name: string, email?: string | null): string | undefined {
  const trimmed = name.trim();
  if (!trimmed || trimmed.toLowerCase() === PLACEHOLDER_NAME || EMAIL_LIKE.test(trimmed) || (email && trimmed.toLowerCase() === email.trim().toLowerCase())) return undefined;
  return trimmed;
}

/** The first word of a name; a name without spaces (a Chinese name, a handle) whole. */
export const firstNameOf = (name: string): string => name.trim().split(/\s+/u)[0] ?? '';

/** The values of a conversation's customer and the agent answering. */
export function templateValues(facts: { contact: { name: string; email?: string | null }; agent: { name: string } }): TemplateValues {
  const contact = contactNameOf(facts.contact.name, facts.contact.email);
  return {
    'contact.name': contact,
    'contact.firstName': contact === undefined ? undefined : firstNameOf(contact),
    'contact.email': facts.contact.email?.trim() || undefined,
    'agent.name': facts.agent.name.trim() || undefined,
    'agent.firstName': firstNameOf(facts.agent.name) || undefined,
  };
}

/** What a placeholder without a value turns into: `before` (the text so far, perhaps trimmed), the words, and how the next text starts. */
interface Fill {
  readonly before: string;
  readonly insert: string;
  readonly after?: (next: string) => string;
}

const GREETING = /(?:^|[^\p{L}])(?:hi|hello|hey|hiya|greetings|good (?:morning|afternoon|evening|day)|morning|evening)([ \t]*)$/iu;
const DEAR = /(?:^|[^\p{L}])dear[ \t]+$/iu;
/** Where a sentence starts: the beginning, a new line, or after the end of one. */
const SENTENCE_START = /(?:^|[\n.!?。！？])[ \t]*$/u;
/** What may follow a name and close its clause: punctuation, a line end, the end. */
const CLOSES = /^(?:$|[\n.,!?;:。，！？；：、…~～)）])/u;
const TRAILING_SEPARATORS = /[ \t,，、]+$/u;
const LEADING_SEPARATORS = /^[ \t,，、]+/u;

const capitalized = (text: string): string => text.replace(/^\p{Ll}/u, (c) => c.toUpperCase());

function missingName(before: string, next: string | null): Fill {
  const greeting = GREETING.exec(before);
  if (greeting) return { before, insert: greeting[1] ? 'there' : ' there' };
  if (DEAR.test(before)) return { before, insert: 'customer' };
  if (before.endsWith('的')) return { before, insert: '用户' };
  if (next?.startsWith('的')) return { before, insert: '您' };
  // Another placeholder follows: nothing to tidy against.
  if (next === null) return { before, insert: '' };
  if (SENTENCE_START.test(before)) return { before, insert: '', after: (text) => capitalized(text.replace(LEADING_SEPARATORS, '')) };
  if (CLOSES.test(next)) return { before: before.replace(TRAILING_SEPARATORS, ''), insert: '' };
  if (/[ \t]$/u.test(before)) return { before, insert: '', after: (text) => text.replace(/^[ \t]+/u, '') };
  return { before, insert: '' };
}

function fallback(name: TemplateVariable, lang: Lang, before: string, next: string | null): Fill {
  const phrase = (text: string): Fill => ({ before, insert: SENTENCE_START.test(before) ? capitalized(text) : text });
  switch (name) {
    case 'contact.name':
    case 'contact.firstName':
      return missingName(before, next);
    case 'contact.email':
      return phrase(lang === 'zh' ? '您的邮箱' : 'your email address');
    case 'agent.name':
    case 'agent.firstName':
      return phrase(lang === 'zh' ? '客服团队' : 'the support team');
  }
}

/**
 * The text a template stands for with these values (`lang` is the variant's, for the fallbacks'
 * words). Lenient, so it never throws: what does not parse (a reply saved before a variable was
 * retired) is kept as written.
 */
export function renderTemplate(text: string, values: TemplateValues, lang: Lang): string {
  const { tokens } = scan(text, false);
  let out = '';
  let shapeNext: ((next: string) => string) | undefined;
  tokens.forEach((token, index) => {
    if (token.kind === 'text') {
      out += shapeNext ? shapeNext(token.text) : token.text;
      shapeNext = undefined;
      return;
    }
    shapeNext = undefined;
    const value = values[token.name]?.trim();
    if (value) {
      out += value;
      return;
    }
    const following = tokens[index + 1];
    const fill = fallback(token.name, lang, out, following === undefined ? '' : following.kind === 'text' ? following.text : null);
    out = fill.before + fill.insert;
    shapeNext = fill.after;
  });
  return out;
}
