import { NodeOperationError, type INode, type INodeExecutionData } from 'n8n-workflow';
import { ConsentError } from '../../core/errors';

/**
 * core's errors become NodeOperationError with the item they belong to (STYLE: errors). Their
 * messages already say what is wrong and how to fix it; the code goes in the description.
 */
export function nodeError(node: INode, error: unknown, itemIndex?: number): NodeOperationError {
	if (error instanceof NodeOperationError) return error;
	const where = itemIndex === undefined ? {} : { itemIndex };
	if (error instanceof ConsentError) return new NodeOperationError(node, error.message, { ...where, description: `code: ${error.code}` });
	if (error instanceof Error) return new NodeOperationError(node, error, where);
	return new NodeOperationError(node, String(error), where);
}

/** n8n's error item for "continue on fail": only `error`, so the engine can route it to the error output. */
export function errorItem(error: unknown, itemIndex: number): INodeExecutionData {
	return { json: { error: error instanceof Error ? error.message : String(error) }, pairedItem: { item: itemIndex } };
}

/** "item 3" as n8n counts items (from 0, like its own "[item 3]"). */
export function itemLabel(itemIndex: number): string {
	return `item ${itemIndex}`;
}
