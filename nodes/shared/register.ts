import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { singleLine } from '../../core/validation';

/**
 * The requests register from a node (issue 13): Erase Contact and Unsubscribe (By Address) record
 * each request they handle in the ledger's request log, as the mailbox and the CLI do.
 */

/** The Evidence collection's option naming the request a run answers (the mailbox trigger's messageId). */
export const requestIdOption: INodeProperties = {
	displayName: 'Request ID',
	name: 'requestId',
	type: 'string',
	default: '',
	description:
		"The request this answers when it is in the request log already, e.g. the Consent Mailbox Trigger's messageId: its outcome is written there. Empty: a new request is recorded, received and answered now.",
};

export const RequestIdSchema = singleLine(1000).optional();

/** Who handled a node's request: the operator named in the node, else the workflow. */
export function handledBy(fns: IExecuteFunctions, operator: string | undefined): string {
	if (operator) return operator;
	const { name, id } = fns.getWorkflow();
	return `workflow "${(name ?? id ?? 'unnamed').slice(0, 180)}"`;
}
