import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { RequestItemSchema, type RequestItem, type RequestMode, type RequestResult } from '../../../core/ledger';
import { parseInput } from '../../../core/validation';
import {
	channelParameter,
	emailParameter,
	externalIdParameter,
	given,
	phoneParameter,
	SOURCE_KIND_OPTIONS,
	splitTopics,
	topicsParameter,
} from '../../shared/descriptions';
import { errorItem, itemLabel, nodeError } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { ItemParameters } from '../../shared/parameters';
import { Delivery, deliveryProperties, readDelivery, type DeliverySettings } from './delivery';

const show = { operation: ['request'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		options: [
			{
				name: 'Signup (the Person Asked)',
				value: 'signup',
				description: 'Double opt-in after a webform or a request: sends a confirmation mail. At most one per address per resend window.',
			},
			{
				name: 'Campaign (Re-Permission)',
				value: 'campaign',
				description:
					'Ask existing contacts for fresh consent: sends an invitation. Skips whom the ledger says to skip (unsubscribed, bounced, blacklisted, already consenting, erased) and says why.',
			},
		],
		default: 'signup',
		description: 'Who started this: the person, or you',
		displayOptions: { show },
	},
	{ ...emailParameter, displayOptions: { show } },
	{ ...phoneParameter, displayOptions: { show } },
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '={{ $json.name }}',
		description: 'Name of the person, for the greeting in the mail (optional)',
		displayOptions: { show },
	},
	{ ...externalIdParameter, displayOptions: { show } },
	{ ...topicsParameter, displayOptions: { show } },
	{ ...channelParameter('The channel the consent is for; the confirmation goes by mail whenever there is an email address'), displayOptions: { show } },
	{
		displayName: 'Consent Text',
		name: 'consentText',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		placeholder: 'Yes, I would like to receive the newsletter of Voorbeeld BV. I can unsubscribe at any time.',
		description: 'The exact text the person agrees to (the label of the checkbox on your form). Kept as evidence with every consent.',
		displayOptions: { show },
	},
	{
		displayName: 'Evidence',
		name: 'evidence',
		type: 'collection',
		placeholder: 'Add Evidence',
		default: {},
		description: 'Where and how the request came in; kept with the consent as proof',
		displayOptions: { show },
		options: [
			{
				displayName: 'External Opt-In ID',
				name: 'optinId',
				type: 'string',
				default: '',
				description: 'The ID your form or CRM gave this opt-in (CallPro optin_id)',
			},
			{
				displayName: 'IP Address',
				name: 'ip',
				type: 'string',
				default: '',
				description: "The address the signup came from, as your form's server saw it",
			},
			{
				displayName: 'Source',
				name: 'sourceKind',
				type: 'options',
				options: SOURCE_KIND_OPTIONS,
				default: 'webform',
				description: 'What kind of source the request came from (default: webform for a signup, workflow for a campaign)',
			},
			{
				displayName: 'Source Reference',
				name: 'sourceRef',
				type: 'string',
				default: '',
				placeholder: 'https://example.com/signup',
				description: 'Which one: the form URL or ID, the campaign name, the file',
			},
			{
				displayName: 'User Agent',
				name: 'userAgent',
				type: 'string',
				default: '',
				description: 'The browser of the signup',
			},
		],
	},
	...deliveryProperties(['request']),
];

interface EvidenceParameters {
	sourceKind?: string;
	sourceRef?: string;
	ip?: string;
	userAgent?: string;
	optinId?: string;
}

/**
 * Request: one ledger call for all items of the run, then the mails. Done (output 0) holds the
 * requested ones with their links and mail; Skipped (output 1) the throttled and skipped ones
 * with the ledger's reason. Neither is an error.
 */
