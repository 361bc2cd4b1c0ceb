import { z } from 'zod/v4';
import { refuseUnstorable, singleLine } from '../validation';
import { CHANNELS } from './statuses';

/**
 * How a person is recognised: a normalised email address, a phone number in E.164, or the id the
 * CRM gives them. Normalising here, once, is what makes lookups and suppression hashes agree.
 */

// Deliberately plain: one @, no whitespace or control characters (so never a CRLF in a header).
const EMAIL_SHAPE = /^[^\s@<>()[\]\\,;:"\u0000-\u001f\u007f]+@[^\s@<>()[\]\\,;:"\u0000-\u001f\u007f]+\.[^\s@<>()[\]\\,;:"\u0000-\u001f\u007f]+$/;

export function normaliseEmail(value: string): string | undefined {
  const email = value.trim().toLowerCase();
  return email.length <= 254 && EMAIL_SHAPE.test(email) ? email : undefined;
}

/** Dutch numbers written nationally (06…, 020…) get +31; 00 becomes +. */
export function normalisePhone(value: string, defaultCountryCode = '31'): string | undefined {
  let phone = value.trim().replace(/[\s\-.()/]/g, '');
  if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
  else if (phone.startsWith('0')) phone = `+${defaultCountryCode}${phone.slice(1)}`;
  return /^\+[1-9]\d{7,14}$/.test(phone) ? phone : undefined;
}

// The storable rule first: "contains a control character" says more than "not an email address".
export const EmailSchema = z.string().trim().superRefine(refuseUnstorable('line')).transform((value, ctx) => {
  const email = normaliseEmail(value);
  if (!email) {
    ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 80)}" is not an email address` });
    return z.NEVER;
  }
  return email;
});

export const PhoneSchema = z.string().trim().superRefine(refuseUnstorable('line')).transform((value, ctx) => {
  const phone = normalisePhone(value);
  if (!phone) {
    ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 40)}" is not a phone number (use +31612345678 or 0612345678)` });
    return z.NEVER;
  }
  return phone;
});

export const ExternalIdSchema = singleLine(200).min(1, 'an external id cannot be empty');

/** Topic = subscription type ("newsletter", "events"). Case-insensitive; letters, digits, - _ . and spaces. */
export const TopicSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,63}$/u, 'a topic is 1–64 letters, digits, spaces, "-", "_" or "." (e.g. newsletter)');

export const LOCALES = ['nl', 'en', 'de', 'fr', 'es', 'it'] as const;
export const LocaleSchema = z.enum(LOCALES, { error: `one of ${LOCALES.join(', ')}` });

export const ChannelSchema = z.enum(CHANNELS, { error: `one of ${CHANNELS.join(', ')}` });
export type Locale = z.infer<typeof LocaleSchema>;

/** A whole-object rule speaks only when its fields are valid: one wrong field, one message. */
export const onlyIfValid = (payload: { issues: readonly unknown[] }) => payload.issues.length === 0;

/** Finds a subject: by email, phone, ledger id or external (CRM) id. */
export const SubjectRefSchema = z
  .object({
    email: EmailSchema.optional(),
    phone: PhoneSchema.optional(),
    subjectId: z.coerce.number().int().positive().optional(),
    externalId: ExternalIdSchema.optional(),
  })
  .refine((r) => r.email || r.phone || r.subjectId || r.externalId, {
    message: 'give an email, a phone number, a subject id or an external id',
    when: onlyIfValid,
  });
export type SubjectRef = z.infer<typeof SubjectRefSchema>;
