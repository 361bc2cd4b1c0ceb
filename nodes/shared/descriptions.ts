import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { z } from 'zod/v4';
import type { EvidenceInput } from '../../core/consent/evidence';
import { freeText, parseInput, singleLine } from '../../core/validation';
import { itemLabel } from './errors';
import type { ItemParameters } from './parameters';

/**
 * Parameters several nodes share, so they read and explain the same everywhere. Names match the
 * fields of core's input schemas (email, phone, externalId, topic, channel), so a zod message
 * ("item 2, email: ... is not an email address") names the parameter the user fills in.
 */

export const CHANNEL_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Email', value: 'email' },
	{ name: 'Phone (Telemarketing)', value: 'phone' },
	{ name: 'SMS', value: 'sms' },
	{ name: 'Post', value: 'post' },
];

export function channelParameter(description: string): INodeProperties {
	return {
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		options: CHANNEL_OPTIONS,
		default: 'email',
		description,
	};
}

export const emailParameter: INodeProperties = {
	displayName: 'Email',
	name: 'email',
	type: 'string',
	placeholder: 'name@example.com',
	default: '={{ $json.email }}',
	description: 'Email address of the person. Leave empty when the person is known by phone or external ID only.',
	hint: 'Upper case and spaces around it do not matter: the ledger normalises addresses',
};

export const phoneParameter: INodeProperties = {
	displayName: 'Phone',
	name: 'phone',
	type: 'string',
	placeholder: '+31612345678',
	default: '',
	description: 'Phone number of the person, international (+31612345678) or Dutch (0612345678)',
};

export const externalIdParameter: INodeProperties = {
	displayName: 'External ID',
	name: 'externalId',
	type: 'string',
	placeholder: 'CRM-12345',
	default: '',
	description: "The person's ID in your CRM, to find them by it and to tell the CRM what to delete later",
};

export const subjectIdParameter: INodeProperties = {
	displayName: 'Subject ID',
	name: 'subjectId',
	type: 'string',
	default: '',
	description: "The person's ID in the ledger (subjectId in the output of the Consent nodes)",
};

export const topicParameter: INodeProperties = {
	displayName: 'Topic',
	name: 'topic',
	type: 'string',
	default: 'newsletter',
	placeholder: 'newsletter',
	description: 'The subscription type, e.g. newsletter or events. Letters, digits, spaces, - _ and .; case does not matter.',
};

export const topicsParameter: INodeProperties = {
	displayName: 'Topics',
	name: 'topics',
	type: 'string',
	default: 'newsletter',
	placeholder: 'newsletter, events',
	description: 'One or more subscription types, separated by commas',
};

/** Where the evidence of an event says it came from (core/consent/evidence SOURCE_KINDS). */
export const SOURCE_KIND_OPTIONS: INodePropertyOptions[] = [
	{ name: 'API', value: 'api' },
	{ name: 'Form (Paper or Signed)', value: 'form' },
	{ name: 'Import', value: 'import' },
	{ name: 'Link', value: 'link' },
	{ name: 'Mailbox', value: 'mailbox' },
	{ name: 'Phone Call', value: 'phone' },
	{ name: 'Portal', value: 'portal' },
	{ name: 'Webform', value: 'webform' },
	{ name: 'Workflow', value: 'workflow' },
];

/** "newsletter, events" → ['newsletter', 'events']; an array is taken as it is. */
export function splitTopics(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	return value
		.split(',')
		.map((t) => t.trim())
		.filter((t) => t !== '');
}

/** '' and null from n8n's fields mean "not given". */
export function given<T>(value: T): T | undefined {
	return value === '' || value === null ? undefined : value;
}

/** Who acted, for the evidence: the operator named in the node, else `otherwise` (an unnamed operator, or the system). */
export function operatorActor(name: string | undefined, otherwise: 'operator' | 'system' = 'operator'): EvidenceInput['actor'] {
	return name ? { kind: 'operator', name } : { kind: otherwise };
}

/**
 * An operator's manual change (Set Status, Set Purpose): where the proof is, what happened, who made
 * it. The texts that differ per operation are given; the fields, their limits and the evidence they
 * make are the same.
 */
export function operatorProofProperties(
	show: Record<string, string[]>,
	texts: { proofPlaceholder: string; proofDescription: string; descriptionExample: string },
): INodeProperties[] {
	return [
		{
			displayName: 'Proof Reference',
			name: 'proofRef',
			type: 'string',
			default: '',
			placeholder: texts.proofPlaceholder,
			description: texts.proofDescription,
			displayOptions: { show },
		},
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			typeOptions: { rows: 2 },
			default: '',
			description: `What happened, e.g. "${texts.descriptionExample}"`,
			displayOptions: { show },
		},
		{
			displayName: 'Operator',
			name: 'operator',
			type: 'string',
			default: '',
			description: 'Name of the person making the change, kept as evidence',
			displayOptions: { show },
		},
	];
}

const OperatorProofSchema = z.object({
	proofRef: singleLine(500).optional(),
	description: freeText(2000).optional(),
	operator: singleLine(200).optional(),
});

/** The evidence of an operator's manual change made in this node, from the fields above (validated). */
export function operatorProofEvidence(params: ItemParameters, i: number, nodeName: string): EvidenceInput {
	const p = parseInput(
		OperatorProofSchema,
		{ proofRef: given(params.get('proofRef', i, '')), description: given(params.get('description', i, '')), operator: given(params.get('operator', i, '')) },
		itemLabel(i),
	);
	return { actor: operatorActor(p.operator), source: { kind: 'workflow', ref: `n8n: ${nodeName}` }, proofRef: p.proofRef, description: p.description };
}
