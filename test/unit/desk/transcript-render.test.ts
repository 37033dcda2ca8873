import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/domain/message.js';
import { renderHtml } from '../../../src/desk/transcripts/html.js';
import { findCjkFont, MissingFontError, renderPdf } from '../../../src/desk/transcripts/pdf.js';
import { customerVisible, type Transcript } from '../../../src/desk/transcripts/transcript.js';
import { pdfText } from '../../support/pdf-text.js';

const base = (over: Partial<Message>): Message => ({
  id: 'm',
  conversationId: 'c1',
  direction: 'inbound',
  author: { type: 'contact', id: 'ct', name: 'Alice' },
  text: '',
  attachments: [],
  private: false,
  status: 'received',
  externalId: null,
  createdAt: '2027-03-01T08:00:00.000Z',
  sentAt: null,
  replyToExternalId: null,
  clientMessageId: null,
  editedAt: null,
  deletedAt: null,
  redactions: [],
  ...over,
});

const transcript = (over: Partial<Transcript> = {}): Transcript => ({
  lang: 'en',
  conversationId: 'c1',
  subject: null,
  channel: { kind: 'telegram', name: 'Wallet bot' },
  customerName: 'Alice',
  startedAt: '2027-03-01T08:00:00.000Z',
  generatedAt: '2027-03-02T09:30:00.000Z',
  entries: [],
  ...over,
});

const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';

describe('transcript contents', () => {
  it('keeps what the customer saw and drops internal notes, system lines and failed replies', () => {
    const entries = customerVisible([
      base({ id: '1', text: 'my transfer is missing' }),
      base({ id: '2', direction: 'outbound', author: { type: 'agent', id: 'a', name: 'Bo' }, text: 'internal: check the exchange', private: true, status: 'sent' }),
      base({ id: '3', author: { type: 'system', id: 's', name: 'System' }, text: 'Bo was assigned' }),
      base({ id: '4', direction: 'outbound', author: { type: 'agent', id: 'a', name: 'Bo' }, text: 'never delivered', status: 'failed' }),
      base({ id: '5', direction: 'outbound', author: { type: 'agent', id: 'a', name: 'Bo' }, text: 'found it', status: 'sent' }),
      base({ id: '6', direction: 'outbound', author: { type: 'bot', id: 'b', name: 'FAQ' }, text: 'bot answer', status: 'sent' }),
    ]);
    expect(entries.map((e) => [e.from, e.text])).toEqual([
      ['customer', 'my transfer is missing'],
      ['agent', 'found it'],
      ['bot', 'bot answer'],
    ]);
  });
});

describe('HTML transcript', () => {
  it('escapes a hostile customer name, agent name, subject, text and file name', () => {
    const html = renderHtml(
      transcript({
        customerName: hostile,
        subject: hostile,
        entries: [
          { at: '2027-03-01T08:00:00.000Z', from: 'customer', name: hostile, text: hostile, files: [hostile], redactions: [] },
          { at: '2027-03-01T08:05:00.000Z', from: 'agent', name: hostile, text: 'ok', files: [], redactions: [] },
        ],
      }),
    );
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;&amp;');
    // Self-contained: no script and no remote resource of any kind.
    expect(html).not.toMatch(/<script|src="http|href="http|@import/i);
    expect(html).toContain('Switchboard');
    expect(html).toContain('<svg');
  });

  it('shows a visible marker where the safety feature removed a secret, in the text and for a file', () => {
    const html = renderHtml(
      transcript({
        entries: [
          { at: '2027-03-01T08:00:00.000Z', from: 'customer', name: 'A', text: 'my words: [recovery phrase removed] help', files: [], redactions: [{ kind: 'recovery-phrase', words: 12 }] },
          { at: '2027-03-01T08:01:00.000Z', from: 'customer', name: 'A', text: 'see the file', files: ['keys.txt'], redactions: [{ kind: 'private-key' }] },
        ],
      }),
    );
    expect(html).toContain('my words: <mark class="removed" title="[recovery phrase removed]">[removed for your safety]</mark> help');
    expect(html).toContain('a recovery phrase was removed from this message');
    // No marker in the text (the secret was in the file): the marker comes with the explanation.
    expect(html).toContain('<div class="why"><mark class="removed">[removed for your safety]</mark> a private key was removed');
  });

  it('speaks the customer\'s language: Chinese labels, dates and markers', () => {
    const html = renderHtml(
      transcript({
        lang: 'zh',
        channel: { kind: 'wechat', name: '钱包公众号' },
        entries: [{ at: '2027-03-01T08:00:00.000Z', from: 'customer', name: '小王', text: '我的助记词是 [助记词已移除]', files: [], redactions: [{ kind: 'recovery-phrase', words: 12 }] }],
      }),
    );
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('对话记录');
    expect(html).toContain('微信 · 钱包公众号');
    expect(html).toContain('2027-03-01 08:00（UTC）');
    expect(html).toContain('<mark class="removed" title="[助记词已移除]">[为了您的安全已移除]</mark>');
    expect(html).toContain('此消息中的助记词在保存前已被移除');
    expect(html).not.toContain('Conversation transcript');
  });
});

describe('PDF transcript', () => {
  it('is a PDF with the Chinese font embedded and the Chinese text readable from it', async () => {
    const pdf = await renderPdf(
      transcript({
        lang: 'zh',
        entries: [
          { at: '2027-03-01T08:00:00.000Z', from: 'customer', name: '小王', text: '我的转账还没到账', files: [], redactions: [] },
          { at: '2027-03-01T08:03:00.000Z', from: 'agent', name: 'Bo', text: '请提供交易哈希 0xabc', files: [], redactions: [] },
          { at: '2027-03-01T08:04:00.000Z', from: 'customer', name: '小王', text: '助记词 [助记词已移除]', files: [], redactions: [{ kind: 'recovery-phrase', words: 12 }] },
        ],
      }),
    );
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.subarray(-6).toString()).toMatch(/%%EOF\s*$/);
    expect(pdf.toString('latin1')).toMatch(/\/FontFile2|\/FontFile3/);
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+(WenQuanYi|NotoSans)/);
    const text = pdfText(pdf);
    expect(text).toContain('对话记录');
    expect(text).toContain('我的转账还没到账');
    expect(text).toContain('请提供交易哈希 0xabc');
    expect(text).toContain('[为了您的安全已移除]');
    expect(text).not.toContain('[助记词已移除]');
    expect(text).not.toContain('\ufffd');
  });

  it('fails clearly when no CJK font exists, naming the package', () => {
    expect(() => findCjkFont([{ path: '/nonexistent/font.ttc', family: 'X' }])).toThrow(MissingFontError);
    expect(() => findCjkFont([{ path: '/nonexistent/font.ttc', family: 'X' }])).toThrow(/fonts-wqy-microhei/);
  });
});
