import { LANGUAGE_HINTS, LANGUAGES, type Language } from './vocabulary';

/** The person's own words first; the subject (of a reply: ours) only when they tell nothing. */
export function languageOf(subject: string, own: string): Language | null {
  return guessLanguage(own) ?? guessLanguage(`${subject} ${own}`);
}

/** The language with the most hint words (words.json languageHints); null on a tie or none. */
export function guessLanguage(normalised: string): Language | null {
  const words = normalised.split(' ').slice(0, 400);
  const scores = LANGUAGES.map((language) => ({ language, score: words.filter((w) => LANGUAGE_HINTS[language].has(w)).length }));
  scores.sort((a, b) => b.score - a.score);
  return scores[0].score > 0 && scores[0].score > scores[1].score ? scores[0].language : null;
}
