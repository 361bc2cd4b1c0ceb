'use strict';
// Malformed mails for the "never stop, never lose" fuzz runs: the same mails for the same seed, in
// every run and on every machine (no clock, no randomUUID). Used by the tests (test/core/mail/
// fuzz.test.ts in-process, test/worker/fuzz.ts on Dovecot) and by scripts/fuzz-mail.mjs (the big
// run). CommonJS so the TypeScript tests and the plain-Node script load the same file.
//
// Each mail is { kind, bytes }. The kinds: broken MIME boundaries, empty and odd headers (the
// empty part Content-Type that once stopped the mailbox among them), 60-deep (and deeper)
// multiparts, bad charsets, encoded-word abuse, huge headers (an over-long References entry
// among them), NUL bytes, 10 MB bodies, and valid request mails cut, flipped and re-ended.

const KINDS = ['boundary', 'empty-header', 'odd-header', 'deep', 'charset', 'encoded-word', 'huge-header', 'nul', 'big-body', 'mutated'];
const SMALL_KINDS = KINDS.filter((k) => k !== 'big-body');

/** A small fast PRNG (mulberry32): the seed fixes every choice. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CRLF = '\r\n';

/**
 * `count` mails from `seed`, one at a time (a 10 MB body is made when it is reached, not held).
 * Options: `nul: false` replaces NUL bytes by spaces (IMAP APPEND refuses them); `bigEvery`: one
 * 10 MB body every that many mails (default 2,000; 0 for none); `bigBytes`: its size (10 MB).
 */
function* malformedMails(count, seed, options = {}) {
  const random = prng(seed);
  const int = (max) => Math.floor(random() * max);
  const pick = (items) => items[int(items.length)];
  const bigEvery = options.bigEvery ?? 2000;
  const bigBytes = options.bigBytes ?? 10 * 1024 * 1024;
  const allowNul = options.nul !== false;

  for (let i = 0; i < count; i++) {
    const id = `<fuzz-${seed}-${i}@fuzz.example>`;
    const isBig = bigEvery > 0 && i % bigEvery === bigEvery - 1;
    const kind = isBig ? 'big-body' : pick(SMALL_KINDS);
    const raw = isBig ? bigBody(id, bigBytes, int) : makers[kind](id, { int, pick, random });
    let bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'latin1');
    if (!allowNul) for (let j = 0; j < bytes.length; j++) if (bytes[j] === 0) bytes[j] = 0x20;
    if (bytes.length === 0) bytes = Buffer.from(`X: y${CRLF}${CRLF}`);
    yield { kind, bytes };
  }
}

function head(id, more = []) {
  return ['From: Jan Jansen <jan@example.nl>', 'To: privacy@shop.example', 'Subject: Afmelden', 'Date: Mon, 23 Nov 2026 09:00:00 +0100', `Message-ID: ${id}`, 'MIME-Version: 1.0', ...more].join(CRLF);
}

/** A valid request mail, one of a few shapes, for the mutations to break. */
function baseMail(id, r) {
  const b = `b${r.int(1e6)}`;
  return r.pick([
    () => `${head(id)}${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}${CRLF}Graag afmelden.${CRLF}`,
    () => `${head(id)}${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}Verwijder mijn gegevens =E2=80=93 bedankt${CRLF}`,
    () =>
      `${head(id)}${CRLF}Content-Type: multipart/alternative; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}${CRLF}Please unsubscribe me${CRLF}--${b}${CRLF}Content-Type: text/html; charset=utf-8${CRLF}${CRLF}<p>Please unsubscribe me</p>${CRLF}--${b}--${CRLF}`,
    () =>
      `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}Content-Type: text/plain${CRLF}${CRLF}Inzage graag${CRLF}--${b}${CRLF}Content-Type: application/pdf; name="a.pdf"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}JVBERi0xLjQK${CRLF}--${b}--${CRLF}`,
    () =>
      `From: MAILER-DAEMON@mx.shop.example${CRLF}Subject: Undelivered Mail${CRLF}Message-ID: ${id}${CRLF}Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}Content-Type: text/plain${CRLF}${CRLF}failed${CRLF}--${b}${CRLF}Content-Type: message/delivery-status${CRLF}${CRLF}Reporting-MTA: dns; mx${CRLF}${CRLF}Final-Recipient: rfc822; gone@example.nl${CRLF}Action: failed${CRLF}Status: 5.1.1${CRLF}--${b}--${CRLF}`,
  ])();
}

