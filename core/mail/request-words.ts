import { findToken } from '../tokens';
import type { Classification } from './classify';
import type { RequestMail } from './request-mail';
import { PHRASES, REPLY_PREFIXES, WHOLE_MESSAGE, type Phrase, type RequestIntent } from './vocabulary';

/**
 * A person's request in their own words: the phrases of words.json in the subject and in the text
 * the person wrote (person-text.ts). Pure: no I/O, no ledger.
 */
export function stripReplyPrefixes(subject: string): string {
  let words = subject.split(' ');
  while (words.length > 1 && REPLY_PREFIXES.includes(words[0])) words = words.slice(1);
  return words.join(' ');
}

interface Match {
  phrase: Phrase;
  where: 'subject' | 'text';
  start: number;
  end: number;
}

/** Intents by weight when a mail names more than one: erasure includes the rest. */
const PRIORITY: Record<RequestIntent, number> = { erase: 3, access: 2, unsubscribe: 1 };

export function choosePhrase(subject: string, own: string): { phrase: Phrase; where: 'subject' | 'text' } | undefined {
  const matches: Match[] = [];
  const scan = (text: string, where: 'subject' | 'text') => {
    const padded = ` ${text} `;
    for (const phrase of PHRASES) {
      if (phrase.isSubjectOnly && where !== 'subject') continue;
      let at = padded.indexOf(phrase.padded);
      while (at >= 0) {
        matches.push({ phrase, where, start: at, end: at + phrase.text.length });
        at = padded.indexOf(phrase.padded, at + 1);
      }
    }
  };
  scan(subject, 'subject');
  scan(own.slice(0, 4000), 'text');
  // All the person wrote is one word like "stop" (a reply to a newsletter).
  const whole = WHOLE_MESSAGE.find((p) => p.text === own);
  if (whole) matches.push({ phrase: whole, where: 'text', start: 0, end: own.length });
  // A match inside a longer one of the same place is not a match of its own.
  const standing = matches.filter(
    (m) =>
      !matches.some(
        (o) => o !== m && o.where === m.where && o.start <= m.start && o.end >= m.end && o.end - o.start > m.end - m.start,
      ),
  );
  standing.sort(
    (a, b) =>
      PRIORITY[b.phrase.intent] - PRIORITY[a.phrase.intent] ||
      Number(b.where === 'subject') - Number(a.where === 'subject') ||
      b.phrase.text.length - a.phrase.text.length,
  );
  const best = standing[0];
  return best ? { phrase: best.phrase, where: best.where } : undefined;
}

export function isUniqueToLanguage(phrase: Phrase): boolean {
  return !PHRASES.some((p) => p.text === phrase.text && p.language !== phrase.language);
}

/** Only unsubscribe tokens travel in mail we send (their shape: core/tokens.ts). */
export function findUnsubscribeToken(mail: RequestMail, ownText: string): Pick<Classification, 'token' | 'tokenPlace'> {
  const inSubject = findToken(mail.subject, 'unsubscribe');
  if (inSubject) return { token: inSubject, tokenPlace: 'subject' };
  const inOwn = findToken(ownText, 'unsubscribe');
  if (inOwn) return { token: inOwn, tokenPlace: 'text' };
  const quoted = findToken(mail.text, 'unsubscribe') ?? (mail.html ? findToken(mail.html, 'unsubscribe') : null);
  return quoted ? { token: quoted, tokenPlace: 'quoted' } : { token: null, tokenPlace: null };
}
