import { Readable } from 'node:stream';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';
import { CALL_LIST_COLUMNS, callListCsv } from '../../../core/calllist';
import { TopicSchema } from '../../../core/consent/identity';
import { parseInput } from '../../../core/validation';
import { topicParameter } from '../../shared/descriptions';
import { itemLabel } from '../../shared/errors';
import { mapItems } from '../../shared/items';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { ItemParameters } from '../../shared/parameters';

const show = { resource: ['ledger'], operation: ['exportCallList'] };

export const description: INodeProperties[] = [
	{ ...topicParameter, description: 'The subscription type the calls are about, e.g. newsletter. Only people with consent to be called for it are listed.', displayOptions: { show } },
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the binary field that receives the CSV file',
		displayOptions: { show },
	},
	{
		displayName: `The CSV file has the columns ${CALL_LIST_COLUMNS.join(', ')} (CallPro's opt-in fields), one row per person the ledger allows to be called for the topic. Cells a spreadsheet would run as a formula start with a '.`,
		name: 'callListNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'call-list-newsletter.csv',
				description: 'Name of the CSV file. Default: call-list-TOPIC.csv.',
			},
			{
				displayName: 'Strict Mode',
				name: 'strict',
				type: 'boolean',
				default: false,
				description:
					"Whether only explicit consent counts, whatever the phone channel's policy in the credential. Off: the policy decides (strict for phone unless you changed it: Dutch Telecommunicatiewet).",
			},
		],
	},
];

/** n8n's binary data store takes a stream of bytes. */
async function* utf8(lines: AsyncIterable<string>): AsyncGenerator<Buffer> {
	for await (const line of lines) yield Buffer.from(line, 'utf8');
}

const OptionsSchema = z.object({
	fileName: z.string().trim().max(200).optional(),
	strict: z.boolean().optional(),
});

/**
 * Export Call List: per input item one CSV file (binary), the people that may be called for the
 * topic with CallPro's opt-in fields; the item's JSON says how many. The file is streamed into
 * n8n's binary data store (on disk when n8n keeps binary data in the filesystem).
 */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const params = new ItemParameters(this, this.getInputData());
	return [
		await mapItems(this, async (i) => {
			const topic = parseInput(TopicSchema, params.get('topic', i), `${itemLabel(i)}, topic`);
			const field = String(params.get('binaryPropertyName', i, 'data') || 'data');
			const options = parseInput(OptionsSchema, this.getNodeParameter('options', i, {}), `${itemLabel(i)}, options`);
			const fileName = options.fileName || `call-list-${topic.replace(/[^\p{L}\p{N}_.-]+/gu, '-')}.csv`;
			let people = 0;
			const lines = callListCsv(ledger, topic, { strict: options.strict ? true : undefined, counted: (n) => (people = n) });
			const binary = await this.helpers.prepareBinaryData(Readable.from(utf8(lines)), fileName, 'text/csv');
			return { json: { topic, channel: 'phone', people, fileName }, binary: { [field]: binary } };
		}),
	];
}
