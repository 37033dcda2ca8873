/**
 * Natural Chinese and unspaced recovery phrases, shared by the unspaced-Chinese tests and the
 * measurement script (`npx tsx test/unit/desk/safety/zh-measure.ts`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const fixtures = join(import.meta.dirname, '../../../fixtures/safety');

/** A named set of texts, each a paragraph or a message. */
export interface Corpus {
  readonly name: string;
  readonly texts: readonly string[];
}

/** test/fixtures/safety/zh-prose.txt, by section ("# title" lines start one). */
export function zhProse(): Corpus[] {
  const out: { name: string; texts: string[] }[] = [];
  for (const line of readFileSync(join(fixtures, 'zh-prose.txt'), 'utf8').split('\n')) {
    if (line.startsWith('# ')) out.push({ name: line.slice(2), texts: [] });
    else if (line.trim() !== '' && out.length > 0) out.at(-1)!.texts.push(line);
  }
  // The file's header comment is a section with no text.
  return out.filter((c) => c.texts.length > 0);
}

/** The Chinese messages of test/fixtures/safety/ordinary.jsonl. */
export function ordinaryZh(): Corpus {
  const texts = readFileSync(join(fixtures, 'ordinary.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { lang: string; text: string })
    .filter((o) => o.lang === 'zh')
    .map((o) => o.text);
  return { name: 'ordinary support messages, zh (test/fixtures/safety/ordinary.jsonl)', texts };
}

/** The translated strings of a GNU gettext .mo catalog (format: GNU gettext manual, "The Format of MO Files"). */
function moStrings(buf: Buffer): string[] {
  const little = buf.readUInt32LE(0) === 0x950412de;
  const u32 = (at: number): number => (little ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const count = u32(8);
  const table = u32(16);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = u32(table + i * 8);
    const offset = u32(table + i * 8 + 4);
    // Plural forms are NUL-separated.
    out.push(...buf.subarray(offset, offset + length).toString('utf8').split('\0'));
  }
  return out;
}

/**
 * Chinese the Debian image happens to ship — program translations (gettext catalogs), vim's
 * tutor, GnuPG's help, systemd's catalog — as a held-out check: nothing was tuned on it, and its
 * technical jargon (助记符, 数组表达式) is harder for a word segmenter than support chat. Empty
 * where the files are missing, so it is only for measuring, never for a test.
 */
export function systemZh(): Corpus[] {
  const out: Corpus[] = [];
  for (const locale of ['zh_CN', 'zh_TW']) {
    const dir = `/usr/share/locale/${locale}/LC_MESSAGES`;
    if (!existsSync(dir)) continue;
    const catalogs = readdirSync(dir).filter((f) => f.endsWith('.mo'));
    const read = (files: string[]): string[] => files.flatMap((f) => moStrings(readFileSync(join(dir, f)))).filter((s) => /\p{Script=Han}/u.test(s));
    // ISO code lists are place names (波士尼亞及赫塞哥維納), transliterations a segmenter cannot know.
    out.push({ name: `program translations, ${locale} (${dir})`, texts: read(catalogs.filter((f) => !f.startsWith('iso_'))) });
    out.push({ name: `ISO country and region names, ${locale}`, texts: read(catalogs.filter((f) => f.startsWith('iso_'))) });
  }
  const docs = [
    '/usr/share/vim/vim90/tutor/tutor.zh_cn.utf-8',
    '/usr/share/vim/vim90/tutor/tutor.zh_tw.utf-8',
    '/usr/share/gnupg/help.zh_CN.txt',
    '/usr/share/gnupg/help.zh_TW.txt',
    '/usr/lib/systemd/catalog/systemd.zh_CN.catalog',
    '/usr/lib/systemd/catalog/systemd.zh_TW.catalog',
  ].filter((f) => existsSync(f));
  if (docs.length > 0) out.push({ name: 'documentation: vim tutor, GnuPG help, systemd catalog', texts: docs.flatMap((f) => readFileSync(f, 'utf8').split('\n')).filter((s) => /\p{Script=Han}/u.test(s)) });
  return out.filter((c) => c.texts.length > 0);
}

/**
 * How customers paste an unspaced phrase: alone, after "my phrase is", before a question, between
 * two sentences, and inside one long unpunctuated WeChat-style message (longer than 64
 * characters with the phrase in it).
 */
export const phraseFrames: readonly { readonly name: string; readonly frame: (phrase: string) => string }[] = [
  { name: 'alone', frame: (p) => p },
  { name: 'after "我的助记词是"', frame: (p) => `我的助记词是${p}` },
  { name: 'after "我的助记词是：", before "，请帮我看看"', frame: (p) => `我的助记词是：${p}，请帮我看看` },
  { name: 'before "，帮我看看是不是被盗了"', frame: (p) => `${p}，帮我看看是不是被盗了` },
  { name: 'between two sentences', frame: (p) => `钱包打不开了。${p}。麻烦尽快处理，谢谢！` },
  { name: 'on its own line', frame: (p) => `客服你好，钱包打不开了，这是我的助记词\n${p}\n麻烦尽快处理` },
  { name: 'inside a sentence, no punctuation', frame: (p) => `这是我的助记词${p}帮我看看是不是被盗了` },
  { name: 'inside a long unpunctuated message', frame: (p) => `客服你好我昨天从币安提币到钱包一直没到账后来有个客服让我验证钱包我就把助记词发给他了${p}现在币全没了怎么办啊急` },
];
