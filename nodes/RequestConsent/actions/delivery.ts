import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';
import { LocaleSchema, type Locale } from '../../../core/consent/identity';
import type { Channel } from '../../../core/consent/statuses';
import { IN_FLIGHT_MINUTES, type Ledger } from '../../../core/ledger';
import { linkFor } from '../../../core/links';
import { composeMail, PLACEHOLDERS, type ComposedMail } from '../../../core/mail/compose';
import { MailSender } from '../../../core/mail/send';
import type { TemplateKind } from '../../../core/mail/templates';
import { parseInput } from '../../../core/validation';
import { InvalidInput } from '../../../core/errors';
import { readSmtpCredential, type LedgerCredential, type SmtpCredential } from '../../shared/credentials';
import { itemLabel } from '../../shared/errors';
import type { ItemParameters } from '../../shared/parameters';

/**
 * How Request Consent delivers what it asks: it sends the mail itself over SMTP and records the
 * message in the ledger, or it only outputs the links and the composed mail for the user's own
 * mail node. Both compose with core/mail/compose (templates, List-Unsubscribe, escaping).
 */

const PLACEHOLDER_LIST = PLACEHOLDERS.filter((p) => p !== 'eraseUrl')
	.map((p) => `{{${p}}}`)
	.join(', ');

export function deliveryProperties(operations: string[]): INodeProperties[] {
	const show = { operation: operations };
	return [
		{
			displayName: 'Delivery',
			name: 'delivery',
			type: 'options',
			options: [
				{
					name: 'Send Mail via SMTP',
					value: 'smtp',
					description: 'Send the mail with the Consent SMTP credential, with List-Unsubscribe headers, and record it in the ledger',
				},
				{
					name: 'Output Links and Mail Only',
					value: 'linksOnly',
					description: 'Output the links and the composed mail (to, subject, text, HTML, headers) for your own mail node',
				},
			],
			default: 'smtp',
			description: 'Whether this node sends the mail or only prepares it',
			hint: "n8n's Send Email, Gmail and Outlook nodes cannot set List-Unsubscribe headers; send via SMTP here to keep one-click unsubscribe",
			displayOptions: { show },
		},
		{
			displayName: 'From',
			name: 'mailFrom',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'Voorbeeld BV <news@example.com>',
			description: 'Sender written into the composed mail; use the same address in your mail node',
			displayOptions: { show: { ...show, delivery: ['linksOnly'] } },
		},
		{
			displayName: 'Mail Language',
			name: 'locale',
			type: 'options',
			options: [
				{ name: "Person's Language, Else the Credential's Default", value: 'default' },
				{ name: 'Dutch', value: 'nl' },
				{ name: 'English', value: 'en' },
			],
			default: 'default',
			description: 'Language of the built-in templates and of the pages the links open. A new person keeps it as their language.',
			displayOptions: { show },
		},
		{
			displayName: 'Template',
			name: 'template',
			type: 'options',
			options: [
				{ name: 'Built-In (Dutch and English)', value: 'builtIn' },
				{ name: 'My Own Subject and Text', value: 'custom' },
			],
			default: 'builtIn',
			description: 'The texts of the mail',
			displayOptions: { show },
		},
		{
			displayName: 'Subject',
			name: 'subject',
			type: 'string',
			default: '',
			placeholder: 'Please confirm your subscription to {{organisation}}',
			description: `Subject line; placeholders: ${PLACEHOLDER_LIST}`,
			hint: 'Keep this field Fixed: {{name}} here is our placeholder, not an n8n expression',
			displayOptions: { show: { ...show, template: ['custom'] } },
		},
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			typeOptions: { rows: 8 },
			default: '',
			description: `Plain-text body. It must contain {{confirmUrl}} and {{unsubscribeUrl}} or {{preferencesUrl}}. Placeholders: ${PLACEHOLDER_LIST}; {{#name}}…{{/name}} shows its part only when there is a name.`,
			hint: 'Keep this field Fixed: {{confirmUrl}} here is our placeholder, not an n8n expression',
			displayOptions: { show: { ...show, template: ['custom'] } },
		},
		{
			displayName: 'HTML',
			name: 'html',
			type: 'string',
			typeOptions: { rows: 8 },
			default: '',
			description: 'HTML body (optional; made from the text when empty). Placeholder values are HTML-escaped.',
			displayOptions: { show: { ...show, template: ['custom'] } },
		},
	];
}

