import { normaliseEmail } from '../consent/identity';
import type { Classification, Evidence, Intent } from './classify';
import { findToken } from '../tokens';
import { firstHeader } from './headers';
import type { RequestMail } from './request-mail';
import { choosePhrase } from './request-words';
import { normaliseWords, WHOLE_MESSAGE, type Phrase, type RequestIntent } from './vocabulary';
import WORDS from './words.json';

/**
 * The decision after the request words were found: is the phrase really asked for, and whose
 * request is it? Never act on what the person did not ask: a request phrase that is negated ("ik
 * wil me NIET afmelden"), asked about ("how do I unsubscribe?"), made conditional ("if you keep
 * sending, delete my data") or offered by someone else's footer ("reply STOP") goes to a person.
 * A request about someone else (a relative, an old address, a web form's body) is never acted on
 * for the sender: either it is about that address (and only a link sent there can act), or a
 * person decides. Every decision carries its evidence and a confidence; below REVIEW_BELOW a
 * person decides. Pure: no I/O, no ledger.
 */

/** Below this confidence nothing is done: the mail goes to review with the reason. */
export const REVIEW_BELOW = 0.6;

/** The review reason of a request about another person than the sender, on the sender's word. */
export const FOR_ANOTHER_PERSON = 'request for another person';

type PerLanguage = Record<string, string[]>;
interface DecideWords {
  negation: PerLanguage;
  noLonger: PerLanguage;
  clauseBreak: PerLanguage;
  questionStart: PerLanguage;
  politeRequest: PerLanguage;
  inquiry: PerLanguage;
  conditional: PerLanguage;
  conditionalNot: PerLanguage;
  offer: PerLanguage;
  offerStart: PerLanguage;
  relationship: PerLanguage;
  accident: PerLanguage;
  wantBack: PerLanguage;
  copyWanted: PerLanguage;
  formSenders: string[];
  publicMailDomains: string[];
}
const words = (WORDS as unknown as { decide: DecideWords }).decide;
const allOf = (perLanguage: PerLanguage) => [...new Set(Object.values(perLanguage).flat().map(normaliseWords))].filter(Boolean);
const CUES = {
  negation: allOf(words.negation),
  noLonger: new Set(allOf(words.noLonger)),
  clauseBreak: new Set(allOf(words.clauseBreak)),
  questionStart: allOf(words.questionStart),
  politeRequest: allOf(words.politeRequest),
  inquiry: allOf(words.inquiry),
  conditional: allOf(words.conditional),
  conditionalNot: allOf(words.conditionalNot),
  offer: allOf(words.offer),
  offerStart: allOf(words.offerStart),
  relationship: allOf(words.relationship),
  copyWanted: allOf(words.copyWanted),
  accident: allOf(words.accident),
  wantBack: allOf(words.wantBack),
  formSenders: new Set(words.formSenders.map(normaliseWords)),
  publicMailDomains: new Set(words.publicMailDomains.map((d) => d.toLowerCase())),
};

const LINK = /\bhttps?:\/\/|\bwww\./i;

/** How a request phrase stands in its sentence. */
type Standing = 'plain' | 'negated' | 'question' | 'conditional' | 'offer' | 'undo';

interface Clause {
  norm: string;
  /** Index of the clause within its sentence. */
  position: number;
  where: 'subject' | 'text';
}

interface Sentence {
  raw: string;
  norm: string;
  isQuestion: boolean;
  clauses: Clause[];
}

interface Found {
  phrase: Phrase;
  where: 'subject' | 'text';
  standing: Standing;
  cue?: string;
  sentence: Sentence;
}

export interface DecideInput {
  mail: RequestMail;
  /** The normalised subject without reply prefixes; '' for a reply (its subject is ours). */
  subject: string;
  /** The raw subject, for its question mark. */
  rawSubject: string;
  /** What the person wrote themselves (person-text.ts), raw. */
  ownText: string;
  /** The same, normalised. */
  own: string;
  /** The best phrase of the whole mail (request-words.ts choosePhrase). */
  chosen: { phrase: Phrase; where: 'subject' | 'text' };
  /**
   * Set when the request is in a forwarded original, not in the forwarder's own note (ownText is
   * then the original's words): its sender, normalised, or null when it cannot be read.
   */
  relayedFrom?: string | null;
  /** Our own addresses (the privacy mailbox, the newsletter's From): never the person's. */
  ownAddresses?: readonly string[];
}

export type Decision = Pick<Classification, 'intent' | 'address' | 'reason' | 'evidence' | 'confidence' | 'review'> & { phrase: Phrase | null };

