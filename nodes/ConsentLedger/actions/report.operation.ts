import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';
import { funnelSvg } from '../../../core/funnel-svg';
import { FunnelOptionsSchema } from '../../../core/ledger';
import { parseInput } from '../../../core/validation';
import { errorItem, nodeError } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';

const show = { resource: ['ledger'], operation: ['report'] };
const showFunnel = { ...show, output: ['funnel'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Counts per Status', value: 'counts', description: 'One item per topic, channel and status: how many people are in it now' },
			{
				name: 'Funnel Picture and Numbers',
				value: 'funnel',
				description:
					'The consent funnel over the last weeks as an SVG picture (binary, on the first item) and its numbers as items: per campaign, per topic and channel per week, per month',
			},
		],
		default: 'counts',
		displayOptions: { show },
	},
	{
		displayName: 'Weeks',
		name: 'weeks',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: 104 },
		default: 12,
		description: 'How many weeks back the picture goes: campaigns begun in them, and allowed vs not at the end of each',
		displayOptions: { show: showFunnel },
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the binary field that receives the SVG picture',
		displayOptions: { show: showFunnel },
	},
];

const ParametersSchema = z.object({
	output: z.enum(['counts', 'funnel'], { error: 'Output: choose Counts per Status or Funnel Picture and Numbers' }).default('counts'),
	binaryPropertyName: z
		.string()
		.trim()
		.regex(/^[A-Za-z_][A-Za-z0-9_-]{0,99}$/, 'Put Output File in Field: a field name of letters, digits, _ and - (e.g. data)')
		.default('data'),
});

/**
 * Counts per topic, channel and status (one item each), or the consent funnel: its picture as an
 * SVG file on the first item (with when and how far back), then one item per number with its
 * `section`: campaign, week (per topic and channel) or month. Once per run.
 */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	try {
		const { output, binaryPropertyName } = parseInput(
			ParametersSchema,
			{ output: this.getNodeParameter('output', 0, 'counts'), binaryPropertyName: this.getNodeParameter('binaryPropertyName', 0, 'data') },
			'Report',
		);
		if (output === 'counts') {
			const counts = await ledger.report();
			return [counts.map((c) => ({ json: { ...c }, pairedItem: { item: 0 } }))];
		}
		const { weeks } = parseInput(FunnelOptionsSchema, { weeks: this.getNodeParameter('weeks', 0, 12) });
		const report = await ledger.funnel({ weeks });
		const fileName = `consent-funnel-${report.asOf.slice(0, 10)}.svg`;
		const binary = await this.helpers.prepareBinaryData(Buffer.from(funnelSvg(report), 'utf8'), fileName, 'image/svg+xml');
		const item = (json: IDataObject): INodeExecutionData => ({ json, pairedItem: { item: 0 } });
		return [
			[
				{ ...item({ section: 'picture', asOf: report.asOf, weeks: report.weeks, from: report.from, fileName, campaigns: report.campaigns.length }), binary: { [binaryPropertyName]: binary } },
				...report.campaigns.map((c) => item({ section: 'campaign', ...c })),
				...report.topics.map((t) => item({ section: 'week', ...t })),
				...report.months.map((m) => item({ section: 'month', ...m })),
			],
		];
	} catch (error) {
		if (!this.continueOnFail()) throw nodeError(this.getNode(), error);
		return [[errorItem(error, 0)]];
	}
}
