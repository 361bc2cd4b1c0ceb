import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { LEGAL_BASES } from '../../../core/consent/statuses';
import { operatorProofEvidence, operatorProofProperties } from '../../shared/descriptions';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { identityProperties, mapPeople } from '../../shared/identity';

const show = { resource: ['contact'], operation: ['setPurpose'] };

const BASIS_LABELS: Record<(typeof LEGAL_BASES)[number], string> = {
	consent: 'Consent (Art. 6(1)(a))',
	contract: 'Contract (Art. 6(1)(b))',
	legal_obligation: 'Legal Obligation (Art. 6(1)(c))',
	vital_interest: 'Vital Interest (Art. 6(1)(d))',
	public_task: 'Public Task (Art. 6(1)(e))',
	legitimate_interest: 'Legitimate Interest (Art. 6(1)(f))',
	none: 'None (Held, Not Used)',
};

export const description: INodeProperties[] = [
	...identityProperties(show),
	{
		displayName: 'Purpose',
		name: 'purpose',
		type: 'string',
		default: 'emarketing',
		placeholder: 'sales_and_service',
		description: 'Why the person is held: sales_and_service, emarketing (every topic sits under it) or one of your own (lower-case letters, digits, underscores)',
		displayOptions: { show },
	},
	{
		displayName: 'Change',
		name: 'state',
		type: 'options',
		options: [
			{ name: 'Hold on a Legal Basis', value: 'active' },
			{ name: 'Withdraw', value: 'withdrawn', description: 'Withdrawing emarketing unsubscribes every topic under it, in one event' },
		],
		default: 'active',
		displayOptions: { show },
	},
	{
		displayName: 'Legal Basis',
		name: 'basis',
		type: 'options',
		options: LEGAL_BASES.map((b) => ({ name: BASIS_LABELS[b], value: b })),
		default: 'legitimate_interest',
		description: 'GDPR Art. 6(1). A basis other than none needs proof (a proof reference or a description).',
		displayOptions: { show: { ...show, state: ['active'] } },
	},
	...operatorProofProperties(show, {
		proofPlaceholder: 'contract-2026-14.pdf',
		proofDescription: 'Where the proof of the basis is: a signed contract or form, a recorded call, a ticket',
		descriptionExample: 'signed the service contract on 21 November',
	}),
];

/** An operator sets why a person is held (a purpose on a legal basis) or withdraws it; the ledger's purposes table decides and asks for proof. */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	return [
		await mapPeople(this, async (ref, i, params) => {
			const state = params.get('state', i, 'active');
			const input = { purpose: params.get('purpose', i), state, basis: state === 'active' ? params.get('basis', i, 'legitimate_interest') : 'none' };
			const done = await ledger.setPurpose(ref, input, operatorProofEvidence(params, i, this.getNode().name));
			return { json: { ...done } };
		}),
	];
}
