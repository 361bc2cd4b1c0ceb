import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { IMPORT_COLUMNS, ImportEncodingSchema, importContactsCsv, type ImportReport } from '../../../core/import';
import { parseInput, singleLine } from '../../../core/validation';
import { quoteCell } from '../../../core/csv';
import { given } from '../../shared/descriptions';
import { errorItem, itemLabel, nodeError } from '../../shared/errors';
import type { LedgerConnection } from '../../shared/ledger-connection';

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
		displayName: 'Encoding',
		name: 'encoding',
		type: 'options',
		options: [
			{ name: 'Detect', value: 'auto', description: 'UTF-8 (with or without BOM); a file that is not UTF-8 is read as Windows-1252' },
			{ name: 'UTF-8', value: 'utf-8', description: 'Only UTF-8: a line that is not is reported' },
			{ name: 'Windows-1252 / Latin-1', value: 'windows-1252', description: 'What Excel on Windows saves as "CSV (comma delimited)"' },
		],
		default: 'auto',
		description: 'The character encoding of the file. A row that cannot be read in it is reported, never imported with replacement characters.',
		displayOptions: { show: { ...show, input: ['binary'] } },
	},
	{
		displayName: `Columns (fields): ${IMPORT_COLUMNS.join(', ')}. Each contact needs an email, phone or external_id. Without a status: no_mailings → unsubscribed; previously_mailed → subscribed on legitimate interest; neither → recorded without consent. Every row is reported: imported, kept, skipped, duplicate (the same person, topic and channel as an earlier row), conflict (its email, phone or external_id belong to different people), invalid (with the field), or empty; with its row number and, for a file, its line.`,
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
	// Read back by our own parser, never opened in a spreadsheet: quoted (core/csv), not neutralised,
	// so a name starting with "=" is imported as it was given.
	const cell = (value: unknown) => quoteCell(value);
	return [columns.map(cell).join(','), ...records.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n');
}

/**
 * Import: from items, one ledger import for the whole run (row n of the result is item n - 2);
 * from CSV files, one per file, read as a stream and written in batches (core/import).
 * Output: one item per row, whatever its outcome.
 */
export async function execute(this: IExecuteFunctions, { ledger }: LedgerConnection): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const input = this.getNodeParameter('input', 0) as 'items' | 'binary';
	type Batch = { items: number[]; open: () => Promise<AsyncIterable<Uint8Array> | Iterable<Uint8Array>>; encoding: string; ref: string; fromItems: boolean };
	const batches: Batch[] = [];
	const failed: INodeExecutionData[] = [];
	if (input === 'items') {
		batches.push({
			items: items.map((_, i) => i),
			open: async () => [Buffer.from(toCsv(items.map((item) => item.json)), 'utf8')],
			encoding: 'utf-8',
			ref: String(given(this.getNodeParameter('sourceRef', 0, '')) ?? 'n8n items'),
			fromItems: true,
		});
	} else {
		for (let i = 0; i < items.length; i++) {
			try {
				const field = this.getNodeParameter('binaryPropertyName', i, 'data') as string;
				const binary = this.helpers.assertBinaryData(i, field);
				const ref = String(given(this.getNodeParameter('sourceRef', i, '')) ?? binary.fileName ?? 'CSV file');
				const encoding = this.getNodeParameter('encoding', i, 'auto') as string;
				// A file kept by n8n's binary data store is streamed; one held in the item is one chunk.
				const open = async () => (binary.id ? await this.helpers.getBinaryStream(binary.id, 1 << 20) : [await this.helpers.getBinaryDataBuffer(i, field)]);
				batches.push({ items: [i], open, encoding, ref, fromItems: false });
			} catch (error) {
				if (!this.continueOnFail()) throw nodeError(node, error, i);
				failed.push(errorItem(error, i));
			}
		}
	}
	const operator = parseInput(singleLine(200), this.getNodeParameter('operator', 0, ''), 'Operator');
	const out: INodeExecutionData[] = [...failed];
	for (const batch of batches) {
		const paired = (row: number) => ({ item: batch.fromItems ? batch.items[row - 2] : batch.items[0] });
		// Items are named as n8n counts them; a file's rows by their row and line in the file.
		const name = (text: string | null) => (batch.fromItems && text ? text.replace(/\brow (\d+)(?: \(line \d+\))?/g, (_, row: string) => itemLabel(Number(row) - 2)) : text);
		const reports: ImportReport[] = [];
		try {
			if (batch.fromItems && batch.items.length === 0) continue;
			const encoding = parseInput(ImportEncodingSchema, batch.encoding, 'Encoding');
			await importContactsCsv(
				ledger,
				await batch.open(),
				{ encoding, evidence: { actor: operator ? { kind: 'operator', name: operator } : { kind: 'operator' }, source: { kind: 'import', ref: batch.ref } } },
				(report) => void reports.push(report),
			);
		} catch (error) {
			if (!this.continueOnFail()) throw nodeError(node, error, batch.items[0]);
			out.push(errorItem(error, batch.items[0]));
		}
		for (const { line, duplicateOf, ...r } of reports) {
			const where = batch.fromItems ? { item: r.row - 2 } : { row: r.row, line, file: batch.ref };
			const earlier = duplicateOf ? { duplicateOf: batch.fromItems ? { item: duplicateOf.row - 2 } : duplicateOf } : {};
			out.push({ json: { ...r, ...where, ...earlier, reason: name(r.reason) } as IDataObject, pairedItem: paired(r.row) });
		}
	}
	return [out];
}