export interface DeliverySettings {
	delivery: 'smtp' | 'linksOnly';
	from?: string;
	locale: 'default' | 'nl' | 'en';
	template?: { subject?: string; text?: string; html?: string };
}

const DeliverySchema = z.object({
	delivery: z.enum(['smtp', 'linksOnly'], { error: 'one of smtp, linksOnly' }),
	mailFrom: z.string().trim().optional(),
	locale: z.enum(['default', 'nl', 'en'], { error: 'one of default, nl, en' }).default('default'),
	template: z.enum(['builtIn', 'custom'], { error: 'one of builtIn, custom' }).default('builtIn'),
	subject: z.string().optional(),
	text: z.string().optional(),
	html: z.string().optional(),
});

/**
 * The delivery settings of item `i`. Usually the same for every item of a run, so the parsed
 * settings of the last raw values are kept for the next item.
 */
export function readDelivery(params: ItemParameters, i: number): DeliverySettings {
	const raw = {
		delivery: params.get('delivery', i),
		mailFrom: params.get('mailFrom', i, ''),
		locale: params.get('locale', i, 'default'),
		template: params.get('template', i, 'builtIn'),
		subject: params.get('subject', i, ''),
		text: params.get('text', i, ''),
		html: params.get('html', i, ''),
	};
	const key = JSON.stringify(raw);
	const known = lastDelivery.get(params);
	if (known?.key === key) return known.settings;
	const parsed = parseInput(DeliverySchema, raw, itemLabel(i));
	const template =
		parsed.template === 'custom'
			? {
					...(parsed.subject ? { subject: parsed.subject } : {}),
					...(parsed.text ? { text: parsed.text } : {}),
					...(parsed.html ? { html: parsed.html } : {}),
				}
			: undefined;
	const settings: DeliverySettings = { delivery: parsed.delivery, from: parsed.mailFrom || undefined, locale: parsed.locale, template };
	lastDelivery.set(params, { key, settings });
	return settings;
}

const lastDelivery = new WeakMap<ItemParameters, { key: string; settings: DeliverySettings }>();

/** One mail to prepare: who, which links, for which ledger entry. */
export interface Outgoing {
	itemIndex: number;
	kind: TemplateKind;
	settings: DeliverySettings;
	subjectId: number;
	email: string | null;
	name: string | null;
	locale: string | null;
	channel: Channel;
	topics: string[];
	confirmToken: string;
	unsubscribeToken: string;
}

export interface Delivered {
	links: { confirmUrl: string; unsubscribeUrl: string; preferencesUrl: string };
	/** The language the mail and its pages use. */
	locale: Locale;
	mail: IDataObject | null;
	sent: boolean;
	messageId: string | null;
	/** Why no mail went out, when none did (no email address). */
	note?: string;
	error?: Error;
}

/**
 * The mails of one run. `prepare` reads the SMTP credential and tries each template once, so a
 * wrong setting stops the run before the ledger records anything; `deliver` composes every mail,
 * sends them over one pooled connection and records the sent ones in the ledger's message history
 * in one call. A mail that fails is an error of its own item only.
 */
export class Delivery {
	private constructor(
		private readonly credential: LedgerCredential,
		private readonly smtp: SmtpCredential | undefined,
	) {}

	static async prepare(ctx: IExecuteFunctions, credential: LedgerCredential, kind: TemplateKind, settings: DeliverySettings[]): Promise<Delivery> {
		const usesSmtp = settings.some((s) => s.delivery === 'smtp');
		const delivery = new Delivery(credential, usesSmtp ? readSmtpCredential(await ctx.getCredentials('consentSmtpApi')) : undefined);
		const tried = new Set<string>();
		for (const s of settings) {
			const key = JSON.stringify(s);
			if (tried.has(key)) continue;
			tried.add(key);
			// A trial mail with made-up links: the template's rules fail here, not after the ledger wrote.
			delivery.compose(kind, s, { email: 'trial@example.com', name: 'Trial', locale: null, confirmToken: 'trial', unsubscribeToken: 'trial' });
		}
		return delivery;
	}

