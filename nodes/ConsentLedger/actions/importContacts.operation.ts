import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { z } from 'zod/v4';
import { IMPORT_COLUMNS, parseContactsCsv, type ParsedImport } from '../../../core/import';
import { parseInput } from '../../../core/validation';
import { given } from '../../shared/descriptions';
import { errorItem, itemLabel, nodeError } from '../../shared/errors';
import { connectLedger } from '../../shared/ledger-connection';

const show = { resource: ['contact'], operation: ['importContacts'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Input',
		name: 'input',
		type: 'options',
		options: [
			{ name: 'Items', value: 'items', description: 'One contact per input item, its fields named like the CSV columns' },
			{ name: 'CSV File (Binary)', value: 'binary', description: 'A CSV file in a binary field, e.g. from Read Binary File or an upload' },
		],
		default: 'items',
		description: 'Where the contacts come from',
		displayOptions: { show },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		description: 'Name of the binary field that holds the CSV file',
		displayOptions: { show: { ...show, input: ['binary'] } },
	},
	{
		displayName: `Columns (fields): ${IMPORT_COLUMNS.join(', ')}. Each contact needs an email, phone or external_id. Without a status: no_mailings → unsubscribed; previously_mailed → subscribed on legitimate interest; neither → recorded without consent. Rows with a mistake are reported with their row number and not imported; the others are.`,
		name: 'columnsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Source Reference',
		name: 'sourceRef',
		type: 'string',
		default: '',
		placeholder: 'crm-export-2026-11.csv',
		description: 'What is imported (file, CRM export); kept as the source of the evidence. Default: the file name.',
		displayOptions: { show },
	},
	{
		displayName: 'Operator',
		name: 'operator',
		type: 'string',
		default: '',
		description: 'Name of the person responsible for the import, kept as evidence',
		displayOptions: { show },
	},
];

/** An item's fields as CSV cells: the import then follows the very rules of a CSV file (core/import). */
function toCsv(records: Record<string, unknown>[]): string {
	const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
	const cell = (value: unknown) => {
		const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
		return /[",\r\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
	};
	return [columns.map(cell).join(','), ...records.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n');
}

/**
 * Import: from items, one ledger import for the whole run (row n of the result is item n - 2);
 * from CSV files, one per file. Output: one item per row, invalid rows with outcome "invalid".
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const input = this.getNodeParameter('input', 0) as 'items' | 'binary';
	const batches: Array<{ items: number[]; csv: string; ref: string; fromItems: boolean }> = [];
	const failed: INodeExecutionData[] = [];
	if (input === 'items') {
		batches.push({
			items: items.map((_, i) => i),
			csv: toCsv(items.map((item) => item.json)),
			ref: String(given(this.getNodeParameter('sourceRef', 0, '')) ?? 'n8n items'),
			fromItems: true,
		});
	} else {
		for (let i = 0; i < items.length; i++) {
			try {
				const field = this.getNodeParameter('binaryPropertyName', i, 'data') as string;
				const binary = this.helpers.assertBinaryData(i, field);
				const buffer = await this.helpers.getBinaryDataBuffer(i, field);
				const ref = String(given(this.getNodeParameter('sourceRef', i, '')) ?? binary.fileName ?? 'CSV file');
				batches.push({ items: [i], csv: buffer.toString('utf8'), ref, fromItems: false });
			} catch (error) {
				if (!this.continueOnFail()) throw nodeError(node, error, i);
				failed.push(errorItem(error, i));
			}
		}
	}
	const operator = parseInput(z.string().trim().max(200), this.getNodeParameter('operator', 0, ''), 'Operator');
	const out: INodeExecutionData[] = [...failed];
	for (const batch of batches) {
		const paired = (row: number) => ({ item: batch.fromItems ? batch.items[row - 2] : batch.items[0] });
		try {
			if (batch.fromItems && batch.items.length === 0) continue;
			const parsed: ParsedImport = parseContactsCsv(batch.csv);
			const { ledger } = await connectLedger(this);
			const results = parsed.valid.length
				? await ledger.importContacts(parsed.valid, {
						actor: operator ? { kind: 'operator', name: operator } : { kind: 'operator' },
						source: { kind: 'import', ref: batch.ref },
					})
				: [];
			const rows = [...parsed.invalid.map((r) => ({ row: r.row, outcome: 'invalid', reason: r.error })), ...results].sort((a, b) => a.row - b.row);
			for (const r of rows) {
				// Items are named as n8n counts them; a file's rows by their line in the file.
				const where = batch.fromItems ? { item: r.row - 2 } : { row: r.row, file: batch.ref };
				const reason = batch.fromItems && r.reason ? r.reason.replace(/^row \d+, /, `${itemLabel(r.row - 2)}, `) : r.reason;
				out.push({ json: { ...r, ...where, reason }, pairedItem: paired(r.row) });
			}
		} catch (error) {
			if (!this.continueOnFail()) throw nodeError(node, error, batch.items[0]);
			out.push(errorItem(error, batch.items[0]));
		}
	}
	return [out];
}
