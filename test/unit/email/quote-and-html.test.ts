import { describe, expect, it } from 'vitest';
import { htmlToPlainText, replyHtml, sanitizeEmailHtml } from '../../../adapters/email/html.js';
import { splitQuoted } from '../../../adapters/email/quote.js';

describe('quoted history', () => {
  it('"-----Original Message-----" and the Chinese QQ/Foxmail marker cut there', () => {
    expect(splitQuoted('Done, thanks.\n\n-----Original Message-----\nFrom: Support\nSent: Monday\n\nold text')).toEqual({ fresh: 'Done, thanks.', cut: true });
    expect(splitQuoted('收到，谢谢。\n\n------------------ 原始邮件 ------------------\n发件人: "support"<support@example.com>;\n发送时间: 2024年3月14日(星期四) 下午4:20\n收件人: "张伟"<zhang.wei@163.com>;\n主题: 回复：提现\n\n旧内容')).toEqual({
      fresh: '收到，谢谢。',
      cut: true,
    });
  });

  it('German and Chinese attributions followed by a quote are cut', () => {
    expect(splitQuoted('Danke!\n\nAm 12.03.2024 um 09:15 schrieb Acme Support <support@example.com>:\n> Hallo\n> Welche ID?')).toEqual({ fresh: 'Danke!', cut: true });
    expect(splitQuoted('好的\n\n在 2024年3月14日 16:20，Acme Support <support@example.com> 写道：\n> 您好\n> 请提供交易哈希')).toEqual({ fresh: '好的', cut: true });
  });

  it('answers interleaved with the quote are kept; only the quoted tail goes', () => {
    const text = 'On Tue, 12 Mar 2024 at 09:15, Acme Support <support@example.com> wrote:\n> Which wallet?\nLedger Nano X.\n> Which network?\nEthereum.\n\n> Thanks,\n> Acme';
    expect(splitQuoted(text)).toEqual({ fresh: 'On Tue, 12 Mar 2024 at 09:15, Acme Support <support@example.com> wrote:\n> Which wallet?\nLedger Nano X.\n> Which network?\nEthereum.', cut: true });
  });

  it('a forwarded message is the new content, not history', () => {
    const text = 'See below, this came from your address.\n\n---------- Forwarded message ---------\nFrom: Acme Security <security@acme-login.example>\nDate: Mon, 11 Mar 2024 at 22:01\nSubject: Verify your wallet\nTo: <alice@example.org>\n\nEnter your recovery phrase here.';
    expect(splitQuoted(text)).toEqual({ fresh: text, cut: false });
  });

  it('a message that is nothing but a quote keeps everything; "wrote:" in prose is not an attribution', () => {
    expect(splitQuoted('> only a quote\n> nothing new')).toEqual({ fresh: '> only a quote\n> nothing new', cut: false });
    const prose = 'The support agent wrote:\nplease wait 24 hours. I waited 3 days.';
    expect(splitQuoted(prose)).toEqual({ fresh: prose, cut: false });
  });
});

describe('HTML', () => {
  it('HTML-only replies: blockquotes become ">" lines, so their history is recognised too', () => {
    const html = sanitizeEmailHtml(
      '<div>Yes, it arrived.</div><div class="gmail_quote">On Tue, 12 Mar 2024 at 09:15, Acme &lt;support@example.com&gt; wrote:<br><blockquote>Did it arrive?<br><br>Acme</blockquote></div>',
    );
    const text = htmlToPlainText(html);
    expect(text).toBe('Yes, it arrived.\nOn Tue, 12 Mar 2024 at 09:15, Acme <support@example.com> wrote:\n> Did it arrive?\n> \n> Acme');
    expect(splitQuoted(text)).toEqual({ fresh: 'Yes, it arrived.', cut: true });
  });

  it('CSS that could load or compute something is dropped, attribute by attribute', () => {
    const out = sanitizeEmailHtml(
      '<div style="color:red;background:url(https://t.example/a.png);width:expression(alert(1));font-family:\\75rl(x)">a</div><td background="https://t.example/b.png">b</td><img src="//t.example/c.png"><img src="data:image/png;base64,iVBORw0KGgo=">',
    );
    expect(out).toBe('<div style="color:red">a</div><td>b</td><img data-remote-src="https://t.example/c.png" /><img src="data:image/png;base64,iVBORw0KGgo=" />');
  });

  it("an agent's reply becomes escaped paragraphs with line breaks and links", () => {
    expect(replyHtml('Hi <b>Alice</b> & co,\n\nSee https://status.example.com/incidents/42.\nThanks')).toBe(
      '<!doctype html><html><head><meta charset="utf-8"></head><body><p>Hi &lt;b&gt;Alice&lt;/b&gt; &amp; co,</p>\n<p>See <a href="https://status.example.com/incidents/42">https://status.example.com/incidents/42</a>.<br>\nThanks</p></body></html>',
    );
  });
});
