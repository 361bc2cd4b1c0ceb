import { readForm, wantedFrom } from '../../../core/pages/handle';
import { chooseLocale, localeFromAcceptLanguage } from '../../../core/pages/options';
import { escapeHtml } from '../../../core/html';
import { html, safeHref, SafeHtml } from '../../../core/pages/render';

describe('escaping', () => {
  test.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
    ["O'Brien & Zn.", 'O&#39;Brien &amp; Zn.'],
    ['`${x}`', '&#96;${x}&#96;'],
    ['&amp;', '&amp;amp;'],
    ['gewoon tekst', 'gewoon tekst'],
  ])('%s', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  test('html`` escapes every value, keeps its own markup, joins lists and drops empty values', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p title="${'"x"'}">${inner}${['<a>', html`<br>`]}${null}${undefined}${false}${0}</p>`.markup).toBe(
      '<p title="&quot;x&quot;"><b>&lt;i&gt;</b>&lt;a&gt;<br>0</p>',
    );
    expect(html`${'x'}`).toBeInstanceOf(SafeHtml);
  });

  test.each([
    ['https://example.nl/privacy', 'https://example.nl/privacy'],
    ['http://example.nl/p?a=1&b=2', 'http://example.nl/p?a=1&b=2'],
    ['preferences?token=u1.abc', 'preferences?token=u1.abc'],
    ['javascript:alert(1)', '#'],
    ['JaVaScRiPt:alert(1)', '#'],
    ['data:text/html,<script>alert(1)</script>', '#'],
    ['//evil.example/x', '#'],
    ['https://example.nl/\nx', '#'],
  ])('safeHref(%p) → %p', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });
});

describe('language', () => {
  test.each([
    [undefined, undefined],
    ['', undefined],
    ['nl', 'nl'],
    ['nl-BE', 'nl'],
    ['en-GB,en;q=0.9', 'en'],
    ['de-DE,de;q=0.9,nl;q=0.8,en;q=0.7', 'nl'],
    ['en;q=0.4, nl;q=0.6', 'nl'],
    ['nl;q=0, en', 'en'],
    ['fr, de', undefined],
    ['*', undefined],
    ['NL-nl', 'nl'],
    ['en;q=garbage, nl;q=0.5', 'en'],
  ])('Accept-Language %p → %p', (header, expected) => {
    expect(localeFromAcceptLanguage(header)).toBe(expected);
  });

  test.each([
    ['nl', undefined, 'en', 'nl'],
    ['en', 'nl', 'nl', 'en'],
    [null, 'nl', 'en', 'nl'],
    [null, undefined, 'nl-NL', 'nl'],
    [null, undefined, 'fr', 'en'],
    ['de', undefined, undefined, 'en'],
  ] as const)('subject %p, default %p, browser %p → %p', (subject, defaultLocale, header, expected) => {
    expect(chooseLocale(subject, { defaultLocale }, header)).toBe(expected);
  });
});

describe('reading forms', () => {
  const boundary = '----pages7';
  const multipart = [
    `--${boundary}`,
    'Content-Disposition: form-data; name="token"',
    '',
    'u1.abc',
    `--${boundary}`,
    'Content-Disposition: form-data; name="topic"',
    '',
    'newsletter',
    `--${boundary}`,
    'Content-Disposition: form-data; name="topic"',
    '',
    'events',
    `--${boundary}`,
    'Content-Disposition: form-data; name="upload"; filename="a.txt"',
    'Content-Type: text/plain',
    '',
    'ignored',
    `--${boundary}--`,
    '',
  ].join('\r\n');

  test.each([
    ['urlencoded string', 'token=u1.abc&topic=newsletter&topic=events', 'application/x-www-form-urlencoded'],
    ['urlencoded, no content type', 'token=u1.abc&topic=newsletter&topic=events', undefined],
    ['urlencoded bytes', Buffer.from('token=u1.abc&topic=newsletter&topic=events'), 'application/x-www-form-urlencoded'],
    ['a parsed object with a list', { token: 'u1.abc', topic: ['newsletter', 'events'], ignored: { nested: true } }, undefined],
    ['multipart', multipart, `multipart/form-data; boundary=${boundary}`],
    ['multipart, quoted boundary', multipart, `multipart/form-data; boundary="${boundary}"`],
  ])('%s', (_, body, contentType) => {
    const form = readForm(body, contentType);
    expect(form.get('token')).toEqual(['u1.abc']);
    expect(form.get('topic')).toEqual(['newsletter', 'events']);
    expect(form.has('upload')).toBe(false);
    expect(form.has('ignored')).toBe(false);
  });

  test.each([[null], [undefined], [''], [42]])('an empty or odd body %p is an empty form', (body) => {
    expect(readForm(body, 'application/x-www-form-urlencoded').size).toBe(0);
  });
});

describe('which preferences changed', () => {
  const form = (fields: Record<string, string[]>) => new Map(Object.entries(fields));
  test.each([
    ['nothing changed', { shown: ['a', 'b'], was: ['a'], topic: ['a'] }, {}],
    ['one unticked', { shown: ['a', 'b'], was: ['a', 'b'], topic: ['a'] }, { b: false }],
    ['one ticked', { shown: ['a', 'b'], was: ['a'], topic: ['a', 'b'] }, { b: true }],
    ['all unticked', { shown: ['a', 'b'], was: ['a', 'b'] }, { a: false, b: false }],
    ['a ticked topic the form never showed is ignored', { shown: ['a'], was: [], topic: ['a', 'zzz'] }, { a: true }],
    ['no list of shown topics: nothing', { topic: ['a'] }, {}],
  ])('%s', (_, fields, expected) => {
    expect(wantedFrom(form(fields))).toEqual(expected);
  });
});
