import { francAll } from 'franc-min';
import { LANGUAGE_HINTS, LANGUAGE_NEUTRAL, LANGUAGES, type Language } from './vocabulary';

/**
 * The language a person wrote in: one of LANGUAGES, or null when the mail does not tell.
 *
 * From about a dozen words on, franc-min (wooorm's trigram detector, the 82 most spoken languages; ESM,
 * which Node 24 require()s from our CommonJS build) decides, restricted to our languages. Compared
 * on short requests, single sentences and whole mails: tinyld 1.3.4 read some ordinary Dutch
 * requests of a sentence or two as German with confidence 1 (so did franc, but as a close second), eld
 * was as good as franc but exports only an `import` entry (no synchronous load from CommonJS),
 * languagedetect cannot be restricted to a set. Below that no trigram detector is reliable (franc
 * reads 'afmelden aub' as German): there the languages of the request words that matched decide,
 * then the hint words of words.json, then the detector. Words of every language (words.json
 * languageNeutral: 'gdpr', 'newsletter', 'email') are left out, so a borrowed English word does
 * not pull a whole sentence to English.
 */
/**
 * franc scores the best language 1 and the others relative to it: a runner-up this close means
 * the text does not tell, and the language of the request words, when one of the two, decides.
 */
const CLOSE = 0.95;
const FRANC: Record<string, Language> = { nld: 'nl', eng: 'en', deu: 'de', fra: 'fr', spa: 'es', ita: 'it' };
const FRANC_ONLY = Object.keys(FRANC);

/** Our languages by franc's score, best first. */
function ranked(text: string, candidates: readonly Language[]): { lang: Language; score: number }[] {
  const only = FRANC_ONLY.filter((code) => candidates.includes(FRANC[code]));
  return francAll(text, { only, minLength: 1 })
    .filter(([code]) => code in FRANC)
    .map(([code, score]) => ({ lang: FRANC[code], score }));
}
const SHORT_TEXT_WORDS = 12;
const FEWEST_FOR_DETECTOR = 4;
const MAX_CHARS = 2000;

/** The person's own words first; the subject (of a reply: ours) only when they are few. */
export function languageOf(subject: string, own: string, matched: readonly Language[] = []): Language | null {
  const isShort = wordsOf(own).length < SHORT_TEXT_WORDS;
  // 'Graag afmelden' under a long subject of ours: the person's few words tell more than our subject.
  if (isShort && matched.length === 1) return matched[0];
  const text = isShort ? `${subject} ${own}`.trim() : own;
  return detectLanguage(text, matched);
}

/** `matched`: the languages whose request words were found in the text, if any. */
export function detectLanguage(normalised: string, matched: readonly Language[] = []): Language | null {
  const words = wordsOf(normalised);
  const candidates = matched.length > 0 ? matched : LANGUAGES;
  if (words.length < SHORT_TEXT_WORDS) {
    if (matched.length === 1) return matched[0];
    // A word or two ('Top!', 'Thanks') tell no detector anything: then the mail does not say.
    const detected = words.length >= FEWEST_FOR_DETECTOR ? detectedLanguage(words, candidates) : null;
    return guessLanguage(words, candidates) ?? detected ?? matched[0] ?? null;
  }
  const [best, second] = ranked(words.join(' '), LANGUAGES);
  if (best && matched.length === 1 && best.lang !== matched[0] && second?.lang === matched[0] && second.score >= CLOSE) return matched[0];
  return best?.lang ?? guessLanguage(words, candidates) ?? matched[0] ?? null;
}

/** Words with a letter (numbers, dates and codes tell no language), from the start of the text. */
function wordsOf(normalised: string): string[] {
  return normalised.slice(0, MAX_CHARS).split(' ').filter((w) => /\p{L}/u.test(w) && !LANGUAGE_NEUTRAL.has(w));
}

function detectedLanguage(words: string[], candidates: readonly Language[]): Language | null {
  return ranked(words.join(' '), candidates)[0]?.lang ?? null;
}

/** The language with the most hint words (words.json languageHints); null on a tie or none. */
export function guessLanguage(words: string[], candidates: readonly Language[] = LANGUAGES): Language | null {
  const scores = candidates.map((language) => ({ language, score: words.filter((w) => LANGUAGE_HINTS[language].has(w)).length }));
  scores.sort((a, b) => b.score - a.score);
  return scores[0] && scores[0].score > 0 && (scores.length === 1 || scores[0].score > scores[1].score) ? scores[0].language : null;
}
