import {
	NodeApiError,
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { callService } from './transport';

/** The service takes at most this many items per request or check call (cli/serve/schemas.ts MAX_BATCH). */
const BATCH = 1000;

const show = (...operation: string[]) => ({ displayOptions: { show: { operation } } });

const emailField = (operation: string[]): INodeProperties => ({
	displayName: 'Email',
	name: 'email',
	type: 'string',
	placeholder: 'name@email.com',
	default: '',
	required: true,
	description: 'The email address of the person',
	...show(...operation),
});

const topicField = (operation: string[]): INodeProperties => ({
	displayName: 'Topic',
	name: 'topic',
	type: 'string',
	default: 'newsletter',
	description: 'What you mail about, e.g. newsletter',
	...show(...operation),
});

const channelField = (operation: string[]): INodeProperties => ({
	displayName: 'Channel',
	name: 'channel',
	type: 'options',
	options: [
		{ name: 'Email', value: 'email' },
		{ name: 'Phone', value: 'phone' },
		{ name: 'Post', value: 'post' },
		{ name: 'SMS', value: 'sms' },
	],
	default: 'email',
	description: 'The channel the consent is for',
	...show(...operation),
});

export class ConsentService implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Consent Service',
		name: 'consentService',
		icon: { light: 'file:consentService.svg', dark: 'file:consentService.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'GDPR / AVG marketing permission through the consent service: request, check, unsubscribe, erase and find consent',
		defaults: { name: 'Consent Service' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'consentServiceApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Check Opt-In',
						value: 'checkOptIn',
						description: 'May I contact this person on this channel about this topic now?',
						action: 'Check opt in',
					},
					{
						name: 'Erase Contact',
						value: 'eraseContact',
						description: 'Erase a person (GDPR Art. 17); a retention hold defers it.',
						action: 'Erase contact',
					},
					{
						name: 'Find Consent',
						value: 'findConsent',
						description: "A person's consent record for a topic: status, basis, since and the opt-in evidence",
						action: 'Find consent',
					},
					{
						name: 'Request Consent',
						value: 'requestConsent',
						description: 'Ask for consent (double opt-in signup or a campaign); returns the links to mail',
						action: 'Request consent',
					},
					{
						name: 'Unsubscribe',
						value: 'unsubscribe',
						description: 'Unsubscribe a person from some topics or all',
						action: 'Unsubscribe',
					},
				],
				default: 'checkOptIn',
			},
			emailField(['requestConsent', 'checkOptIn', 'unsubscribe', 'eraseContact', 'findConsent']),
			{
				displayName: 'Consent Text',
				name: 'consentText',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				required: true,
				description: 'The words the person agreed to, as shown on your form (kept as evidence)',
				...show('requestConsent'),
			},
			{
				displayName: 'Mode',
				name: 'mode',
				type: 'options',
				options: [
					{ name: 'Signup (Double Opt-In)', value: 'signup', description: 'The person asked on a form; they confirm by the link you mail' },
					{ name: 'Campaign', value: 'campaign', description: 'You ask people you already know' },
				],
				default: 'signup',
				...show('requestConsent'),
			},
			{
				displayName: 'Topics',
				name: 'topics',
				type: 'string',
				default: 'newsletter',
				description: 'The topics asked for, separated by commas',
				...show('requestConsent'),
			},
			{
				displayName: 'Name',
				name: 'personName',
				type: 'string',
				default: '',
				description: 'The name of the person, for the mail (optional)',
				...show('requestConsent'),
			},
			topicField(['checkOptIn', 'findConsent']),
			channelField(['requestConsent', 'checkOptIn', 'unsubscribe', 'findConsent']),
			{
				displayName: 'Strict Mode',
				name: 'strict',
				type: 'boolean',
				default: false,
				description:
					'Whether only explicit consent counts. Off: the service decides by its own setting (on email and post a documented legitimate interest or contract may count).',
				...show('checkOptIn'),
			},
			{
				displayName: 'Unsubscribe From',
				name: 'unsubscribeTopics',
				type: 'string',
				default: 'all',
				description: 'The topics to unsubscribe from, separated by commas, or "all"',
				...show('unsubscribe'),
			},
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: '',
				description: 'Why (kept only if a retention hold keeps the person)',
				...show('eraseContact'),
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as string;
		const out: INodeExecutionData[] = [];

		if (operation === 'requestConsent' || operation === 'checkOptIn' || operation === 'findConsent') {
			// Batch operations: one call per 1,000 items, each answer paired with its item by index.
			for (let start = 0; start < items.length; start += BATCH) {
				const indexes = items.slice(start, start + BATCH).map((_, k) => start + k);
				try {
					const results = await batchCall(this, operation, indexes);
					results.forEach((result, k) => out.push({ json: result, pairedItem: { item: indexes[k] } }));
				} catch (error) {
					if (!this.continueOnFail()) throw asNodeError(this, error, indexes[0]);
					for (const i of indexes) out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
				}
			}
			return [out];
		}

		for (let i = 0; i < items.length; i++) {
			try {
				const email = this.getNodeParameter('email', i) as string;
				let result: IDataObject;
				if (operation === 'unsubscribe') {
					result = await callService.call(this, 'POST', '/v1/unsubscribe', {
						body: { email, topics: topicScope(this.getNodeParameter('unsubscribeTopics', i) as string), channel: this.getNodeParameter('channel', i) as string },
						itemIndex: i,
					});
				} else {
					const reason = (this.getNodeParameter('reason', i) as string).trim();
					result = await callService.call(this, 'POST', '/v1/erase', { body: { email, ...(reason ? { reason } : {}) }, itemIndex: i });
				}
				out.push({ json: result, pairedItem: { item: i } });
			} catch (error) {
				if (!this.continueOnFail()) throw asNodeError(this, error, i);
				out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
			}
		}
		return [out];
	}
}

