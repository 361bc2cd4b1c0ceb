import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { errorItem, nodeError } from './errors';

/** What became of one item: its value, or (Continue On Fail) the error item that takes its place. */
export type ItemOutcome<T> = { itemIndex: number; value: T } | { itemIndex: number; error: INodeExecutionData };

/**
 * Runs `run` for each of the items, in order. An item that throws stops the run with an error
 * naming that item; with Continue On Fail it becomes n8n's error item and the next one runs.
 */
export async function eachItem<T>(ctx: IExecuteFunctions, itemIndices: readonly number[], run: (itemIndex: number) => T | Promise<T>): Promise<Array<ItemOutcome<T>>> {
	const continueOnFail = ctx.continueOnFail();
	const outcomes: Array<ItemOutcome<T>> = [];
	for (const itemIndex of itemIndices) {
		try {
			outcomes.push({ itemIndex, value: await run(itemIndex) });
		} catch (error) {
			if (!continueOnFail) throw nodeError(ctx.getNode(), error, itemIndex);
			outcomes.push({ itemIndex, error: errorItem(error, itemIndex) });
		}
	}
	return outcomes;
}

/** The indices of the input items. */
export function inputIndices(ctx: IExecuteFunctions): number[] {
	return ctx.getInputData().map((_, i) => i);
}

/** One output item per input item: what `run` makes of it (paired with it), or its error item. */
export async function mapItems(ctx: IExecuteFunctions, run: (itemIndex: number) => Promise<INodeExecutionData>): Promise<INodeExecutionData[]> {
	const outcomes = await eachItem(ctx, inputIndices(ctx), run);
	return outcomes.map((o) => ('error' in o ? o.error : { ...o.value, pairedItem: { item: o.itemIndex } }));
}

/** The values of the items that succeeded, by item index (in item order). */
export function succeeded<T>(outcomes: Array<ItemOutcome<T>>): Map<number, T> {
	return new Map(outcomes.flatMap((o) => ('value' in o ? [[o.itemIndex, o.value] as const] : [])));
}

/** The error items of the items that failed, in item order. */
export function failures(outcomes: Array<ItemOutcome<unknown>>): INodeExecutionData[] {
	return outcomes.flatMap((o) => ('error' in o ? [o.error] : []));
}
