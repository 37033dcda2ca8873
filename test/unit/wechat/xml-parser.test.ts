import { describe, expect, it } from 'vitest';
import { buildXml, cdata, parseXml, XML_LIMIT_BYTES, XmlError } from '../../../adapters/wechat/inbound.js';
import { wechatFixture } from '../../fakes/wechat/messages.js';

/** The refusal parseXml throws for `xml` (fails the test if it accepts it). */
function refusal(xml: string | Buffer): XmlError {
  try {
    parseXml(xml);
  } catch (error) {
    if (error instanceof XmlError) return error;
    throw error;
  }
  throw new Error('the XML was accepted');
}

describe('the flat WeChat XML reader: what it keeps', () => {
  it('reads CDATA and plain fields of a documented push, Chinese intact', () => {
    expect(parseXml(wechatFixture('text'))).toEqual({
      ToUserName: 'gh_3f1c2a9b7d41',
      FromUserName: 'oR5Gjjl_eiZoUpGozMo7dbBJ362A',
      CreateTime: '1764000000',
      MsgType: 'text',
      Content: '你好，我的钱包被盗了，怎么办？',
      MsgId: '24612345678900001',
    });
  });

  it('joins split CDATA sections, so "]]>" and "]]" survive; markup-like text and newlines stay verbatim', () => {
    expect(parseXml(wechatFixture('text-cdata-edge')).Content).toBe('地址 a[b[0]]]> 不是 <b>粗体</b> & 😱\n第二行 ]]>');
  });

  it('decodes the five predefined entities and numeric character references in plain text', () => {
    expect(parseXml(wechatFixture('text-entities')).Content).toBe('1 < 2 && 3 > 2, "引号" \'单\' 💰 中');
  });

  it('accepts a leading <?xml?> declaration, a BOM, whitespace between fields and empty or self-closed fields', () => {
    const fields = parseXml(Buffer.from(`\ufeff<?xml version="1.0" encoding="utf-8"?>\n<xml>\n <EventKey><![CDATA[]]></EventKey>\n <Ticket/>\n <Empty></Empty>\n</xml>\n`));
    expect(fields).toEqual({ EventKey: '', Ticket: '', Empty: '' });
  });

  it('a field named __proto__ is an ordinary own field, not a prototype', () => {
    const fields = parseXml('<xml><__proto__><![CDATA[x]]></__proto__></xml>');
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
    expect(Object.keys(fields)).toEqual(['__proto__']);
  });

  it('builds the same format: CDATA-wrapped text with "]]>" split, integers plain; it reads back identically', () => {
    const content = '退款 ]]> 完成 <ok> & 🎉';
    const xml = buildXml([
      ['ToUserName', 'oR5Gjjl_eiZoUpGozMo7dbBJ362A'],
      ['CreateTime', 1764000000],
      ['Content', content],
    ]);
    expect(xml).toBe(`<xml><ToUserName><![CDATA[oR5Gjjl_eiZoUpGozMo7dbBJ362A]]></ToUserName><CreateTime>1764000000</CreateTime><Content>${cdata(content)}</Content></xml>`);
    expect(cdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
    expect(parseXml(xml)).toEqual({ ToUserName: 'oR5Gjjl_eiZoUpGozMo7dbBJ362A', CreateTime: '1764000000', Content: content });
  });
});

describe('the flat WeChat XML reader: what it refuses, and why', () => {
  it.each([
    ['hostile-doctype-xxe', /DOCTYPE/],
    ['hostile-billion-laughs', /DOCTYPE/],
  ])('%s: refused as forbidden before any entity is read', (fixture, reason) => {
    const error = refusal(wechatFixture(fixture));
    expect(error.problem).toBe('forbidden');
    expect(error.message).toMatch(reason);
  });

  it('a bare <!ENTITY>, a comment, a processing instruction after the start: forbidden', () => {
    expect(refusal('<!ENTITY x "y"><xml></xml>').message).toMatch(/ENTITY/);
    expect(refusal('<xml><!-- hi --><A>1</A></xml>').message).toMatch(/comment/);
    expect(refusal('<xml><A><!-- hi --></A></xml>').message).toMatch(/comment/);
    expect(refusal('<xml><?php echo 1 ?><A>1</A></xml>').message).toMatch(/processing instruction/);
    expect(refusal('<?xml version="1.0"?><?xml-stylesheet href="x"?><xml></xml>').problem).toBe('forbidden');
  });

  it('an undefined entity reference (an entity declared elsewhere, or a typo) is refused by name', () => {
    const error = refusal('<xml><Content>&xxe;</Content></xml>');
    expect(error.problem).toBe('forbidden');
    expect(error.message).toContain('&xxe;');
  });

  it('nesting beyond one level and attributes are refused', () => {
    expect(refusal(wechatFixture('hostile-nested')).message).toMatch(/nested element inside <Content>/);
    expect(refusal('<xml><Content lang="zh"><![CDATA[x]]></Content></xml>').message).toMatch(/attributes/);
  });

  it('malformed documents are refused with the place: unclosed, mismatched, repeated, stray text, trailing content', () => {
    expect(refusal('<xml><A>1</A>').message).toMatch(/not closed/);
    expect(refusal('<xml><A>1</B></xml>').message).toMatch(/<A> is closed by <\/B>/);
    expect(refusal('<xml><A>1</A><A>2</A></xml>').message).toMatch(/appears twice/);
    expect(refusal('<xml>hello<A>1</A></xml>').message).toMatch(/outside any field/);
    expect(refusal('<xml><A>1</A></xml><xml></xml>').message).toMatch(/after <\/xml>/);
    expect(refusal('<root><A>1</A></root>').message).toMatch(/<xml> root/);
    expect(refusal('<xml><A><![CDATA[open</A></xml>').message).toMatch(/unterminated CDATA/);
    expect(refusal('<xml><A>a & b</A></xml>').message).toMatch(/bare "&"/);
    expect(refusal('<xml><A>&#0;</A></xml>').message).toMatch(/not a valid XML character/);
  });

  it('only UTF-8: another declared encoding and invalid UTF-8 bytes are refused', () => {
    expect(refusal('<?xml version="1.0" encoding="GBK"?><xml></xml>').message).toMatch(/GBK/);
    expect(refusal(Buffer.from([0x3c, 0x78, 0x6d, 0x6c, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x78, 0x6d, 0x6c, 0x3e])).message).toMatch(/UTF-8/);
  });

  it(`anything over ${XML_LIMIT_BYTES} bytes is refused as too large without being read`, () => {
    const big = `<xml><Content><![CDATA[${'长'.repeat(XML_LIMIT_BYTES / 3 + 1)}]]></Content></xml>`;
    const error = refusal(big);
    expect(error.problem).toBe('too_large');
    expect(error.message).toMatch(/bytes/);
  });
});
