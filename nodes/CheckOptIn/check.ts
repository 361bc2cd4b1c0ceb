import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { CheckItemSchema, type CheckResult } from '../../core/ledger';
import type { PurposeCheckResult } from '../../core/ledger/purposes';
import { parseInput } from '../../core/validation';
import { given } from '../shared/descriptions';
import { errorItem, itemLabel, nodeError } from '../shared/errors';
import type { LedgerConnection } from '../shared/ledger-connection';
import { eachItem, inputIndices, succeeded } from '../shared/items';
import { ItemParameters } from '../shared/parameters';

/** Check Opt-in: one ledger.check for all items of the run; Allowed is output 0, Denied output 1. */
export async function checkOptIn(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const continueOnFail = this.continueOnFail();
	const params = new ItemParameters(this, items);
	const options = this.getNodeParameter('options', 0, {}) as { strict?: boolean; resultField?: string; purpose?: string };
	const purpose = options.purpose?.trim() || undefined;
	const resultField = options.resultField?.trim() || 'consent';

	// Per item: its parsed check, or the error item that takes its place.
	const outcome = await eachItem(this, inputIndices(this), (i) =>
		parseInput(
			CheckItemSchema,
			{
				email: given(params.get('email', i)),
				phone: given(params.get('phone', i)),
				externalId: given(params.get('externalId', i)),
				topic: given(params.get('topic', i)),
				channel: params.get('channel', i),
			},
			itemLabel(i),
		),
	);

	const checks = [...succeeded(outcome).values()];
	let results: (CheckResult | PurposeCheckResult)[];
	try {
		const strict = options.strict ? true : undefined;
		if (checks.length === 0) results = [];
		// A purpose (why the person is held) instead of a topic: the same two outputs.
		else if (purpose) results = await ledger.checkPurposes(checks, purpose, { strict });
		else results = await ledger.check(checks, { strict });
	} catch (error) {
		if (!continueOnFail) throw nodeError(node, error);
		return [[], items.map((_, i) => errorItem(error, i))];
	}

	const allowed: INodeExecutionData[] = [];
	const denied: INodeExecutionData[] = [];
	let next = 0;
	outcome.forEach((o, i) => {
		if ('error' in o) {
			// Never Allowed: an item that could not be checked must not be contacted.
			denied.push(o.error);
			return;
		}
		const { index: _index, ...result } = results[next++];
		const out: INodeExecutionData = { json: { ...items[i].json, [resultField]: { ...result } }, pairedItem: { item: i } };
		if (items[i].binary) out.binary = items[i].binary;
		(result.allowed ? allowed : denied).push(out);
	});
	return [allowed, denied];
}
