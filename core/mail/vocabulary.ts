import WORDS from './words.json';

/**
 * The classifier's vocabulary, loaded once from words.json and normalised the same way as the
 * text it is matched against, so the data file can be written with accents and capitals.
 */
export const LANGUAGES = ['nl', 'en', 'de', 'fr', 'es', 'it'] as const;
export type Language = (typeof LANGUAGES)[number];

export const REQUEST_INTENTS = ['erase', 'access', 'unsubscribe'] as const;
export type RequestIntent = (typeof REQUEST_INTENTS)[number];

/** One word of a pattern: a word, or a stem (`verwijder*` in words.json: any word that starts so). */
export interface PatternWord {
  text: string;
  isStem: boolean;
  /** `text`, with `*` for a stem: equal words share one lookup. */
  key: string;
  /** The first two letters, as the matcher indexes a text's words. */
  prefix: string;
}

export interface Phrase {
  intent: RequestIntent;
  language: Language;
  text: string; // normalised; a pattern keeps its `*` and `...`
  /** ` text `: matched against the padded text, so only whole words match. */
  padded: string;
  isSubjectOnly: boolean;
  /** The pattern: runs of words in a row; between two runs (`...`) other words of the sentence may stand. */
  runs: PatternWord[][];
}

/** An action word near an object word of the same sentence asks for the intent ('gegevens … verwijderen'). */
export interface WordPair {
  intent: RequestIntent;
  language: Language;
  actions: PatternWord[];
  objects: PatternWord[];
}

/** A pattern of words.json: words normalised one by one, so `*` and `...` survive. */
export function parsePattern(raw: string): PatternWord[][] {
  const runs: PatternWord[][] = [[]];
  for (const token of raw.trim().split(/\s+/)) {
    if (token === '...' || token === '…') {
      if (runs[runs.length - 1].length > 0) runs.push([]);
      continue;
    }
    const isStem = token.endsWith('*');
    const parts = normaliseWords(isStem ? token.slice(0, -1) : token).split(' ').filter(Boolean);
    parts.forEach((text, i) => {
      const stem = isStem && i === parts.length - 1;
      runs[runs.length - 1].push({ text, isStem: stem, key: stem ? `${text}*` : text, prefix: text.slice(0, 2) });
    });
  }
  return runs.filter((run) => run.length > 0);
}

function phrase(intent: RequestIntent, language: Language, raw: string, isSubjectOnly: boolean): Phrase {
  const runs = parsePattern(raw);
  const text = runs.map((run) => run.map((w) => (w.isStem ? `${w.text}*` : w.text)).join(' ')).join(' ... ');
  return { intent, language, text, padded: ` ${text} `, isSubjectOnly, runs };
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
  intents: Record<RequestIntent, PerLanguage<{ anywhere: string[]; subjectOnly: string[]; actions?: string[]; objects?: string[] }>>;
  typoExceptions?: string[];
  languageNeutral?: string[];
  wholeMessage: Partial<Record<RequestIntent, PerLanguage<string[]>>>;
  autoReplySubject: PerLanguage<string[]>;
  autoReplyFirstLines: PerLanguage<string[]>;
  bounceSubject: PerLanguage<string[]>;
  replyPrefixes: string[];
  quote: {
    attribution: PerLanguage<string[]>;
    originalMessage: string[];
    forwardMarkers: string[];
    headerFrom: string[];
    headerDate: string[];
    signatures: string[];
    closings: PerLanguage<string[]>;
    disclaimers: PerLanguage<string[]>;
    footers: PerLanguage<string[]>;
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

const patternWords = (list: string[] | undefined) => (list ?? []).flatMap((t) => parsePattern(t).flat());
export const PAIRS: readonly WordPair[] = REQUEST_INTENTS.flatMap((intent) =>
  LANGUAGES.map((language) => ({
    intent,
    language,
    actions: patternWords(words.intents[intent][language].actions),
    objects: patternWords(words.intents[intent][language].objects),
  })).filter((pair) => pair.actions.length > 0 && pair.objects.length > 0),
);

/** Words of every language ('gdpr', 'newsletter'): they tell no language. */
export const LANGUAGE_NEUTRAL: ReadonlySet<string> = new Set((words.languageNeutral ?? []).flatMap((t) => normaliseWords(t).split(' ')));

/** Real words one letter away from a request word: never read as its typo. */
export const TYPO_EXCEPTIONS: ReadonlySet<string> = new Set((words.typoExceptions ?? []).map(normaliseWords));

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
  forwardMarkers: words.quote.forwardMarkers.map(normaliseWords),
  headerFrom: words.quote.headerFrom.map(normaliseWords),
  headerDate: words.quote.headerDate.map(normaliseWords),
  signatures: words.quote.signatures.map(normaliseWords),
  closings: all(words.quote.closings).map(normaliseWords),
  disclaimers: all(words.quote.disclaimers).map(normaliseWords),
  footers: all(words.quote.footers).map(normaliseWords),
};
export const LANGUAGE_HINTS = Object.fromEntries(
  LANGUAGES.map((language) => [language, new Set((words.languageHints[language] ?? []).map(normaliseWords))]),
) as PerLanguage<Set<string>>;

/** Does `phrase` occur in `text` as whole words? Both normalised. */
export function containsPhrase(text: string, phrase: string): number {
  return ` ${text} `.indexOf(` ${phrase} `);
}
