import { findToken } from '../tokens';
import type { Classification } from './classify';
import type { RequestMail } from './request-mail';
import {
  normaliseWords,
  PAIRS,
  PHRASES,
  REPLY_PREFIXES,
  TYPO_EXCEPTIONS,
  WHOLE_MESSAGE,
  type Language,
  type PatternWord,
  type Phrase,
  type RequestIntent,
} from './vocabulary';

/**
 * A person's request in their own words: the phrases and word pairs of words.json in the subject
 * and in the text the person wrote (person-text.ts), read the way people write: a phrase may be
 * split by a clause or a separable verb ('melden Sie mich bitte vom Newsletter ab'), words are
 * inflected ('verwijder*'), long words may carry one typo ('unsubcribe'), and an action word with an
 * object word in the same sentence ('al mijn gegevens, die u sinds 2019 bewaart, te verwijderen')
 * asks as much as a set phrase. Pure: no I/O, no ledger.
 */
export function stripReplyPrefixes(subject: string): string {
  let words = subject.split(' ');
  while (words.length > 1 && REPLY_PREFIXES.includes(words[0])) words = words.slice(1);
  return words.join(' ');
}

/** Words that may stand inside a phrase's `...`: a clause, an adverb, the rest of a separable verb. */
const GAP_WORDS = 8;
/** An action and its object: at most this many words apart, in one sentence. */
const PAIR_WINDOW = 8;
/** Only words this long may carry a typo: shorter ones are too close to other words. */
const TYPO_MIN_LENGTH = 7;
/** The person's own text is read up to here. */
const MAX_TEXT = 4000;

export interface RequestWordsMatch {
  /**
   * What asked: intent and language of the words, `text` the words of the mail it spans (so
   * ` ${text} ` is found again in the normalised text), `isSubjectOnly` as in words.json.
   */
  phrase: Phrase & { languages?: Language[] };
  /** The words.json entry that matched: a phrase pattern, or `action + object` of a pair. */
  pattern: string;
  where: 'subject' | 'text';
  /** Offsets in the normalised subject or own text (not padded): `text.slice(start, end) === phrase.text`. */
  start: number;
  end: number;
  /** The words of the span that matched the vocabulary; the others stood between them. */
  words: string[];
  rule: 'phrase' | 'pair' | 'whole-message';
  /** A word matched only with a typo. */
  isTypo: boolean;
  /** Every language whose words gave this same match. */
  languages: Language[];
}

interface Token {
  text: string;
  start: number;
  end: number;
  sentence: number;
}

/** Intents by weight when a mail names more than one: erasure includes the rest. */
const PRIORITY: Record<RequestIntent, number> = { erase: 3, access: 2, unsubscribe: 1 };

/**
 * The request of the mail: every match of the subject and of the person's own text, a match inside
 * a longer one dropped, then the weightiest intent, the subject before the text, exact before typo,
 * the longer before the shorter. `ownRaw` (the own text before normalising) gives the sentence
 * ends; without it the own text is one sentence.
 */
export function choosePhrase(subject: string, own: string, ownRaw?: string): RequestWordsMatch | undefined {
  return standingMatches(subject, own, ownRaw)[0];
}

/** All matches that are not part of a longer one, best first (see choosePhrase). */
export function standingMatches(subject: string, own: string, ownRaw?: string): RequestWordsMatch[] {
  const text = own.slice(0, MAX_TEXT);
  const matches = [...matchesIn(subject, 'subject', tokensOf(subject)), ...matchesIn(text, 'text', tokensOf(text, ownRaw))];
  // All the person wrote is one word like "stop" (a reply to a newsletter).
  const whole = WHOLE_MESSAGE.filter((p) => p.text === own);
  if (whole.length > 0) {
    // The very entry of WHOLE_MESSAGE: callers tell such a match by it.
    const languages = whole.map((p) => p.language);
    matches.push({ phrase: whole[0], pattern: own, where: 'text', start: 0, end: own.length, words: own.split(' '), rule: 'whole-message', isTypo: false, languages });
  }
  const merged = mergeLanguages(matches);
  const standing = merged.filter(
    (m) => !merged.some((o) => o !== m && o.where === m.where && o.start <= m.start && o.end >= m.end && o.end - o.start > m.end - m.start),
  );
  return standing.sort(
    (a, b) =>
      PRIORITY[b.phrase.intent] - PRIORITY[a.phrase.intent] ||
      Number(b.where === 'subject') - Number(a.where === 'subject') ||
      Number(a.isTypo) - Number(b.isTypo) ||
      b.end - b.start - (a.end - a.start),
  );
}