const makers = {
  boundary: (id, r) => {
    const b = `b${r.int(1e6)}`;
    const part = `Content-Type: text/plain${CRLF}${CRLF}afmelden${CRLF}`;
    return r.pick([
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}--other${CRLF}${part}--other--${CRLF}`, // boundary never used
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}${part}`, // never closed
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary=""${CRLF}${CRLF}--${CRLF}${part}----${CRLF}`, // empty boundary
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed${CRLF}${CRLF}--x${CRLF}${part}--x--${CRLF}`, // no boundary parameter
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="${b}${CRLF}${CRLF}--${b}${CRLF}${part}--${b}--${CRLF}`, // unterminated quote
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}--${b}--${CRLF}--${b}${CRLF}${part}--${b}--${CRLF}--${b}${CRLF}`, // closed, then reopened
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}Content-Type: multipart/alternative; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}${part}--${b}--${CRLF}--${b}--${CRLF}`, // the same boundary nested
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="${'x'.repeat(5000 + r.int(60000))}"${CRLF}${CRLF}--x${CRLF}${part}`, // huge boundary
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}${Array.from({ length: 600 + r.int(1000) }, () => `--${b}${CRLF}${CRLF}`).join('')}--${b}--${CRLF}`, // more parts than the limit
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}${CRLF}--${b}${CRLF}--${b}--${b}--${CRLF}`, // empty parts, glued ends
    ])();
  },
  'empty-header': (id, r) => {
    const b = `b${r.int(1e6)}`;
    return r.pick([
      // The poison mail: a part with an empty Content-Type (once uncaught inside mailparser).
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}Content-Type:${CRLF}${CRLF}afmelden${CRLF}--${b}--${CRLF}`,
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}Content-Type: text/plain${CRLF}${CRLF}hoi${CRLF}--${b}${CRLF}Content-Type: ${CRLF}Content-Disposition: attachment${CRLF}${CRLF}x${CRLF}--${b}--${CRLF}`,
      () => `${head(id)}${CRLF}Content-Type:${CRLF}${CRLF}afmelden${CRLF}`,
      () => `From:${CRLF}To:${CRLF}Subject:${CRLF}Message-ID:${CRLF}Date:${CRLF}${CRLF}afmelden${CRLF}`,
      () => `${head(id)}${CRLF}Content-Transfer-Encoding:${CRLF}Content-Type: text/plain; charset=${CRLF}${CRLF}afmelden${CRLF}`,
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}Content-Type: ;;;${CRLF}Content-Transfer-Encoding: ${CRLF}${CRLF}afmelden${CRLF}--${b}--${CRLF}`,
      () => `${CRLF}${CRLF}${CRLF}`,
      () => `Message-ID: <>${CRLF}From: <>${CRLF}Return-Path: <>${CRLF}Auto-Submitted:${CRLF}Precedence:${CRLF}In-Reply-To: <>${CRLF}References: <> <> <>${CRLF}${CRLF}x${CRLF}`,
      () => `${head(id)}${CRLF}Content-Type: message/delivery-status${CRLF}${CRLF}`,
      () => `${head(id)}${CRLF}Content-Type: multipart/report; report-type=; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}Content-Type: message/delivery-status${CRLF}${CRLF}--${b}--${CRLF}`,
    ])();
  },
  'odd-header': (id, r) =>
    r.pick([
      () => `no colon on this line${CRLF}: empty name${CRLF}${head(id)}${CRLF}${CRLF}afmelden${CRLF}`,
      () => `${head(id)}${CRLF} folded continuation with nothing before${CRLF}X-\u00ff\u00fe: latin1 name${CRLF}X Space: in name${CRLF}${CRLF}x${CRLF}`,
      () => `${head(id)}${CRLF}${Array.from({ length: 100 }, (_, k) => `From: a${k}@example.nl`).join(CRLF)}${CRLF}${CRLF}afmelden${CRLF}`,
      () => `From: "unterminated <jan@example.nl>${CRLF}Subject: afmelden${CRLF}Message-ID: ${id}${CRLF}${CRLF}x${CRLF}`,
      () => `From: jan@example.nl <piet@example.nl> <kees@example.nl>, @@@, ,,,${CRLF}Subject: afmelden${CRLF}Message-ID: ${id}${CRLF}${CRLF}x${CRLF}`,
      () => `From: ${'('.repeat(3000)}jan@example.nl${CRLF}Subject: afmelden${CRLF}Message-ID: ${id}${CRLF}${CRLF}x${CRLF}`,
      () => `${head(id)}${CRLF}Date: not a date at all${CRLF}Date: Mon, 99 Zzz 99999 99:99:99 +9999${CRLF}${CRLF}x${CRLF}`,
      () => head(id).replace(/\r\n/g, '\n') + `\nContent-Type: text/plain\n\nbare LF afmelden\n`,
      () => head(id).replace(/\r\n/g, '\r') + `\rContent-Type: text/plain\r\rbare CR afmelden\r`,
      () => `${head(id)}${CRLF}Content-Type: text/plain; charset=utf-8; format=flowed; delsp=yes; ${'x=y; '.repeat(2000)}${CRLF}${CRLF}afmelden${CRLF}`,
      () => `${head(id)}${CRLF}Content-Transfer-Encoding: x-uuencode-ish${CRLF}Content-Type: text/plain${CRLF}${CRLF}begin 644 a${CRLF}\`${CRLF}end${CRLF}`,
      () => `${head(id)}${CRLF}Content-Type: text/plain${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}!!!not base64!!!===${CRLF}`,
      () => `${head(id)}${CRLF}Content-Type: text/html; charset=utf-8${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}<p>=ZZ=${CRLF}=4${CRLF}${'<blockquote>'.repeat(5000)}afmelden</p>${CRLF}`,
    ])(),
  deep: (id, r) => {
    const depth = r.pick([60, 60, 61, 100, 250, 1000]);
    let body = `Content-Type: text/plain${CRLF}${CRLF}afmelden diep${CRLF}`;
    for (let d = 0; d < depth; d++) body = `Content-Type: multipart/mixed; boundary="n${d}"${CRLF}${CRLF}--n${d}${CRLF}${body}${CRLF}--n${d}--${CRLF}`;
    if (r.random() < 0.3) body = body.replace(/--n\d+--\r\n/g, (m) => (r.random() < 0.5 ? '' : m)); // some never closed
    if (r.random() < 0.2) body = body.replace(/message\/rfc822/g, 'x').replace(/multipart\/mixed/g, () => (r.random() < 0.2 ? 'message/rfc822' : 'multipart/mixed'));
    return `From: deep@example.nl${CRLF}Subject: nested${CRLF}Message-ID: ${id}${CRLF}MIME-Version: 1.0${CRLF}${body}`;
  },
  charset: (id, r) => {
    const charset = r.pick(['x-no-such-charset', 'utf-7', 'utf-16', 'utf-32', '"utf-8', 'iso-8859-99', '', 'windows-1252"; x="', 'UTF-8\u0000', 'gb18030', 'iso-2022-jp', `${'a'.repeat(500)}`]);
    const body = r.pick([
      Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0xc3, 0x28, 0xe2, 0x82, 0xa0, 0xf0, 0x28, 0x8c, 0x28, 0x1b, 0x24, 0x42]).toString('latin1'),
      'Verwijder mijn gegevens \u00e9\u00e8',
      '+AGEAZgBtAGUAbABkAGUAbg-',
      Buffer.from('afmelden', 'utf16le').subarray(0, 7).toString('latin1'),
    ]);
    const multipart = r.random() < 0.5;
    const b = `b${r.int(1e6)}`;
    const ctype = `text/${r.pick(['plain', 'html'])}; charset=${charset}`;
    const cte = r.pick(['', `Content-Transfer-Encoding: base64${CRLF}`, `Content-Transfer-Encoding: quoted-printable${CRLF}`, `Content-Transfer-Encoding: 8bit${CRLF}`]);
    const encoded = cte.includes('base64') ? Buffer.from(body, 'latin1').toString('base64') : body;
    if (!multipart) return `${head(id)}${CRLF}Content-Type: ${ctype}${CRLF}${cte}${CRLF}${encoded}${CRLF}`;
    return `${head(id)}${CRLF}Content-Type: multipart/alternative; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}Content-Type: ${ctype}${CRLF}${cte}${CRLF}${encoded}${CRLF}--${b}--${CRLF}`;
  },
  'encoded-word': (id, r) => {
    const words = r.pick([
      () => '=?x-unknown?B?###?= =?utf-8?Q?=ZZ=?=',
      () => Array.from({ length: 2000 + r.int(5000) }, () => '=?utf-8?B?YWZtZWxkZW4=?=').join(' '),
      () => '=?utf-8?B?' + 'A'.repeat(100000) + '?=',
      () => '=?utf-8?B?w6k=?==?utf-8?B?w6k=?==?utf-8?B?8J+Y?==?utf-8?B?gA==?=', // a character split over words
      () => '=?utf-8?Q?=?utf-8?Q?nested?=?=',
      () => '=?utf-16?B?//5hAGYA?= =?utf-32?Q?x?= =?iso-2022-jp?B?GyRCJCIbKEI=?=',
      () => '=?utf-8*nl?Q?afmelden?= =??Q?x?= =?utf-8??x?= =?utf-8?X?x?=',
      () => `=?utf-8?B?${Buffer.from('Jan "the" <jan@example.nl>, piet@example.nl').toString('base64')}?=`,
      () => `=?utf-8?Q?${'=00'.repeat(500)}?=`,
    ])();
    return r.pick([
      () => `From: ${words} <jan@example.nl>${CRLF}Subject: ${words}${CRLF}Message-ID: ${id}${CRLF}${CRLF}x${CRLF}`,
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="b"${CRLF}${CRLF}--b${CRLF}Content-Type: text/plain; name="${words}"${CRLF}Content-Disposition: attachment; filename="${words}"; filename*=utf-8''%ZZ%${CRLF}${CRLF}x${CRLF}--b--${CRLF}`,
      () => `From: jan@example.nl${CRLF}Subject: =?utf-8?B?${Buffer.from('afmelden').toString('base64')}${CRLF}Message-ID: ${id}${CRLF}${CRLF}${words}${CRLF}`,
    ])();
  },
  'huge-header': (id, r) =>
    r.pick([
      // The reply-breaker: one References entry over 998 characters.
      () => `${head(id)}${CRLF}References: <${'r'.repeat(999 + r.int(3000))}@fuzz.example>${CRLF}In-Reply-To: <${'i'.repeat(999 + r.int(3000))}@fuzz.example>${CRLF}Content-Type: text/plain${CRLF}${CRLF}afmelden${CRLF}`,
      () => `${head(id)}${CRLF}X-Garbage: ${'A'.repeat(200_000 + r.int(200_000))}${CRLF}${CRLF}afmelden${CRLF}`,
      () => `${head(id)}${CRLF}${Array.from({ length: 10_000 + r.int(20_000) }, (_, k) => `X-H${k}: v`).join(CRLF)}${CRLF}${CRLF}afmelden${CRLF}`,
      () => `${head(id)}${CRLF}Subject: ${'verwijder '.repeat(20_000 + r.int(40_000))}${CRLF}${CRLF}x${CRLF}`,
      () => `${head(id)}${CRLF}References: ${Array.from({ length: 5000 }, (_, k) => `<r${k}@x>`).join(`${CRLF} `)}${CRLF}${CRLF}afmelden${CRLF}`,
      () => `From: jan@example.nl${CRLF}Message-ID: <${'m'.repeat(5000 + r.int(50_000))}@fuzz.example>${CRLF}Subject: afmelden${CRLF}${CRLF}x${CRLF}`,
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="b"${CRLF}${CRLF}--b${CRLF}X-Part: ${'p'.repeat(300_000)}${CRLF}Content-Type: text/plain${CRLF}${CRLF}afmelden${CRLF}--b--${CRLF}`,
      () => `${head(id)}${CRLF}${'X-Fold: a'}${`${CRLF} b`.repeat(50_000)}${CRLF}${CRLF}afmelden${CRLF}`,
    ])(),
  nul: (id, r) =>
    r.pick([
      () => `${head(id)}\u0000${CRLF}Content-Type: text/plain${CRLF}${CRLF}afmel\u0000den${CRLF}`,
      () => `From: jan@exa\u0000mple.nl${CRLF}Subject: af\u0000melden${CRLF}Message-ID: <a\u0000b@x>${CRLF}${CRLF}\u0000\u0000\u0000${CRLF}`,
      () => `${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="b\u0000c"${CRLF}${CRLF}--b\u0000c${CRLF}Content-Type: text/plain${CRLF}${CRLF}afmelden${CRLF}--b\u0000c--${CRLF}`,
      () => '\u0000'.repeat(1 + r.int(100_000)),
      () => `${head(id)}${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${Buffer.alloc(3000).toString('base64')}${CRLF}`,
    ])(),
  mutated: (id, r) => {
    let raw = baseMail(id, r);
    const rounds = 1 + r.int(3);
    for (let k = 0; k < rounds; k++) {
      raw = r.pick([
        (s) => s.slice(0, 1 + r.int(s.length)), // cut anywhere, headers included
        (s) => {
          const bytes = Buffer.from(s, 'latin1');
          for (let n = 0; n < 1 + r.int(40); n++) bytes[r.int(bytes.length)] = r.int(256);
          return bytes.toString('latin1');
        },
        (s) => s.replace(/\r\n/g, r.pick(['\n', '\r', '\r\r\n', '\n\r'])),
        (s) => s.replace(/boundary="[^"]*"/, `boundary="${r.pick(['', ' ', '"', 'does-not-appear', '--'])}"`),
        (s) => s.replace(/--[^\r\n]+--\r\n$/, ''),
        (s) => s.replace(/Content-Type: [^\r\n;]+/g, () => `Content-Type: ${r.pick(['', 'text', '/', 'multipart/', 'message/rfc822', 'application/octet-stream', 'text/plain/html'])}`),
        (s) => s.replace(/\r\n\r\n/, `\r\n${Buffer.from(Array.from({ length: 200 + r.int(4000) }, () => r.int(256))).toString('latin1')}\r\n\r\n`),
        (s) => `${s}${s}`,
        () => Buffer.from(Array.from({ length: 1 + r.int(4000) }, () => r.int(256))).toString('latin1'),
      ])(raw);
    }
    return raw;
  },
};

/** A mail with a body of about `size` bytes (text or base64), or an attachment that size. */
function bigBody(id, size, int) {
  const shape = int(3);
  if (shape === 0) {
    const line = 'Graag afmelden van de nieuwsbrief, dank u wel. '.repeat(20) + CRLF;
    return Buffer.concat([Buffer.from(`${head(id)}${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}${CRLF}`), Buffer.alloc(size, line)]);
  }
  if (shape === 1) {
    const line = `${'QUJD'.repeat(19)}${CRLF}`;
    return Buffer.concat([
      Buffer.from(`${head(id)}${CRLF}Content-Type: multipart/mixed; boundary="big"${CRLF}${CRLF}--big${CRLF}Content-Type: text/plain${CRLF}${CRLF}afmelden${CRLF}--big${CRLF}Content-Type: application/octet-stream${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}`),
      Buffer.alloc(size, line),
      Buffer.from(`${CRLF}--big--${CRLF}`),
    ]);
  }
  // One 10 MB line, no line ends at all.
  return Buffer.concat([Buffer.from(`${head(id)}${CRLF}Content-Type: text/html${CRLF}${CRLF}<p>`), Buffer.alloc(size, 'afmelden ')]);
}

module.exports = { malformedMails, KINDS, prng };