	private localeOf(settings: DeliverySettings, personal: string | null): Locale {
		if (settings.locale !== 'default') return settings.locale;
		const own = LocaleSchema.safeParse(personal);
		return own.success ? own.data : this.credential.defaultLocale;
	}

	private compose(
		kind: TemplateKind,
		settings: DeliverySettings,
		o: { email: string; name: string | null; locale: string | null; confirmToken: string; unsubscribeToken: string },
	): ComposedMail {
		const from = settings.delivery === 'smtp' ? this.smtp!.from : settings.from;
		if (!from) throw new InvalidInput('From: give the sender of the composed mail, e.g. Voorbeeld BV <news@example.com>');
		return composeMail(kind, {
			to: o.email,
			name: o.name ?? undefined,
			from,
			locale: this.localeOf(settings, o.locale),
			organisation: this.credential.organisation,
			baseUrl: this.credential.baseUrl,
			confirmToken: o.confirmToken,
			unsubscribeToken: o.unsubscribeToken,
			unsubscribeMailbox: this.credential.privacyMailbox,
			privacyUrl: this.credential.privacyUrl,
			template: settings.template,
		});
	}

	async deliver(ledger: Ledger, outgoing: Outgoing[]): Promise<Delivered[]> {
		const { baseUrl } = this.credential;
		const sender = this.smtp && outgoing.some((o) => o.settings.delivery === 'smtp' && o.email) ? new MailSender(this.smtp.smtp) : undefined;
		try {
			const done = await Promise.all(
				outgoing.map(async (o): Promise<Delivered> => {
					const links = {
						confirmUrl: linkFor(baseUrl, 'confirm', o.confirmToken),
						unsubscribeUrl: linkFor(baseUrl, 'unsubscribe', o.unsubscribeToken),
						preferencesUrl: linkFor(baseUrl, 'preferences', o.unsubscribeToken),
					};
					const locale = this.localeOf(o.settings, o.locale);
					if (!o.email) return { links, locale, mail: null, sent: false, messageId: null, note: 'no email address: send the links another way' };
					let composed: ComposedMail;
					try {
						composed = this.compose(o.kind, o.settings, { ...o, email: o.email });
					} catch (error) {
						return { links, locale, mail: null, sent: false, messageId: null, error: withItem(error, o.itemIndex) };
					}
					if (o.settings.delivery === 'linksOnly') return { links, locale, mail: { ...composed }, sent: false, messageId: null };
					// The execution log keeps the envelope and headers, not every body again.
					const summary = { to: composed.to, from: composed.from, subject: composed.subject, messageId: composed.messageId, headers: composed.headers };
					try {
						const sent = await sender!.send(composed);
						return { links, locale, mail: summary, sent: true, messageId: sent.messageId };
					} catch (error) {
						const message = `${(error as Error).message}. The ledger has recorded the request, but its mail was not sent: an invitation is asked again by Send Reminders after its wait; a signup can be repeated after ${IN_FLIGHT_MINUTES} minutes.`;
						return { links, locale, mail: summary, sent: false, messageId: null, error: withItem(new Error(message), o.itemIndex) };
					}
				}),
			);
			const sent = outgoing.flatMap((o, k) =>
				done[k].sent && done[k].messageId ? [{ subjectId: o.subjectId, messageId: done[k].messageId!, template: o.kind, topics: o.topics, channel: o.channel }] : [],
			);
			if (sent.length > 0) await ledger.recordMessages(sent);
			return done;
		} finally {
			sender?.close();
		}
	}
}

function withItem(error: unknown, itemIndex: number): Error {
	const message = error instanceof Error ? error.message : String(error);
	return new Error(message.startsWith('item ') ? message : `${itemLabel(itemIndex)}, ${message}`);
}
