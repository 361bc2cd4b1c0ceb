import { normaliseEmail } from '../consent/identity';
import type { BouncedRecipient } from './dsn';
import { languageOf } from './language';
import { decideRequest } from './decide';
import { classifyMachineMail, type MachineOptions } from './machine';
import { readOwnWords } from './person-text';
import type { RequestMail } from './request-mail';
import { choosePhrase, findUnsubscribeToken, languagesOf, stripReplyPrefixes } from './request-words';
import { normaliseWords, type Language } from './vocabulary';

/**
 * What a mail to the privacy mailbox asks for, and why. The steps, each in its own file:
 * machine.ts (delivery reports, auto-replies, list and bulk mail: decided by headers, never acted on
 * by their words), person-text.ts (the words the person wrote themselves), request-words.ts (the
 * request phrases of words.json), language.ts. Pure: no I/O, no ledger.
 */
export const INTENTS = ['unsubscribe', 'erase', 'access', 'bounce', 'auto_reply', 'unknown'] as const;
export type Intent = (typeof INTENTS)[number];

/** One piece of what a decision rests on, for the privacy officer to check. */
export interface Evidence {
  /** The rule that fired, e.g. `phrase`, `dsn`, `auto-submitted`, `negation`. */
  rule: string;
  /** Where: a header, the subject, the person's own text, the HTML part, a report part. */
  part: 'header' | 'subject' | 'text' | 'html' | 'report';
  /** The words (normalised) or header value that matched. */
  words?: string;
}

export interface Classification {
  intent: Intent;
  language: Language | null;
  /** The person the request is about: the one From address, normalised, unless the mail says otherwise; null when unknown. */
  address: string | null;
  /** Why, in a few words a privacy officer can check: `subject: "afmelden" (nl)`. */
  reason: string;
  /** What the decision rests on. */
  evidence: Evidence[];
  /** How sure the classifier is, 0..1. Below the line (or with `review` set) a person decides. */
  confidence: number;
  /** Set when a person must decide before anything is done: the reason, for the Review folder. */
  review: string | null;
  /** An unsubscribe token of ours found in the mail (the List-Unsubscribe mailto carries one). */
  token: string | null;
  /** Where the token was: the subject or the person's own text, or only in quoted text. */
  tokenPlace: 'subject' | 'text' | 'quoted' | null;
  /** For a bounce: the recipients of the report. */
  bounces: BouncedRecipient[];
}

/**
 * `ownAddresses`: the privacy mailbox and the addresses our mail is sent from (mail from them is our
 * own coming back, never a request); `trustedAuthservIds`: our own border servers, whose recorded
 * authentication failures send a mail to a person. Both optional, none by default.
 */
export type ClassifyOptions = MachineOptions;

export function classifyRequest(mail: RequestMail, options: ClassifyOptions = {}): Classification {
  const address = mail.from.length === 1 ? (normaliseEmail(mail.from[0].address) ?? null) : null;
  const base = { address, token: null, tokenPlace: null, bounces: [] as BouncedRecipient[], review: null, evidence: [] as Evidence[] };
  const normalisedSubject = normaliseWords(mail.subject);
  const subject = stripReplyPrefixes(normalisedSubject);
  // A reply's subject is the subject of the mail it answers: ours, not the person's words.
  const isReply = subject !== normalisedSubject;

  // 0. A mail the parser could not read completely is never acted on: a person reads it (review).
  if (mail.parseError) {
    const reason = `the mail could not be read completely: ${mail.parseError}`.slice(0, 400);
    return { ...base, intent: 'unknown', language: null, reason, review: reason, confidence: 1, evidence: [{ rule: 'parse-error', part: 'header' }] };
  }

  // 1–2. Machine mail.
  const machine = classifyMachineMail(mail, subject, options);
  if (machine) return { ...base, ...machine, language: null, confidence: 1 };

  // 3. The request words.
  const ownWords = readOwnWords(mail);
  let ownText = ownWords.text;
  let own = normaliseWords(ownText);
  const found = findUnsubscribeToken(mail, ownText);
  let chosen = choosePhrase(isReply ? '' : subject, own, ownText);
  // A forward whose own note asks nothing: the forwarded original may (our desk passing a customer's
  // mail on). Then it is the original sender's request (decide.ts), never the forwarder's.
  let relayedFrom: string | null | undefined;
  const forwarded = ownWords.forwarded;
  if (!chosen && forwarded?.text) {
    const relayed = choosePhrase('', normaliseWords(forwarded.text), forwarded.text);
    if (relayed) [chosen, relayedFrom, ownText, own] = [relayed, forwarded.from, forwarded.text, normaliseWords(forwarded.text)];
  }
  if (!chosen) {
    return { ...base, ...found, intent: 'unknown', language: languageOf(subject, own), confidence: 1, reason: 'no request words in the subject or the sender\'s own text' };
  }
  // 4. Is it asked, and whose request is it (decide.ts)?
  const decided = decideRequest({ mail, subject: isReply ? '' : subject, rawSubject: mail.subject, ownText, own, chosen, relayedFrom, ownAddresses: options.ownAddresses });
  const { phrase: decidedPhrase, ...decision } = decided;
  const phrase = decidedPhrase ?? chosen.phrase;
  const language = languageOf(subject, own, languagesOf(phrase));
  return { ...base, ...found, ...decision, language };
}
