import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { plainText } from '../../src/desk/kb/markdown.js';
import type { SearchDoc } from '../../src/desk/kb/search.js';

/** The knowledge-base fixtures (test/fixtures/kb): a help center's articles and customers' questions. */

const Translation = z.object({ title: z.string().min(1), body: z.string().min(1) });
const Articles = z.object({
  articles: z.array(z.object({ slug: z.string(), tags: z.array(z.string()), en: Translation, zh: Translation })).min(20),
});
const Question = z.object({ q: z.string().min(1), slug: z.string() });
const Questions = z.object({ en: z.array(Question).min(20), zh: z.array(Question).min(20), negative: z.array(z.string()).min(10) });

const read = (name: string): unknown => parse(readFileSync(new URL(`../fixtures/kb/${name}`, import.meta.url), 'utf8'));

export const fixtureArticles = Articles.parse(read('articles.yaml')).articles;
export const fixtureQuestions = Questions.parse(read('questions.yaml'));

/** The fixtures as the library indexes them: one document per article and language. */
export const fixtureDocs = (): SearchDoc[] =>
  fixtureArticles.flatMap((a) =>
    (['en', 'zh'] as const).map((lang) => ({
      id: a.slug,
      slug: a.slug,
      lang,
      title: a[lang].title,
      body: a[lang].body,
      text: plainText(a[lang].body),
      tags: a.tags,
      audience: 'public' as const,
      channels: [],
    })),
  );
