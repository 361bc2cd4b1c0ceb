import { malformedMails, prng as mulberry32 } from '../../scripts/fuzz-mails.cjs';
import { dsnMail, rawMail } from '../core/mail/fixtures';

/**
 * Malformed and fuzzed mails, the same set for the same seed: valid request mails cut short,
 * bytes flipped, MIME trees broken or nested deep, bad encodings and charsets, absurd headers,
 * bare LF or bare CR line ends, shared Message-IDs; half of them from the generator of the big
 * fuzz run (scripts/fuzz-mails.cjs: empty part Content-Types, 60-deep multiparts, encoded-word
 * abuse, huge headers, over-long References…), one with a 10 MB body. No NUL bytes (IMAP APPEND
 * refuses them: they become spaces).
 */
export function fuzzedMails(count: number, seed: number): Buffer[] {
  const random = mulberry32(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const int = (max: number) => Math.floor(random() * max);

  const bases = (): string[] => [
    rawMail({ subject: 'Afmelden', messageId: `<f${int(1e9)}@fuzz>` }),
    rawMail({ subject: 'VERWIJDER', text: 'Verwijder mijn gegevens', messageId: `<f${int(1e9)}@fuzz>` }),
    rawMail({ subject: 'Re: Nieuws', html: '<p>unsubscribe</p><blockquote>afmelden</blockquote>', text: 'unsubscribe\n> afmelden' }),
    rawMail({ subject: 'Löschen Sie meine Daten', from: 'Hans Müller <hans@example.de>' }),
    rawMail({ subject: 'Inzage', attachment: { filename: 'scan.pdf', contentType: 'application/pdf', base64Lines: ['JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K'] } }),
    dsnMail(`r${int(1e6)}@example.nl`, pick(['5.1.1', '4.2.2', '5.7.1'])),
  ];

  const mutations: ((raw: string) => string)[] = [
    (raw) => raw.slice(0, 1 + int(raw.length)), // cut short anywhere, headers included
    (raw) => {
      const bytes = Buffer.from(raw, 'utf8');
      for (let i = 0; i < 1 + int(40); i++) bytes[int(bytes.length)] = 1 + int(255);
      return bytes.toString('latin1');
    },
    (raw) => `${'X-Garbage: ' + 'A'.repeat(5000 + int(60000))}\r\nno colon on this line\r\n: empty name\r\n${raw}`,
    (raw) => raw.replace(/boundary="[^"]+"/, 'boundary="does-not-appear"'),
    (raw) => raw.replace(/--[^\r\n]+--\r\n$/, ''), // multipart never closed
    () => {
      let body = 'Content-Type: text/plain\r\n\r\nAfmelden diep\r\n';
      for (let d = 0; d < 30 + int(60); d++) body = `Content-Type: multipart/mixed; boundary="n${d}"\r\n\r\n--n${d}\r\n${body}\r\n--n${d}--\r\n`;
      return `From: deep@example.nl\r\nSubject: nested\r\nMIME-Version: 1.0\r\n${body}`;
    },
    () => `From: b@example.nl\r\nSubject: =?x-unknown?B?###?= =?utf-8?Q?=ZZ=?=\r\nContent-Type: text/plain; charset=x-no-such-charset\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!\r\n`,
    () => `From: q@example.nl\r\nSubject: qp\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p>=ZZ=\r\n=4\r\n<blockquote><blockquote>afmelden</p>\r\n`,
    () => `Subject: ${'verwijder '.repeat(2000 + int(8000))}\r\nFrom: ${Array.from({ length: 50 }, (_, i) => `a${i}@example.nl`).join(', ')}\r\n\r\nhoi\r\n`,
    () => `From: not an address\r\nFrom: <>\r\nReturn-Path: <>\r\nAuto-Submitted: \r\nPrecedence: \r\nMessage-ID: <>\r\n\r\nx\r\n`,
    (raw) => raw.replace(/\r\n/g, '\n'),
    (raw) => raw.replace(/\r\n/g, '\r'),
    () => `Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\nFrom: MAILER-DAEMON@x.example\r\n\r\n--r\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822;\r\nAction: failed\r\nStatus: 5\r\n\r\nFinal-Recipient: garbage\r\n--r--\r\n`,
    (raw) => raw.replace(/^Message-ID: .*$/m, 'Message-ID: <shared-by-many@fuzz>'),
    () => `X: y\r\n\r\n`,
    () => Buffer.from(Array.from({ length: 200 + int(4000) }, () => 1 + int(255))).toString('latin1'),
    (raw) => raw.replace('Content-Type: text/plain; charset=utf-8', 'Content-Type: text/plain; charset="utf-8'),
    (raw) => `From: =?utf-8?B?${Buffer.from('Jan "the" <jan@example.nl>').toString('base64')}?= <jan@example.nl>\r\nSubject: \u00ff\u00fe raw 8-bit \u20ac afmelden\r\n${raw}`,
  ];

  const mails: Buffer[] = [];
  const generated = malformedMails(count, seed, { nul: false, bigEvery: 1000 });
  for (let i = 0; i < count; i++) {
    const other = generated.next().value!;
    if (other.kind === 'big-body' || random() < 0.5) {
      mails.push(other.bytes);
      continue;
    }
    let raw = pick(bases());
    const rounds = 1 + int(3);
    for (let r = 0; r < rounds; r++) raw = pick(mutations)(raw);
    let bytes = Buffer.from(raw, 'latin1');
    for (let j = 0; j < bytes.length; j++) if (bytes[j] === 0) bytes[j] = 0x20;
    if (bytes.length === 0) bytes = Buffer.from('X: y\r\n\r\n');
    mails.push(bytes);
  }
  return mails;
}

