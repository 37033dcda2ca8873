import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contactNameOf,
  describeProblem,
  firstNameOf,
  parseTemplate,
  renderTemplate,
  TEMPLATE_VARIABLES,
  type TemplateValues,
  templateValues,
} from '../../src/desk/canned/template.js';

const ana = templateValues({ contact: { name: 'Li Wei', email: 'li.wei@example.com' }, agent: { name: 'Ana Silva' } });
const nameless = templateValues({ contact: { name: 'Customer' }, agent: { name: 'Ana Silva' } });

const problemOf = (text: string) => {
  const parsed = parseTemplate(text);
  if (parsed.ok) throw new Error(`expected "${text}" to be refused`);
  return describeProblem(text, parsed.problem);
};

describe('canned reply templates: parsing', () => {
  it('splits text and the known variables, with spaces inside the braces allowed', () => {
    expect(parseTemplate('Hi {{contact.name}}, I am {{ agent.firstName }}.')).toEqual({
      ok: true,
      tokens: [
        { kind: 'text', text: 'Hi ' },
        { kind: 'variable', name: 'contact.name' },
        { kind: 'text', text: ', I am ' },
        { kind: 'variable', name: 'agent.firstName' },
        { kind: 'text', text: '.' },
      ],
    });
    expect(parseTemplate('no variables, {single} braces are text')).toEqual({ ok: true, tokens: [{ kind: 'text', text: 'no variables, {single} braces are text' }] });
    expect(parseTemplate('')).toEqual({ ok: true, tokens: [] });
  });

  it('refuses an unknown variable and names it, with the known ones', () => {
    expect(problemOf('Hi {{contact.phone}}')).toBe(
      'unknown variable {{contact.phone}} (known: {{contact.name}}, {{contact.firstName}}, {{contact.email}}, {{agent.name}}, {{agent.firstName}})',
    );
    // Names are case-sensitive: a near miss is named as typed.
    expect(problemOf('{{Contact.Name}}')).toMatch(/^unknown variable \{\{Contact\.Name\}\}/);
    expect(problemOf('{{}}')).toMatch(/^unknown variable \{\{\}\}/);
  });

  it('refuses unbalanced braces and says where', () => {
    expect(problemOf('Hi {{contact.name, thanks')).toBe('unbalanced braces: "{{" without a closing "}}" at "{{contact.name, thanks"');
    expect(problemOf('Hi contact.name}} there')).toBe('unbalanced braces: "}}" without an opening "{{" at "}} there"');
    // A "{{" opened again before it closed.
    expect(problemOf('{{{contact.name}}')).toMatch(/^unbalanced braces: "\{\{" without a closing/);
    expect(problemOf('{{contact.name {{agent.name}}')).toMatch(/^unbalanced braces/);
    expect(problemOf(`${'x'.repeat(40)}{{ oops`)).toBe('unbalanced braces: "{{" without a closing "}}" at "{{ oops"');
  });
});

