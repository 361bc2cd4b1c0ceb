import WORDS from './words.json';

/**
 * The classifier's vocabulary, loaded once from words.json and normalised the same way as the
 * text it is matched against, so the data file can be written with accents and capitals.
 */
export const LANGUAGES = ['nl', 'en', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];

export const REQUEST_INTENTS = ['erase', 'access', 'unsubscribe'] as const;
export type RequestIntent = (typeof REQUEST_INTENTS)[number];

export interface Phrase {
  intent: RequestIntent;
  language: Language;
  text: string; // normalised
  /** ` text `: matched against the padded text, so only whole words match. */
  padded: string;
  isSubjectOnly: boolean;
}

function phrase(intent: RequestIntent, language: Language, raw: string, isSubjectOnly: boolean): Phrase {
  const text = normaliseWords(raw);
  return { intent, language, text, padded: ` ${text} `, isSubjectOnly };
}

/** Lower case, accents dropped (ö -> o, ß -> ss), everything but letters and digits a single space. */
export function normaliseWords(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

type PerLanguage<T> = Record<Language, T>;

interface WordsFile {
  intents: Record<RequestIntent, PerLanguage<{ anywhere: string[]; subjectOnly: string[] }>>;
  wholeMessage: Partial<Record<RequestIntent, PerLanguage<string[]>>>;
  autoReplySubject: PerLanguage<string[]>;
  autoReplyFirstLines: PerLanguage<string[]>;
  bounceSubject: PerLanguage<string[]>;
  replyPrefixes: string[];
  quote: {
    attribution: PerLanguage<string[]>;
    originalMessage: string[];
    headerFrom: string[];
    headerDate: string[];
    signatures?: string[];
  };
  languageHints: PerLanguage<string[]>;
}

const words = WORDS as unknown as WordsFile;
const all = <T>(perLanguage: PerLanguage<T[]>) => LANGUAGES.flatMap((l) => perLanguage[l] ?? []);

export const PHRASES: readonly Phrase[] = REQUEST_INTENTS.flatMap((intent) =>
  LANGUAGES.flatMap((language) => [
    ...words.intents[intent][language].anywhere.map((t) => phrase(intent, language, t, false)),
    ...words.intents[intent][language].subjectOnly.map((t) => phrase(intent, language, t, true)),
  ]),
);

export const WHOLE_MESSAGE: readonly Phrase[] = REQUEST_INTENTS.flatMap((intent) =>
  LANGUAGES.flatMap((language) =>
    (words.wholeMessage[intent]?.[language] ?? []).map((t) => phrase(intent, language, t, false)),
  ),
);

// Machine mail is recognised in every language the file has, whichever languages requests are read in.
const machineWords = (perLanguage: Record<string, string[]>) =>
  Object.entries(perLanguage).flatMap(([key, list]) => (key.startsWith('$') ? [] : list)).map(normaliseWords);
export const AUTO_REPLY_SUBJECTS = machineWords(words.autoReplySubject);
export const AUTO_REPLY_FIRST_LINES = machineWords(words.autoReplyFirstLines);
export const BOUNCE_SUBJECTS = machineWords(words.bounceSubject);
export const REPLY_PREFIXES = words.replyPrefixes.map(normaliseWords);
export const QUOTE = {
  attribution: all(words.quote.attribution).map(normaliseWords),
  originalMessage: words.quote.originalMessage.map(normaliseWords),
  headerFrom: words.quote.headerFrom.map(normaliseWords),
  headerDate: words.quote.headerDate.map(normaliseWords),
  signatures: (words.quote.signatures ?? []).map(normaliseWords),
};
export const LANGUAGE_HINTS: PerLanguage<Set<string>> = {
  nl: new Set(words.languageHints.nl.map(normaliseWords)),
  en: new Set(words.languageHints.en.map(normaliseWords)),
  de: new Set(words.languageHints.de.map(normaliseWords)),
};

/** Does `phrase` occur in `text` as whole words? Both normalised. */
export function containsPhrase(text: string, phrase: string): number {
  return ` ${text} `.indexOf(` ${phrase} `);
}
