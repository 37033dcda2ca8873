import type { Lang } from '../language.js';
import type { ChatRequest } from './client.js';
import { createMasker, type ContactFacts, MARKERS } from './redact.js';

/**
 * The request a draft makes, built from the matching articles and the conversation's last
 * messages. Pure: everything in it went through the conversation's masker, so what this returns
 * is exactly what leaves the server.
 */

export interface SourceArticle {
  readonly id: string;
  readonly title: string;
  /** Plain text of the body. */
  readonly text: string;
  readonly url: string;
}

export interface TranscriptLine {
  readonly from: 'customer' | 'support';
  readonly text: string;
}

export interface DraftPrompt {
  readonly model: string;
  /** The customer's language: the draft is written in it. */
  readonly lang: Lang;
  readonly articles: readonly SourceArticle[];
  /** Oldest first. */
  readonly transcript: readonly TranscriptLine[];
  readonly contact: ContactFacts;
}

/** Low: a support answer should say what the articles say, not vary from click to click. */
export const TEMPERATURE = 0.2;
/** Bounds on what one draft sends: the last messages matter, a pasted log does not need to go whole. */
export const MAX_LINES = 12;
const MAX_LINE_CHARS = 1_500;
const MAX_ARTICLE_CHARS = 4_000;

const LANGUAGE_NAME: Record<Lang, string> = { en: 'English', zh: 'Simplified Chinese (简体中文)' };

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max)} […]`);

function systemPrompt(lang: Lang, articles: readonly SourceArticle[]): string {
  const m = MARKERS[lang];
  const rules = [
    'You draft replies for the support team of a crypto wallet app. A support agent reads your draft, edits it and sends it themselves.',
    '',
    'Rules:',
    '1. Answer only from the help-center articles below. Do not use any other knowledge, and do not invent steps, fees, times, links or promises.',
    "2. If the articles do not cover the customer's question, or cover only part of it, say that you will check with the team and get back to them. Do not guess.",
    '3. Never ask the customer for their recovery phrase (seed phrase, mnemonic, 助记词), private key, password or verification code, and never tell them to type one anywhere. If they mention one, tell them never to share it with anyone, support included.',
    `4. Write in ${LANGUAGE_NAME[lang]}, the customer's language: a short, friendly reply of a few sentences, ready to send, without a subject line or a signature.`,
    `5. Text in square brackets such as ${m.name}, ${m.email} or ${m.phone} stands for details removed for privacy. Keep such markers exactly as written and never guess what they stand for.`,
    '6. You may point the customer to an article by its URL, exactly as given.',
    '',
    'Articles:',
  ];
  const blocks = articles.map((a, i) => [`--- Article ${i + 1}: ${a.title}`, `URL: ${a.url}`, a.text].join('\n'));
  return [...rules, ...blocks, '---'].join('\n');
}

export function buildDraftRequest(prompt: DraftPrompt): ChatRequest {
  const mask = createMasker(prompt.contact, prompt.lang);
  // Masked whole, then shortened: a phrase cut in half would no longer be recognised as one.
  const articles = prompt.articles.map((a) => ({ ...a, title: mask(a.title), text: clip(mask(a.text), MAX_ARTICLE_CHARS) }));
  const lines = prompt.transcript
    .slice(-MAX_LINES)
    .map((line) => `${line.from === 'customer' ? 'Customer' : 'Support'}: ${clip(mask(line.text.trim()), MAX_LINE_CHARS)}`);
  const user = ['The conversation so far, oldest first:', '', ...lines, '', 'Draft the next reply from support to the customer.'].join('\n');
  return {
    model: prompt.model,
    messages: [
      { role: 'system', content: systemPrompt(prompt.lang, articles) },
      { role: 'user', content: user },
    ],
    temperature: TEMPERATURE,
  };
}
