import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';
import { TopicSchema } from '../../core/consent/identity';
import { InvalidInput } from '../../core/errors';
import type { PrivacyMailPlan, TokenActionResult, VerifiedErasure } from '../../core/ledger';
import type { LinkKind } from '../../core/links';
import { handleLinkRequest, kindFromPath, type LinkRequest } from '../../core/pages/handle';
import type { PageOptionsInput } from '../../core/pages/options';
import { parseInput } from '../../core/validation';
import { itemLabel } from './errors';
import { mapItems } from './items';
import type { LedgerConnection } from './ledger-connection';

/**
 * The links in our mails, answered through n8n: n8n's Webhook node (GET and POST on one path,
 * responding "Using 'Respond to Webhook' Node") → Confirm Token or Unsubscribe → Respond to
 * Webhook. The node turns the Webhook's item into a request for core/pages' handleLinkRequest,
 * which owns every rule (GET and HEAD show, POST acts, RFC 8058 one-click) and the page.
 */

export const RESPOND_TO_WEBHOOK_NOTICE =
	"Put this node between n8n's Webhook node (HTTP Methods GET and POST on one path; Respond: Using 'Respond to Webhook' Node) and a Respond to Webhook node with Respond With: Text, Response Body {{ $json.html }}, Options → Response Code {{ $json.status }} and Response Headers Content-Type, Content-Security-Policy, Cache-Control, Referrer-Policy, X-Frame-Options, X-Content-Type-Options, X-Robots-Tag and Content-Language, each {{ $json.headers[\"<name>\"] }}. A GET only shows the page; the POST from the page acts.";

export const methodParameter: INodeProperties = {
	displayName: 'HTTP Method',
	name: 'method',
	type: 'options',
	options: [
		{
			name: 'From the Webhook Node',
			value: 'auto',
			description: "The method of the Webhook output the item came from (or the item's own method field)",
		},
		{ name: 'GET', value: 'GET' },
		{ name: 'HEAD', value: 'HEAD' },
		{ name: 'POST', value: 'POST' },
	],
	default: 'auto',
	description: 'How the request was made: a GET shows the page and changes nothing; a POST acts',
	hint: "n8n's Webhook node does not put the method in its item; connect its outputs straight to this node so it can tell",
};

export function linkOptionsParameter(extra: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			...extra,
			{
				displayName: 'Client IP',
				name: 'clientIp',
				type: 'options',
				options: [
					{
						name: 'X-Forwarded-For (Behind a Reverse Proxy)',
						value: 'forwardedFor',
						description: 'The entry your own proxies added; entries before it can be written by anyone',
					},
					{ name: 'X-Real-IP Header', value: 'realIp', description: 'The address your proxy put in X-Real-IP' },
					{ name: 'Do Not Record', value: 'none' },
				],
				default: 'forwardedFor',
				description:
					"Where the person's IP address (kept as evidence of the click) is read from. n8n's Webhook node passes the request headers but not the connection's own address.",
			},
			{
				displayName: 'Trusted Proxies',
				name: 'proxyHops',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 1,
				description:
					'How many reverse proxies in front of n8n append to X-Forwarded-For (like N8N_PROXY_HOPS). The entry that many places from the end is the one the outermost of them saw.',
				displayOptions: { show: { clientIp: ['forwardedFor'] } },
			},
			{
				displayName: 'Topic Labels',
				name: 'topicLabels',
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Topic Label',
				default: {},
				description: 'How topics are named on the pages; a topic without a label is shown as it is',
				options: [
					{
						displayName: 'Label',
						name: 'label',
						values: [
							{ displayName: 'Topic', name: 'topic', type: 'string', default: '', placeholder: 'newsletter', description: 'The topic as the ledger knows it' },
							{ displayName: 'Dutch', name: 'nl', type: 'string', default: '', placeholder: 'Nieuwsbrief', description: 'Name shown on Dutch pages' },
							{ displayName: 'English', name: 'en', type: 'string', default: '', placeholder: 'Newsletter', description: 'Name shown on English pages' },
						],
					},
				],
			},
		],
	};
}

const LinkOptionsSchema = z.object({
	requireClick: z.boolean().default(false),
	askLeaveReason: z.boolean({ error: 'Ask Why They Leave: true or false' }).default(false),
	clientIp: z.enum(['forwardedFor', 'realIp', 'none'], { error: 'one of forwardedFor, realIp, none' }).default('forwardedFor'),
	proxyHops: z.number().int().min(1).max(10).default(1),
	signupUrl: z.string().trim().optional(),
	topicLabels: z
		.object({
			label: z
				.array(z.object({ topic: TopicSchema, nl: z.string().trim().optional(), en: z.string().trim().optional() }))
				.default([]),
		})
		.partial()
		.default({}),
});
type LinkOptions = z.output<typeof LinkOptionsSchema>;

/** The page options: the credential's organisation, privacy URL and language, plus this node's. */
function pageOptions(base: PageOptionsInput, o: LinkOptions): PageOptionsInput {
	const labels = Object.fromEntries(
		(o.topicLabels.label ?? []).map((l) => [l.topic, { ...(l.nl ? { nl: l.nl } : {}), ...(l.en ? { en: l.en } : {}) }]),
	);
	return { ...base, requireClick: o.requireClick, askLeaveReason: o.askLeaveReason, topicLabels: labels, ...(o.signupUrl ? { signupUrl: o.signupUrl } : {}) };
}