export async function execute(this: IExecuteFunctions, { ledger, credential }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const params = new ItemParameters(this, items);
	const mode = params.get<RequestMode>('mode', 0);

	const parsed: Array<{ request: RequestItem; settings: DeliverySettings } | { error: INodeExecutionData }> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			const evidence = params.get<EvidenceParameters>('evidence', i, {});
			const request = parseInput(
				RequestItemSchema,
				{
					email: given(params.get('email', i)),
					phone: given(params.get('phone', i)),
					name: given(params.get('name', i)) ?? undefined,
					externalId: given(params.get('externalId', i)),
					topics: splitTopics(params.get('topics', i)),
					channel: params.get('channel', i),
					consentText: params.get('consentText', i),
					locale: undefined as string | undefined,
					evidence: {
						actor: { kind: mode === 'signup' ? 'person' : 'system' },
						source: { kind: given(evidence.sourceKind) ?? (mode === 'signup' ? 'webform' : 'workflow'), ref: given(evidence.sourceRef) },
						ip: given(evidence.ip),
						userAgent: given(evidence.userAgent),
						optinId: given(evidence.optinId),
					},
				},
				itemLabel(i),
			);
			const settings = readDelivery(params, i);
			if (settings.locale !== 'default') request.locale = settings.locale;
			parsed.push({ request, settings });
		} catch (error) {
			if (!continueOnFail) throw nodeError(node, error, i);
			parsed.push({ error: errorItem(error, i) });
		}
	}

	const valid = parsed.flatMap((p, i) => ('request' in p ? [{ ...p, itemIndex: i }] : []));
	let results: RequestResult[];
	let deliveries;
	try {
		const delivery = await Delivery.prepare(this, credential, mode === 'signup' ? 'confirmation' : 'invitation', valid.map((v) => v.settings));
		// Sent over SMTP, each mail is recorded once it went out: the list-bombing guard then counts
		// those, and a mail lost to a killed worker or a refusing server does not hold the person back.
		const recordsMail = valid.every((v) => v.settings.delivery === 'smtp');
		results = valid.length > 0 ? await ledger.request(valid.map((v) => v.request), mode, { recordsMail }) : [];
		deliveries = await delivery.deliver(
			ledger,
			results.flatMap((r, k) =>
				r.outcome === 'requested'
					? [
							{
								itemIndex: valid[k].itemIndex,
								kind: mode === 'signup' ? ('confirmation' as const) : ('invitation' as const),
								settings: valid[k].settings,
								subjectId: r.subjectId!,
								email: r.email,
								name: r.name,
								locale: r.locale,
								channel: r.channel,
								topics: r.topics.filter((t) => t.outcome === 'changed').map((t) => t.topic),
								confirmToken: r.confirmToken!,
								unsubscribeToken: r.unsubscribeToken!,
							},
						]
					: [],
			),
		);
	} catch (error) {
		if (!continueOnFail) throw nodeError(node, error);
		return [items.map((_, i) => errorItem(error, i)), []];
	}

	const done: INodeExecutionData[] = [];
	const skipped: INodeExecutionData[] = [];
	let next = 0;
	let delivered = 0;
	parsed.forEach((p, i) => {
		if ('error' in p) {
			done.push(p.error);
			return;
		}
		const r = results[next++];
		const base: IDataObject = {
			outcome: r.outcome,
			reason: r.reason,
			mode,
			subjectId: r.subjectId,
			email: r.email,
			phone: r.phone,
			name: r.name,
			channel: r.channel,
			topics: r.topics.map((t) => ({ ...t })),
		};
		if (r.outcome !== 'requested') {
			skipped.push({ json: base, pairedItem: { item: i } });
			return;
		}
		const d = deliveries[delivered++];
		if (d.error) {
			if (!continueOnFail) throw nodeError(node, d.error, i);
			done.push(errorItem(d.error, i));
			return;
		}
		done.push({
			json: {
				...base,
				locale: d.locale,
				expiresAt: r.expiresAt,
				...d.links,
				sent: d.sent,
				messageId: d.messageId,
				...(d.note ? { note: d.note } : {}),
				mail: d.mail,
			},
			pairedItem: { item: i },
		});
	});
	return [done, skipped];
}