/** The same span and intent from several languages' words is one match in all of them. */
function mergeLanguages(matches: RequestWordsMatch[]): RequestWordsMatch[] {
  const byKey = new Map<string, RequestWordsMatch>();
  for (const m of matches) {
    const key = `${m.where}:${m.start}:${m.end}:${m.phrase.intent}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, m);
      continue;
    }
    const languages = [...new Set([...seen.languages, ...m.languages])];
    const better = m.isTypo === seen.isTypo ? (seen.rule === 'pair' && m.rule !== 'pair' ? m : seen) : m.isTypo ? seen : m;
    better.languages = languages;
    if (better.rule !== 'whole-message') better.phrase.languages = languages;
    byKey.set(key, better);
  }
  return [...byKey.values()];
}

// ---------- the text as words in sentences ----------

/**
 * The words of a normalised text with their offsets and sentence. Sentences end at . ! ? ; before
 * a capital (not 'Art. 15', not 'a.u.b. graag') or at an empty line, read from `raw`.
 */
function tokensOf(normalised: string, raw?: string): Token[] {
  const tokens: Token[] = [];
  const re = /\S+/g;
  for (let m = re.exec(normalised); m; m = re.exec(normalised)) tokens.push({ text: m[0], start: m.index, end: m.index + m[0].length, sentence: 0 });
  if (raw === undefined || tokens.length === 0) return tokens;
  const sentences = raw
    .slice(0, MAX_TEXT * 2)
    .split(/(?<=[.!?;…])\s+(?=[\p{Lu}¿¡])|(?<=[!?])\s+|\n[ \t]*\n/u)
    .map((s) => normaliseWords(s).split(' ').filter(Boolean));
  let at = 0;
  for (let s = 0; s < sentences.length && at < tokens.length; s++) {
    for (const word of sentences[s]) {
      if (at >= tokens.length) break;
      // The raw text and its normalised form disagree: read the rest as one sentence.
      if (tokens[at].text !== word) return tokens;
      tokens[at++].sentence = s;
    }
  }
  return tokens;
}

/** Damerau–Levenshtein distance of at most one: a letter missing, extra, wrong, or two swapped. */
export function isOneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // one wrong
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // two swapped
  }
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  return long.slice(i + 1) === short.slice(i); // one missing or extra
}

type WordMatch = 'exact' | 'typo' | null;

function matchWord(word: PatternWord, token: string): WordMatch {
  if (word.isStem) return token.startsWith(word.text) ? 'exact' : null;
  if (token === word.text) return 'exact';
  if (
    word.text.length >= TYPO_MIN_LENGTH &&
    token.length >= TYPO_MIN_LENGTH - 1 &&
    token.slice(0, 2) === word.text.slice(0, 2) &&
    !TYPO_EXCEPTIONS.has(token) &&
    /^\p{L}+$/u.test(token) &&
    isOneEditApart(token, word.text)
  ) {
    return 'typo';
  }
  return null;
}

/** Where each vocabulary word stands in one text; words are looked up by their first two letters. */
const NOWHERE: ReadonlyMap<number, 'exact' | 'typo'> = new Map();

class WordIndex {
  private readonly byStart = new Map<string, number[]>();
  private readonly cache = new Map<string, Map<number, 'exact' | 'typo'>>();

  constructor(readonly tokens: Token[]) {
    tokens.forEach((t, i) => {
      const key = t.text.slice(0, 2);
      const list = this.byStart.get(key);
      if (list) list.push(i);
      else this.byStart.set(key, [i]);
    });
  }

  /** Token positions where `word` stands, and whether only as a typo. */
  find(word: PatternWord): ReadonlyMap<number, 'exact' | 'typo'> {
    const starts = this.byStart.get(word.prefix);
    if (!starts) return NOWHERE;
    let found = this.cache.get(word.key);
    if (found) return found;
    found = new Map();
    for (const i of starts) {
      const m = matchWord(word, this.tokens[i].text);
      if (m) found.set(i, m);
    }
    this.cache.set(word.key, found);
    return found;
  }
}

function matchesIn(text: string, where: 'subject' | 'text', tokens: Token[]): RequestWordsMatch[] {
  if (tokens.length === 0) return [];
  const index = new WordIndex(tokens);
  const matches: RequestWordsMatch[] = [];
  const make = (
    base: Phrase,
    pattern: string,
    rule: RequestWordsMatch['rule'],
    first: number,
    last: number,
    matched: number[],
    isTypo: boolean,
  ): RequestWordsMatch => {
    const start = tokens[first].start;
    const end = tokens[last].end;
    const words = text.slice(start, end);
    const phrase = { ...base, text: words, padded: ` ${words} `, languages: [base.language] };
    return { phrase, pattern, where, start, end, words: matched.map((i) => tokens[i].text), rule, isTypo, languages: [base.language] };
  };

  for (const phrase of PHRASES) {
    if (phrase.isSubjectOnly && where !== 'subject') continue;
    for (const [i] of index.find(phrase.runs[0][0])) {
      const m = matchRuns(phrase.runs, i, tokens, index);
      if (m) matches.push(make(phrase, phrase.text, 'phrase', i, m.last, m.matched, m.isTypo));
    }
  }

  for (const pair of PAIRS) {
    const actions = new Map<number, 'exact' | 'typo'>();
    for (const w of pair.actions) for (const [i, how] of index.find(w)) if (!actions.has(i) || how === 'exact') actions.set(i, how);
    if (actions.size === 0) continue;
    for (const w of pair.objects) {
      for (const [o, objectHow] of index.find(w)) {
        let best = -1;
        for (const [a] of actions) {
          if (a === o || tokens[a].sentence !== tokens[o].sentence || Math.abs(a - o) > PAIR_WINDOW) continue;
          // The nearest action governs the object; on a tie the one before it.
          if (best < 0 || Math.abs(a - o) < Math.abs(best - o) || (Math.abs(a - o) === Math.abs(best - o) && a < best)) best = a;
        }
        if (best < 0) continue;
        const base: Phrase = { intent: pair.intent, language: pair.language, text: '', padded: '', isSubjectOnly: false, runs: [] };
        const isTypo = objectHow === 'typo' || actions.get(best) === 'typo';
        matches.push(make(base, `${tokens[best].text} + ${tokens[o].text}`, 'pair', Math.min(best, o), Math.max(best, o), [Math.min(best, o), Math.max(best, o)], isTypo));
      }
    }
  }
  return matches;
}

/** The runs of a pattern from token `first` on: each run in a row, up to GAP_WORDS between runs, one sentence. */
function matchRuns(runs: PatternWord[][], first: number, tokens: Token[], index: WordIndex): { last: number; matched: number[]; isTypo: boolean } | null {
  const sentence = tokens[first].sentence;
  const matched: number[] = [];
  let isTypo = false;
  let at = first;
  for (let r = 0; r < runs.length; r++) {
    const run = runs[r];
    const from = at;
    const to = r === 0 ? first : Math.min(tokens.length - run.length, from + GAP_WORDS);
    let found = -1;
    for (let s = from; s <= to && found < 0; s++) {
      if (tokens[s]?.sentence !== sentence) break;
      let typo = false;
      let ok = true;
      for (let k = 0; k < run.length && ok; k++) {
        const token = tokens[s + k];
        const how = token && token.sentence === sentence ? index.find(run[k]).get(s + k) : undefined;
        if (!how) ok = false;
        else if (how === 'typo') typo = true;
      }
      if (ok) {
        found = s;
        isTypo ||= typo;
      }
    }
    if (found < 0) return null;
    for (let k = 0; k < run.length; k++) matched.push(found + k);
    at = found + run.length;
  }
  return { last: at - 1, matched, isTypo };
}

/** The languages whose words ask what `phrase` asks: a match's own, else every entry of the same words. */
export function languagesOf(phrase: Phrase & { languages?: Language[] }): Language[] {
  if (phrase.languages) return phrase.languages;
  const same = [...PHRASES, ...WHOLE_MESSAGE].filter((p) => p.text === phrase.text && p.intent === phrase.intent).map((p) => p.language);
  return same.length > 0 ? [...new Set(same)] : [phrase.language];
}

export function isUniqueToLanguage(phrase: Phrase & { languages?: Language[] }): boolean {
  return languagesOf(phrase).length <= 1;
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
