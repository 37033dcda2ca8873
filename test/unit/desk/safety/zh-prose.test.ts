import { describe, expect, it } from 'vitest';
import { validChecksum } from '../../../../src/desk/safety/checksum.js';
import { createReplyGuard } from '../../../../src/desk/safety/guard.js';
import { findPhrases, proseScorer, PROSE_SCORE } from '../../../../src/desk/safety/phrases.js';
import { redact } from '../../../../src/desk/safety/redact.js';
import { builtInRules } from '../../../../src/desk/safety/rules.js';
import { chineseLists } from '../../../../src/desk/safety/wordlists.js';
import { zhProse } from './zh-corpus.js';

const sections = zhProse();
const paragraphs = sections.flatMap((s) => s.texts);
const guard = createReplyGuard(builtInRules, []);

/** What the detector took for phrases, for a readable failure. */
const flagged = (texts: readonly string[]): string[] =>
  texts.flatMap((text) => {
    const found = findPhrases(text);
    return found.length > 0 ? [`${text} => ${found.map((m) => text.slice(m.start, m.end)).join(', ')}`] : [];
  });

describe('natural Chinese is not a recovery phrase (test/fixtures/safety/zh-prose.txt)', () => {
  it(`flags none of the ${paragraphs.length} paragraphs: articles, questions, channel fixtures, product strings`, () => {
    expect(sections.map((s) => s.name)).toHaveLength(5);
    expect(paragraphs.length).toBeGreaterThanOrEqual(700);
    expect(flagged(paragraphs)).toEqual([]);
  });

  // The lines the knowledge base had to reword (2b11f9c) and a customer's question: windows cut
  // mid-word ("…来付手续"), and wallet words ICU splits (币安 → 币|安, 主币, 代币).
  it.each([
    ['- 提示"余额不足以支付 Gas"表示您有代币，但没有足够的该网络主币来付手续费。请向同一钱包充入少量 ETH、BNB 或 TRX。', '足够的该网络主币来付手续'],
    ['应用会自动显示常见代币，其他代币在您添加之前会被隐藏，但它们其实已经在链上您的钱包里了。', '它们其实已经在链上您的钱'],
    ['从币安提过来半天了钱包里啥也没有', '从币安提过来半天了钱包里'],
    ['- 许多银行默认禁止向加密货币服务付款。请在手机银行中批准这笔付款或致电银行。', '行中批准这笔付款或致电银'],
    ['使用去中心化应用（DEX、NFT 市场）时，它会请求**授权**：允许其智能合约从您的钱包中转走某种代币。有些应用会请求无限额度。', '其智能合约从您的钱包中转走某种代'],
    ['- **钓鱼网站和空投。** 钱包里出现陌生代币并附带领取奖励的链接，在那里连接钱包可能会被盗空。', '生代币并附带领取奖励的链'],
    ['进入**设置 → 安全 → 双重验证**，用验证器应用扫描二维码并输入显示的验证码。请离线保存备用码。', '证器应用扫描二维码并输入'],
  ])('leaves "%s" whole, inbound and in a reply (it read "%s" as a phrase)', (text, misread) => {
    expect(paragraphs).toContain(text);
    // The misread span holds checksum-valid windows (one in 16 is, by chance): the prose score alone keeps them.
    const run = text.match(/\p{Script=Han}+/gu)!.find((r) => r.includes(misread))!;
    const at = run.indexOf(misread);
    const score = proseScorer(run);
    const valid = [12, 15, 18, 21, 24].flatMap((n) =>
      Array.from({ length: Math.max(0, misread.length - n + 1) }, (_, i) => at + i).filter((from) => chineseLists.some((list) => validChecksum([...run.slice(from, from + n)], list))).map((from) => score(from, from + n)),
    );
    expect(valid.length).toBeGreaterThan(0);
    for (const s of valid) expect(s).toBeGreaterThanOrEqual(PROSE_SCORE);
    expect(findPhrases(text)).toEqual([]);
    expect(redact(text)).toEqual({ text, redactions: [] });
    expect(guard.check(text, { private: false })).not.toBe('contains-secret');
  });
});

describe('the prose score', () => {
  it('counts a word cut by the window edge, as the whole run segments it', () => {
    const run = '但它们其实已经在链上您的钱包里了';
    const window = [run.indexOf('它'), run.indexOf('钱') + 1];
    // 钱 is the first half of 钱包 in the run, not a lone character as the window alone reads.
    expect(proseScorer(run)(window[0]!, window[1]!)).toBeGreaterThan(proseScorer(run.slice(window[0], window[1]))(0, window[1]! - window[0]!));
  });

  it('counts wallet words ICU does not know as words', () => {
    // 币安 is split into 币|安 by ICU: without the lexicon 安 weighs by its rank only.
    const score = proseScorer('从币安提过来');
    expect(score(1, 3)).toBe(1);
  });

  it('scores a window of a run thousands of characters long as it scores the window amid its neighbours (long runs are segmented in pieces)', () => {
    const run = sections[0]!.texts.join('').replace(/\P{Script=Han}/gu, '');
    expect(run.length).toBeGreaterThan(3000);
    const whole = proseScorer(run);
    let worst = 0;
    for (let from = 0; from + 24 <= run.length; from += 7) {
      const context = Math.min(40, from);
      const near = proseScorer(run.slice(from - context, from + 64));
      worst = Math.max(worst, Math.abs(whole(from, from + 24) - near(context, context + 24)));
    }
    expect(worst).toBeLessThan(0.01);
  });

  it('weighs a character outside words by how common it is: 的 fully, a rare one hardly', () => {
    const score = proseScorer('的谱');
    expect(score(0, 1)).toBe(1);
    expect(score(1, 2)).toBeLessThan(0.1);
  });
});
