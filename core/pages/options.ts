import { z } from 'zod/v4';
import { LocaleSchema, TopicSchema, type Locale } from '../consent/identity';
import { hasPageTexts } from './texts';

/** An absolute http(s) URL: anything else (javascript:, data:) could run in the page. */
const HttpUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !/[\u0000-\u001f\u007f\s]/.test(value);
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL, e.g. https://example.nl/privacy');

const LabelSchema = z.string().trim().min(1).max(200);

/** How the link pages look and behave; the Confirm Token and Unsubscribe nodes pass these. */
export const PageOptionsSchema = z.object({
  /** Shown in the page text and the footer. */
  organisation: z.string().trim().min(1, 'give the organisation name shown on the pages').max(200),
  /** The privacy policy linked in every page's footer. */
  privacyUrl: HttpUrlSchema,
  /** Used when the ledger knows no language for the person; else the browser's Accept-Language. */
  defaultLocale: LocaleSchema.optional(),
  /** Stricter evidence: the confirm page never submits by itself; the person must press the button. */
  requireClick: z.boolean().default(false),
  /** How a topic is named on the pages: one name, or one per language. */
  topicLabels: z
    .record(TopicSchema, z.union([LabelSchema, z.object({ nl: LabelSchema.optional(), en: LabelSchema.optional() })]))
    .default({}),
  /** Where an expired confirmation link sends the person to sign up again. */
  signupUrl: HttpUrlSchema.optional(),
  /** The unsubscribe page asks "why are you leaving?" (a few fixed reasons, optional for the person; counted per month, never with the person). */
  askLeaveReason: z.boolean({ error: 'askLeaveReason: true or false' }).default(false),
});
export type PageOptionsInput = z.input<typeof PageOptionsSchema>;
export type PageOptions = z.output<typeof PageOptionsSchema>;

/**
 * The page language: the person's own (from the ledger), else the configured default, else the
 * browser's Accept-Language, else English; only languages the pages are written in (texts.ts).
 */
export function chooseLocale(subjectLocale: string | null | undefined, options: Pick<PageOptions, 'defaultLocale'>, acceptLanguage?: string): Locale {
  const own = LocaleSchema.safeParse(subjectLocale);
  if (own.success && hasPageTexts(own.data)) return own.data;
  const fallback = options.defaultLocale && hasPageTexts(options.defaultLocale) ? options.defaultLocale : undefined;
  return fallback ?? localeFromAcceptLanguage(acceptLanguage) ?? 'en';
}

/** RFC 9110 §12.5.4: the highest-weighted language we have; q=0 means "not this one". */
export function localeFromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .slice(0, 500)
    .split(',')
    .map((part, order) => {
      const [range, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)).find(Boolean);
      return { primary: range.trim().toLowerCase().split('-')[0], q: q ? Number(q[1]) : 1, order };
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const r of ranked) {
    const known = LocaleSchema.safeParse(r.primary);
    if (known.success && hasPageTexts(known.data)) return known.data;
  }
  return undefined;
}
