import type { Locale } from '../../consent/identity';
import { de } from './de';
import { en } from './en';
import { es } from './es';
import { fr } from './fr';
import { it } from './it';
import { nl } from './nl';

/**
 * The mails we send. Marketing mails (a confirmation of a signup, an invitation to re-permit, its
 * reminder) and the welcome mail carry unsubscribe links and List-Unsubscribe headers; the goodbye
 * mail is marked automatic (RFC 3834 auto-generated); the others answer a request that came in by
 * mail and are marked as automatic replies (RFC 3834).
 */
export const TEMPLATE_KINDS = [
  'confirmation',
  'invitation',
  'reminder',
  'erase-verification',
  'ack-unsubscribed',
  'ack-erased',
  'ack-suppressed',
  'ack-access',
  'ack-no-data',
  'access-link',
  'privacy-request',
  'welcome',
  'goodbye',
] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export const MARKETING_KINDS: readonly TemplateKind[] = ['confirmation', 'invitation', 'reminder'];

/**
 * The optional mails after a link action (off by default): a welcome after a confirmation (to a
 * subscriber: an unsubscribe link and List-Unsubscribe, as the marketing mails) and a goodbye after
 * an unsubscribe (the last mail: no List-Unsubscribe, there is nothing left to leave).
 */
export const FOLLOW_UP_KINDS = ['welcome', 'goodbye'] as const satisfies readonly TemplateKind[];

export interface Template {
  subject: string;
  text: string;
  html?: string;
}
export type TemplateSet = Record<TemplateKind, Template>;

export const BUILT_IN_TEMPLATES: Record<Locale, TemplateSet> = { nl, en, de, fr, es, it };
