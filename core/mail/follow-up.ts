import { LocaleSchema, type Locale } from '../consent/identity';
import { composeMail, type ComposedMail, type ComposeInput } from './compose';
import { BUILT_IN_TEMPLATES, type FOLLOW_UP_KINDS } from './templates';

/** The person (Ledger.followUpRecipient gives it: only someone who may get the mail). */
export interface FollowUpPerson {
  email: string;
  name: string | null;
  locale: string | null;
  unsubscribeToken: string | null;
}

/** What a follow-up mail needs besides the person: the sender and the links' home. */
export interface FollowUpSettings {
  from: ComposeInput['from'];
  organisation: string;
  baseUrl: string;
  privacyUrl?: string;
  /** The privacy mailbox: the welcome mail's List-Unsubscribe mailto. */
  unsubscribeMailbox?: string;
  /** When the ledger knows no language for the person. */
  defaultLocale?: string;
}

/**
 * The welcome mail after a confirmation or the goodbye mail after an unsubscribe (templates
 * 'welcome' and 'goodbye', one per language in core/mail/templates), in the person's own language,
 * else the default, else Dutch. A welcome carries the recipient's fresh unsubscribe link and
 * List-Unsubscribe; a goodbye may carry `preferencesToken` (the link the person just used) so they
 * can choose again, and no List-Unsubscribe.
 */
export function followUpMail(kind: (typeof FOLLOW_UP_KINDS)[number], to: FollowUpPerson, settings: FollowUpSettings, preferencesToken?: string): ComposedMail {
  const token = kind === 'welcome' ? (to.unsubscribeToken ?? undefined) : preferencesToken;
  return composeMail(kind, {
    to: to.email,
    name: to.name ?? undefined,
    from: settings.from,
    locale: mailLocale(to.locale, settings.defaultLocale),
    organisation: settings.organisation,
    baseUrl: settings.baseUrl,
    privacyUrl: settings.privacyUrl,
    unsubscribeToken: token,
    ...(kind === 'welcome' && settings.unsubscribeMailbox ? { unsubscribeMailbox: settings.unsubscribeMailbox } : {}),
  });
}

function mailLocale(own: string | null, fallback: string | undefined): Locale | undefined {
  for (const candidate of [own, fallback]) {
    const parsed = LocaleSchema.safeParse(candidate);
    if (parsed.success && parsed.data in BUILT_IN_TEMPLATES) return parsed.data;
  }
  return undefined;
}