/** Request, check and find: one service call for many items (the service's batch form). */
async function batchCall(ctx: IExecuteFunctions, operation: string, indexes: number[]): Promise<IDataObject[]> {
	if (operation === 'requestConsent') {
		const mode = ctx.getNodeParameter('mode', indexes[0]) as string;
		const body = {
			mode,
			items: indexes.map((i) => {
				const name = (ctx.getNodeParameter('personName', i) as string).trim();
				return {
					email: ctx.getNodeParameter('email', i) as string,
					...(name ? { name } : {}),
					topics: list(ctx.getNodeParameter('topics', i) as string),
					channel: ctx.getNodeParameter('channel', i) as string,
					consentText: ctx.getNodeParameter('consentText', i) as string,
				};
			}),
		};
		const answer = await callService.call(ctx, 'POST', '/v1/request', { body });
		return answer.results as IDataObject[];
	}
	const strict = operation === 'checkOptIn' && (ctx.getNodeParameter('strict', indexes[0]) as boolean);
	const body = {
		items: indexes.map((i) => ({
			email: ctx.getNodeParameter('email', i) as string,
			topic: ctx.getNodeParameter('topic', i) as string,
			channel: ctx.getNodeParameter('channel', i) as string,
		})),
		...(strict ? { strict: true } : {}),
	};
	const answer = await callService.call(ctx, 'POST', '/v1/check', { body });
	const results = answer.results as IDataObject[];
	if (operation === 'checkOptIn') {
		return results.map((r) => ({ email: body.items[Number(r.index)].email, allowed: r.allowed, reason: r.reason, topic: r.topic, channel: r.channel, status: r.status }));
	}
	// Find Consent: the whole record, and whether the person is known at all.
	return results.map((r) => ({ email: body.items[Number(r.index)].email, found: r.subjectId !== null, ...r }));
}

/** The service's errors are NodeApiErrors already (transport.ts); anything else (a parameter) becomes a NodeOperationError. */
function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	return error instanceof NodeApiError ? error : new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

function list(value: string): string[] {
	return value
		.split(',')
		.map((t) => t.trim())
		.filter(Boolean);
}

function topicScope(value: string): string[] | 'all' {
	const topics = list(value);
	return topics.length === 0 || (topics.length === 1 && topics[0].toLowerCase() === 'all') ? 'all' : topics;
}