export function decideRequest(input: DecideInput): Decision {
  const { mail, chosen } = input;
  const sender = mail.from.length === 1 ? (normaliseEmail(mail.from[0].address) ?? null) : null;
  const sentences = [
    ...(input.subject ? [sentenceOf(input.rawSubject, input.subject, 'subject')] : []),
    ...sentencesOf(input.ownText),
  ];
  let found = sentences.flatMap((s) => s.clauses.flatMap((c) => phrasesIn(c, input.own).map((phrase) => ({ phrase, where: c.where, ...standingOf(phrase, c, s), sentence: s }))));
  // A phrase across a clause boundary ("mijn gegevens, verwijderen") is found only in the whole.
  if (found.length === 0) found = [{ phrase: chosen.phrase, where: chosen.where, standing: 'plain', sentence: sentences[0] ?? sentenceOf('', '', 'text') }];
  // An accident or its undoing ("per ongeluk op afmelden geklikt", "please resubscribe me"): the
  // request words name what is to be undone, not what is asked.
  const wantBack = CUES.wantBack.find((c) => has(input.own, c));
  found = found.map((f) => {
    if (f.standing !== 'plain' || f.phrase.intent === 'access') return f;
    const cue = CUES.accident.find((c) => has(f.sentence.norm, c)) ?? wantBack;
    return cue ? { ...f, standing: 'undo' as const, cue } : f;
  });
  const plain = found.filter((f) => f.standing === 'plain');
  const held = found.filter((f) => f.standing !== 'plain');
  const phraseEvidence = (f: Found): Evidence => ({ rule: 'phrase', part: f.where, words: f.phrase.text });
  const heldEvidence = held.map((f): Evidence => ({ rule: f.standing === 'negated' ? 'negation' : f.standing, part: f.where, words: f.cue ? `${f.cue}: ${f.phrase.text}` : f.phrase.text }));

  // 1. Nothing asked plainly; or a request negated or made conditional anywhere in the mail ("bitte
  // NICHT löschen, nur ..."), or the request asked plainly also asked about: a person reads it.
  // A question beside a plain request of another kind, or someone's footer, only lowers the confidence.
  const best = pickBest(plain);
  const blocking = held.find((f) => f.standing === 'negated' || f.standing === 'conditional' || f.standing === 'undo' || (best && f.standing === 'question' && f.phrase.intent === best.phrase.intent));
  if (!best || blocking) {
    const first = blocking ?? held[0];
    const reason = `${describeHeld(first)}: nothing is done on it`;
    return { intent: 'unknown', address: sender, reason, review: reason, confidence: 0.5, evidence: [phraseEvidence(first), ...heldEvidence], phrase: null };
  }

  // 2. "Send me my data, then delete it": the copy first; erasing now would destroy what was asked for.
  const intents = new Set(plain.map((f) => f.phrase.intent));
  let intent: Intent = best.phrase.intent;
  let reason = `${best.where}: "${best.phrase.text}" (${best.phrase.language})`;
  const evidence: Evidence[] = [phraseEvidence(best), ...heldEvidence];
  const copy = intents.has('erase') ? (pickBest(plain.filter((f) => f.phrase.intent === 'access'))?.phrase.text ?? CUES.copyWanted.find((c) => has(input.own, c))) : undefined;
  if (copy) {
    intent = 'access';
    reason = `access and erasure in one mail ("${best.phrase.text}", "${copy}"): the copy first, erasure only after it, by a person`;
    evidence.push({ rule: 'access-before-erasure', part: 'text', words: copy });
  }

  // 3. Confidence from the evidence.
  let confidence = best.phrase.isSubjectOnly || WHOLE_MESSAGE.includes(best.phrase) ? 0.75 : 0.9;
  if (held.length > 0) confidence -= 0.2; // another request in the mail is asked about or offered
  if (best.where === 'subject' && !plain.some((f) => f.where === 'text') && input.own) confidence -= 0.1; // the text does not ask
  // Links and instructions to the reader: phishing and others' footers write so, people asking rarely.
  if (LINK.test(input.ownText) && !findToken(input.ownText, 'unsubscribe')) {
    confidence -= 0.35;
    evidence.push({ rule: 'link-in-text', part: 'text' });
  }
  const offer = CUES.offer.find((c) => has(input.own, c));
  if (offer) {
    confidence -= 0.3;
    evidence.push({ rule: 'offer-in-text', part: 'text', words: offer });
  }
  confidence = Math.round(confidence * 100) / 100;

  // 4. Whose request.
  const whose = whoseRequest(input, sender, intent, best);
  evidence.push(...whose.evidence);
  let review = whose.review;
  if (!review && confidence < REVIEW_BELOW) review = `low confidence (${confidence} < ${REVIEW_BELOW}): ${reason}`;
  if (whose.note) reason = `${reason}; ${whose.note}`;
  return { intent, address: whose.address, reason, review, confidence, evidence, phrase: best.phrase };
}