function header(headers: unknown, name: string): string | undefined {
	if (!headers || typeof headers !== 'object') return undefined;
	for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
		if (key.toLowerCase() !== name) continue;
		if (Array.isArray(value)) return value.join(', ');
		return typeof value === 'string' ? value : undefined;
	}
	return undefined;
}

/**
 * The person's address, as far as the proxies in front of n8n can vouch for it. Each proxy appends
 * the address it saw to X-Forwarded-For, so with N trusted proxies the Nth entry from the end is
 * the one the outermost saw; anything left of it came from the client and may be made up (the
 * same rule as Express's "trust proxy" with N hops). Only evidence: a forged one grants nothing.
 */
export function clientIp(headers: unknown, o: Pick<LinkOptions, 'clientIp' | 'proxyHops'>): string | undefined {
	if (o.clientIp === 'none') return undefined;
	if (o.clientIp === 'realIp') return header(headers, 'x-real-ip')?.trim() || undefined;
	const entries = (header(headers, 'x-forwarded-for') ?? '')
		.split(',')
		.map((e) => e.trim())
		.filter(Boolean);
	if (entries.length === 0) return undefined;
	return entries[Math.max(0, entries.length - o.proxyHops)];
}

/** The request method: the setting, else the item's own, else which Webhook output the item came from. */
function methodOf(ctx: IExecuteFunctions, item: INodeExecutionData, setting: string): string {
	if (setting !== 'auto') return setting;
	if (typeof item.json.method === 'string' && item.json.method) return item.json.method;
	let source: ReturnType<IExecuteFunctions['getInputSourceData']> | undefined;
	try {
		source = ctx.getInputSourceData(0);
	} catch {
		source = undefined; // the first node of the run: no Webhook before it
	}
	const parent = source
		? ctx.getParentNodes(ctx.getNode().name, { includeNodeParameters: true, depth: 1 }).find((p) => p.name === source.previousNode)
		: undefined;
	const methods = parent?.parameters?.httpMethod;
	// Webhook with "Allow Multiple HTTP Methods": one output per method, in the order listed.
	const output = source?.previousNodeOutput ?? 0;
	if (Array.isArray(methods) && typeof methods[output] === 'string') return methods[output] as string;
	if (typeof methods === 'string' && methods && !methods.startsWith('=')) return methods;
	throw new InvalidInput(
		`HTTP Method: cannot tell the method of this request${parent ? ` from "${parent.name}"` : ''}. Connect the Webhook node's outputs straight to this node, or set HTTP Method.`,
	);
}

/**
 * Answers each item (one per webhook call) with handleLinkRequest. `kindOf` says which link it is.
 * Outputs { status, headers, html, ...result } for Respond to Webhook.
 */
export async function answerLinkRequests(
	ctx: IExecuteFunctions,
	{ ledger, credential }: LedgerConnection,
	kindOf: (item: INodeExecutionData, itemIndex: number) => LinkKind,
	more: {
		acknowledgeErasure?: (erasure: VerifiedErasure, itemIndex: number) => Promise<'sent' | 'none'>;
		welcome?: (done: TokenActionResult, itemIndex: number) => Promise<'sent' | 'none'>;
		goodbye?: (done: TokenActionResult, token: string, itemIndex: number) => Promise<'sent' | 'none'>;
		mailPrivacyRequest?: (plan: PrivacyMailPlan, itemIndex: number) => Promise<void>;
	} = {},
): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const node = ctx.getNode();
	return await mapItems(ctx, async (i) => {
		const options = parseInput(LinkOptionsSchema, ctx.getNodeParameter('options', i, {}), `${itemLabel(i)}, options`);
		const json = items[i].json;
		const request: LinkRequest = {
			method: methodOf(ctx, items[i], ctx.getNodeParameter('method', i, 'auto') as string),
			kind: kindOf(items[i], i),
			query: isRecord(json.query) ? json.query : {},
			body: isRecord(json.body) || typeof json.body === 'string' ? (json.body as LinkRequest['body']) : undefined,
			headers: isRecord(json.headers) ? (json.headers as LinkRequest['headers']) : {},
			ip: clientIp(json.headers, options),
		};
		const response = await handleLinkRequest(ledger, request, pageOptions(credential.pages, options), {
			onError: (error) => ctx.logger.error(`Consent link page failed: ${error instanceof Error ? error.message : String(error)}`, { node: node.name }),
			...(more.acknowledgeErasure ? { acknowledgeErasure: (erasure: VerifiedErasure) => more.acknowledgeErasure!(erasure, i) } : {}),
			...(more.welcome ? { welcome: (done: TokenActionResult) => more.welcome!(done, i) } : {}),
			...(more.goodbye ? { goodbye: (done: TokenActionResult, token: string) => more.goodbye!(done, token, i) } : {}),
			...(more.mailPrivacyRequest ? { mailPrivacyRequest: (plan: PrivacyMailPlan) => more.mailPrivacyRequest!(plan, i) } : {}),
		});
		return { json: { status: response.status, headers: response.headers, html: response.html, ...(response.result as unknown as IDataObject) } };
	});
}

/** The link kind from the path the Webhook node served (its webhookUrl, or a :kind path parameter). */
export function kindFromWebhook(item: INodeExecutionData): LinkKind | undefined {
	const params = isRecord(item.json.params) ? item.json.params : {};
	for (const value of Object.values(params)) {
		const kind = typeof value === 'string' ? kindFromPath(value) : undefined;
		if (kind) return kind;
	}
	return typeof item.json.webhookUrl === 'string' ? kindFromPath(item.json.webhookUrl) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}