describe('canned reply templates: rendering', () => {
  it('fills every variable from the customer and the agent', () => {
    expect(renderTemplate('Hi {{contact.firstName}} ({{contact.name}}, {{contact.email}}), {{agent.firstName}} here — {{agent.name}}.', ana, 'en')).toBe(
      'Hi Li (Li Wei, li.wei@example.com), Ana here — Ana Silva.',
    );
    expect(renderTemplate('{{contact.name}}您好，我是{{agent.name}}。', templateValues({ contact: { name: '王小明' }, agent: { name: '李娜' } }), 'zh')).toBe('王小明您好，我是李娜。');
  });

  it('a Chinese name without spaces is its own first name', () => {
    expect(firstNameOf('王小明')).toBe('王小明');
    expect(firstNameOf('  Ana   Silva ')).toBe('Ana');
  });

  it('a customer without a name: the ingest placeholder, nothing, or only an email address', () => {
    expect(contactNameOf('Customer')).toBeUndefined();
    expect(contactNameOf('   ')).toBeUndefined();
    expect(contactNameOf('li.wei@example.com')).toBeUndefined();
    expect(contactNameOf('Li Wei', 'li.wei@example.com')).toBe('Li Wei');
    expect(contactNameOf('@li_wei')).toBe('@li_wei');
  });

  it.each([
    ['Hi {{contact.name}}, your refund is on its way.', 'Hi there, your refund is on its way.'],
    ['Hello {{contact.firstName}}!', 'Hello there!'],
    ['Good morning{{contact.name}}.', 'Good morning there.'],
    ['Dear {{contact.name}},\nthanks for writing.', 'Dear customer,\nthanks for writing.'],
    ['Thank you, {{contact.name}}.', 'Thank you.'],
    ['Thanks {{contact.name}} for waiting.', 'Thanks for waiting.'],
    ['{{contact.name}}, your refund is on its way.', 'Your refund is on its way.'],
    ['Done. {{contact.name}}, anything else?', 'Done. Anything else?'],
    ['Thanks {{contact.name}}', 'Thanks'],
    ['We wrote to {{contact.email}}.', 'We wrote to your email address.'],
    ['{{contact.email}} is where we wrote.', 'Your email address is where we wrote.'],
  ])('English without a name: %j → %j', (template, expected) => {
    expect(renderTemplate(template, nameless, 'en')).toBe(expected);
  });

  it.each([
    ['{{contact.name}}您好，退款已经处理。', '您好，退款已经处理。'],
    ['{{contact.name}}，您好！退款已经处理。', '您好！退款已经处理。'],
    ['您好，{{contact.name}}！退款已经处理。', '您好！退款已经处理。'],
    ['尊敬的{{contact.name}}，退款已经处理。', '尊敬的用户，退款已经处理。'],
    ['感谢{{contact.name}}的耐心等待。', '感谢您的耐心等待。'],
    ['我们已发送到{{contact.email}}。', '我们已发送到您的邮箱。'],
  ])('Chinese without a name: %j → %j', (template, expected) => {
    expect(renderTemplate(template, nameless, 'zh')).toBe(expected);
  });

  it('values are plain text, inserted once: a name that looks like markup or like a placeholder stays as it is', () => {
    const odd = templateValues({ contact: { name: '<img src=x onerror=alert(1)> {{agent.name}}' }, agent: { name: 'Ana' } });
    expect(renderTemplate('Hi {{contact.name}}!', odd, 'en')).toBe('Hi <img src=x onerror=alert(1)> {{agent.name}}!');
  });

  it('a template that no longer parses renders as written around what it can fill', () => {
    expect(renderTemplate('Hi {{contact.phone}} and {{contact.name}} {{oops', ana, 'en')).toBe('Hi {{contact.phone}} and Li Wei {{oops');
  });

  const known = new RegExp(`\\{\\{\\s*(?:${TEMPLATE_VARIABLES.map((v) => v.replace('.', '\\.')).join('|')})\\s*\\}\\}`, 'u');
  const piece = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom(' ', ', ', '，', '！', '. ', '\n', '的', 'Hi ', 'Dear ', '您好', '{', '}', '{{', '}}'),
    fc.constantFrom(...TEMPLATE_VARIABLES).map((v) => `{{${v}}}`),
  );
  const template = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
  const noBraces = fc.string({ maxLength: 16 }).filter((s) => !/[{}]/u.test(s));
  const values: fc.Arbitrary<TemplateValues> = fc.record(Object.fromEntries(TEMPLATE_VARIABLES.map((v) => [v, fc.option(noBraces, { nil: undefined })])), { requiredKeys: [] });

  it('property: rendering never throws, and a template that saves never leaves a known variable unfilled', () => {
    fc.assert(
      fc.property(template, values, fc.constantFrom('en' as const, 'zh' as const), (text, filled, lang) => {
        const out = renderTemplate(text, filled, lang);
        if (parseTemplate(text).ok) expect(out).not.toMatch(known);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: any text at all renders without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), values, (text, filled) => {
        expect(typeof renderTemplate(text, filled, 'en')).toBe('string');
      }),
    );
  });
});
