import { detectAll } from 'tinyld';
import { LANGUAGE_HINTS, LANGUAGE_NEUTRAL, LANGUAGES, type Language } from './vocabulary';

/**
 * The language a person wrote in: one of LANGUAGES, or null when the mail does not tell.
 *
 * From a sentence on, tinyld (a character n-gram detector, pure JavaScript with a CommonJS build)
 * decides, restricted to our languages. Below that no detector is reliable (tinyld reads
 * 'afmelden aub' as German, 'Newsletter abbestellen' as Italian): there the languages of the
 * request words that matched decide, then the hint words of words.json, then the detector. Both
 * normalised texts (accents dropped) read as well as the raw ones. Words of every language
 * (words.json languageNeutral: 'gdpr', 'newsletter', 'email') are left out: tinyld knows some as
 * English words and then reads a whole Italian sentence with 'GDPR' in it as English.
 */
/** Below this tinyld is unsure, and the language of the request words, when one, decides. */
const UNSURE = 0.3;
const SHORT_TEXT_WORDS = 6;
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
    return guessLanguage(words, candidates) ?? detectedLanguage(words, candidates) ?? matched[0] ?? null;
  }
  const ranked = detectAll(words.join(' '), { only: [...LANGUAGES] });
  const best = ranked[0];
  if (best && matched.length === 1 && best.lang !== matched[0] && best.accuracy < UNSURE && ranked.some((r) => r.lang === matched[0])) return matched[0];
  return (best?.lang as Language | undefined) ?? guessLanguage(words, candidates) ?? matched[0] ?? null;
}

/** Words with a letter (numbers, dates and codes tell no language), from the start of the text. */
function wordsOf(normalised: string): string[] {
  return normalised.slice(0, MAX_CHARS).split(' ').filter((w) => /\p{L}/u.test(w) && !LANGUAGE_NEUTRAL.has(w));
}

function detectedLanguage(words: string[], candidates: readonly Language[]): Language | null {
  const [best] = detectAll(words.join(' '), { only: [...candidates] });
  return best && (candidates as readonly string[]).includes(best.lang) ? (best.lang as Language) : null;
}

/** The language with the most hint words (words.json languageHints); null on a tie or none. */
export function guessLanguage(words: string[], candidates: readonly Language[] = LANGUAGES): Language | null {
  const scores = candidates.map((language) => ({ language, score: words.filter((w) => LANGUAGE_HINTS[language].has(w)).length }));
  scores.sort((a, b) => b.score - a.score);
  return scores[0] && scores[0].score > 0 && (scores.length === 1 || scores[0].score > scores[1].score) ? scores[0].language : null;
}