// ---------- the person's words in sentences and clauses ----------

function sentencesOf(text: string): Sentence[] {
  return text
    .slice(0, 8000)
    .split(/(?<=[?!;])|(?<=\.)(?=\s)|\n+/)
    .map((raw) => raw.trim())
    .filter(Boolean)
    .slice(0, 200)
    .map((raw) => sentenceOf(raw, normaliseWords(raw), 'text'));
}

function sentenceOf(raw: string, norm: string, where: 'subject' | 'text'): Sentence {
  const isQuestion = /[?¿]/.test(raw);
  const clauses: Clause[] = [];
  for (const part of raw.split(/[,:()"“”«»]|\s[-–—]\s/)) {
    let current: string[] = [];
    const push = () => {
      if (current.length) clauses.push({ norm: current.join(' '), position: clauses.length, where });
      current = [];
    };
    for (const word of normaliseWords(part).split(' ').filter(Boolean)) {
      if (CUES.clauseBreak.has(word)) push();
      current.push(word);
    }
    push();
  }
  return { raw, norm, isQuestion, clauses };
}

/** Every request phrase of a clause: the best one, then the best of what is left, and so on. */
function phrasesIn(clause: Clause, own: string): Phrase[] {
  const phrases: Phrase[] = [];
  let text = clause.norm;
  for (let i = 0; i < 4 && text.trim(); i++) {
    const m = clause.where === 'subject' ? choosePhrase(text, '') : choosePhrase('', text);
    if (!m) break;
    // A whole-message word ("stop") counts only when it is all the person wrote.
    if (WHOLE_MESSAGE.includes(m.phrase) && clause.norm !== own) break;
    phrases.push(m.phrase);
    const span = spanOf(m, text);
    if (!span) break;
    text = `${text.slice(0, span.start)}${'_'.repeat(span.end - span.start)}${text.slice(span.end)}`;
  }
  return phrases;
}

/** Where a match is in `text` (offsets in text): choosePhrase's own when it gives them. */
function spanOf(m: { phrase: Phrase; start?: number; end?: number }, text: string): { start: number; end: number } | null {
  if (typeof m.start === 'number' && typeof m.end === 'number' && m.end > m.start) {
    // choosePhrase counts in the padded text (` text `).
    const start = Math.max(0, m.start - 1);
    return { start, end: Math.min(text.length, m.end - 1) };
  }
  const at = ` ${text} `.indexOf(m.phrase.padded);
  return at < 0 ? null : { start: at, end: at + m.phrase.text.length };
}

function standingOf(phrase: Phrase, clause: Clause, sentence: Sentence): { standing: Standing; cue?: string } {
  const clauseWords = clause.norm.split(' ');
  const span = spanOf({ phrase }, clause.norm);
  const startWord = span ? clause.norm.slice(0, span.start).split(' ').filter(Boolean).length : 0;
  const endWord = span ? startWord + phrase.text.split(' ').length : clauseWords.length;
  const own = new Set(phrase.text.split(' '));

  // Someone else's footer or instructions to the reader; or a link's label ("Afmelden: https://…"
  // in a signature, a phishing "deletion request" button). A link with our own token is the person's.
  const offer = CUES.offer.find((c) => has(clause.norm, c)) ?? CUES.offerStart.find((c) => startsWith(clause.norm, c));
  if (offer) return { standing: 'offer', cue: offer };
  if (LINK.test(sentence.raw) && !findToken(sentence.raw, 'unsubscribe')) return { standing: 'offer', cue: 'a link' };

  // Negation near the phrase: up to six words before it, three after, not the phrase's own words.
  const before = clauseWords.slice(Math.max(0, startWord - 6), startWord);
  const after = clauseWords.slice(endWord, endWord + 3);
  for (const [side, list] of [['before', before], ['after', after]] as const) {
    for (let i = 0; i < list.length; i++) {
      const cue = CUES.negation.find((c) => !own.has(c) && list.slice(i, i + c.split(' ').length).join(' ') === c);
      if (!cue) continue;
      // "niet meer", "no longer", "ya no": a wish to stop, not a refusal.
      const next = side === 'before' ? [...list.slice(i + 1, i + 4), ...clauseWords.slice(startWord, endWord)] : list.slice(i + 1, i + 4);
      const isNoLonger = next.slice(0, 3).some((w) => CUES.noLonger.has(w)) || (i > 0 && CUES.noLonger.has(list[i - 1]));
      if (!isNoLonger) return { standing: 'negated', cue };
    }
  }

  // A question, unless it is a polite request ("kunt u mij afmelden?").
  const isPolite = CUES.politeRequest.some((c) => startsWith(clause.norm, c) || startsWith(sentence.norm, c) || startsWith(stripGreeting(sentence.norm), c));
  const isInquiry = CUES.inquiry.some((c) => has(sentence.norm, c));
  const asks = CUES.questionStart.find((c) => startsWith(clause.norm, c) || startsWith(sentence.clauses[0]?.norm ?? '', c));
  if (phrase.intent !== 'access') {
    if (sentence.isQuestion && (!isPolite || isInquiry)) return { standing: 'question', cue: '?' };
    if (asks && !isPolite) return { standing: 'question', cue: asks };
  }

  // A condition in the same sentence: a clause before the phrase's that starts with one ("if you
  // keep sending, delete my data"), or one in the phrase's own clause.
  for (const other of sentence.clauses.slice(0, clause.position + 1)) {
    const isSame = other.position === clause.position;
    const cue = CUES.conditional.find((c) => startsWith(other.norm, c) || (isSame && has(clauseWords.slice(endWord).join(' '), c)));
    if (!cue || CUES.conditionalNot.some((n) => has(other.norm, n))) continue;
    return { standing: 'conditional', cue };
  }
  return { standing: 'plain' };
}

function stripGreeting(norm: string): string {
  return norm.replace(/^(hallo|hello|hi|hoi|beste|dear|geachte|guten tag|bonjour|hola|buongiorno|ciao)( \S+)?\s*/, '');
}

function has(text: string, phrase: string): boolean {
  return ` ${text} `.includes(` ${phrase} `);
}
function startsWith(text: string, phrase: string): boolean {
  return text === phrase || text.startsWith(`${phrase} `);
}

const PRIORITY: Record<RequestIntent, number> = { erase: 3, access: 2, unsubscribe: 1 };
function pickBest(found: Found[]): Found | undefined {
  return [...found].sort(
    (a, b) => PRIORITY[b.phrase.intent] - PRIORITY[a.phrase.intent] || Number(b.where === 'subject') - Number(a.where === 'subject') || b.phrase.text.length - a.phrase.text.length,
  )[0];
}

function describeHeld(f: Found): string {
  const what = `"${f.phrase.text}" (${f.phrase.intent})`;
  switch (f.standing) {
    case 'negated':
      return `negated request: ${what} with "${f.cue}"`;
    case 'question':
      return `a question about a request, not a request: ${what}${f.cue && f.cue !== '?' ? ` ("${f.cue} …")` : ''}`;
    case 'conditional':
      return `a conditional request: ${what} under "${f.cue} …"`;
    case 'offer':
      return `instructions to the reader, not a request: ${what} ("${f.cue}")`;
    case 'undo':
      return `the mail is about an accident or undoing one ("${f.cue}"), not a request: ${what}`;
    default:
      return what;
  }
}

// ---------- whose request ----------

const ADDRESS = /[a-z0-9._%+'-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;

interface Whose {
  address: string | null;
  review: string | null;
  note?: string;
  evidence: Evidence[];
}

/**
 * The address the request is about. The sender's own, unless:
 *  - a web form or no-reply sender: the person is the form's Reply-To or the address in its body
 *    (anyone can type any address into a form: only a link sent to it may act);
 *  - the person writes for a relative, a client, someone deceased (relationship words): a person
 *    decides (authority has to be checked; a link cannot reach the dead);
 *  - the person names another address next to the request (an old address): the request is about
 *    that address, and only a link sent there may act.
 * Unsubscribes have no link of their own to send, so one about another address goes to review.
 */
function whoseRequest(input: DecideInput, sender: string | null, intent: Intent, best: Found): Whose {
  const { mail, own, ownText } = input;
  const { addresses: ownAddresses, domains: ours } = oursOf(mail, input.ownAddresses ?? []);
  const isOurs = (a: string) => ownAddresses.has(a) || ours.has(a.split('@')[1]);
  const others = (text: string) => [...new Set((text.match(ADDRESS) ?? []).map((a) => normaliseEmail(a)).filter((a): a is string => Boolean(a)))].filter((a) => a !== sender && !isOurs(a));
  const forAddress = (address: string, rule: string, why: string): Whose => {
    const evidence: Evidence[] = [{ rule, part: rule === 'reply-to' ? 'header' : 'text', words: address }];
    if (intent === 'unsubscribe') return { address, review: `${FOR_ANOTHER_PERSON}: ${why}; only a link sent to ${address} may unsubscribe it`, evidence };
    if (intent === 'erase') return { address, review: null, note: `${why}: the verification link goes to that address`, evidence };
    return { address, review: null, note: why, evidence };
  };

  // A forwarded request: the original's sender asked, not the forwarder (our desk, a colleague, a relative).
  if (input.relayedFrom !== undefined && input.relayedFrom !== sender) {
    const from = input.relayedFrom;
    if (!from || isOurs(from)) return { address: null, review: `${FOR_ANOTHER_PERSON}: a forwarded request whose original sender cannot be read`, evidence: [{ rule: 'forwarded', part: 'text' }] };
    return forAddress(from, 'forwarded-from', `forwarded by ${sender ?? 'someone'}: the request is ${from}'s`);
  }

  const local = sender ? normaliseWords(sender.split('@')[0]) : '';
  // A web form, a no-reply sender, or our own domain (our desk forwarding, our own mail copied back):
  // the sender is not the person; the person is the one address the mail gives, if any.
  if (sender && (CUES.formSenders.has(local) || isOurs(sender))) {
    const replyTo = others(firstHeader(mail.headers, 'reply-to') ?? '');
    const inBody = others(ownText);
    const person = replyTo.length === 1 ? replyTo[0] : inBody.length === 1 ? inBody[0] : null;
    if (!person) return { address: null, review: `${FOR_ANOTHER_PERSON}: sent by ${sender} (a web form, a no-reply sender or our own domain) without one address of the person`, evidence: [{ rule: 'form-sender', part: 'header', words: sender }] };
    return forAddress(person, replyTo.length === 1 ? 'reply-to' : 'form-body', `sent by ${sender} (a web form, a no-reply sender or our own domain): the person is ${person}`);
  }

  const relation = CUES.relationship.find((c) => has(own, c));
  const named = others(nearRequest(input, best));
  if (relation) {
    // Named beside the request, else the one other address in the whole mail (a forward's To:).
    const anywhere = others(input.mail.text.slice(0, 64 * 1024));
    const address = named.length === 1 ? named[0] : named.length === 0 && anywhere.length === 1 ? anywhere[0] : null;
    return { address, review: `${FOR_ANOTHER_PERSON} ("${relation}"): the sender's word does not prove the right to ask for them`, evidence: [{ rule: 'relationship', part: 'text', words: relation }, ...(address ? [{ rule: 'named-address', part: 'text' as const, words: address }] : [])] };
  }
  if (named.length > 1) return { address: null, review: `${FOR_ANOTHER_PERSON}: the mail names several addresses (${named.slice(0, 3).join(', ')})`, evidence: [{ rule: 'named-address', part: 'text', words: named.slice(0, 3).join(' ') }] };
  if (named.length === 1) return forAddress(named[0], 'named-address', `the request names ${named[0]}, not the sender's address`);
  return { address: sender, review: null, evidence: [] };
}

/** The sentences around the request (two either side): where a person names the address it is about. */
function nearRequest(input: DecideInput, best: Found): string {
  const lines = input.ownText.slice(0, 8000).split(/(?<=[?!;])|(?<=\.)(?=\s)|\n+/).map((l) => l.trim()).filter(Boolean);
  const at = best.where === 'subject' ? 0 : lines.findIndex((l) => normaliseWords(l) === best.sentence.norm);
  if (at < 0) return input.ownText;
  return [input.mail.subject, ...lines.slice(Math.max(0, at - 2), at + 3)].join('\n');
}

/**
 * Our own addresses (given, and those the mail was sent to) and our domains (theirs, unless a
 * mailbox provider's everyone shares). An address of ours in the text is not a person's.
 */
function oursOf(mail: RequestMail, own: readonly string[]): { addresses: Set<string>; domains: Set<string> } {
  const addresses = new Set<string>();
  for (const a of own) for (const found of a.match(ADDRESS) ?? []) addresses.add(found.toLowerCase());
  for (const name of ['to', 'delivered-to', 'x-original-to']) {
    for (const value of mail.headers.get(name) ?? []) for (const a of value.match(ADDRESS) ?? []) addresses.add(a.toLowerCase());
  }
  const domains = new Set([...addresses].map((a) => a.split('@')[1]).filter((d) => !CUES.publicMailDomains.has(d)));
  return { addresses, domains };
}
