import type { IExecuteFunctions, INodeExecutionData, INodeParameters, NodeParameterValueType } from 'n8n-workflow';

/**
 * Reads node parameters for every item of a run. n8n 2.40 evaluates each expression in an
 * isolate, about a millisecond per item and parameter: on a 10,000-item batch that is seconds
 * for the default `={{ $json.email }}` alone (bench/n8n.mjs: Check Opt-In on 2,000 items takes
 * ~0.13 s with this, ~2.8 s with every field reference through n8n). So, giving the values n8n
 * would give (test/nodes/parameters.test.ts runs every shape through both and compares):
 *  - a parameter without an expression has one value for all items: read once;
 *  - exactly `={{ $json.email }}` or `={{ $json["e-mail"] }}` (spaces inside the braces only;
 *    not a name every object has, such as constructor) is the item's own field, read from the item;
 *  - anything else (text around it, a path, an operator, a call, $node, $input) goes through n8n, per item.
 */
const FIELD_REFERENCE = /^=\{\{\s*\$json(?:\.([A-Za-z_$][\w$]*)|\[\s*(['"])([^'"\\]*)\2\s*\])\s*\}\}$/;

export class ItemParameters {
	private readonly constants = new Map<string, unknown>();
	private readonly fields = new Map<string, string | null>();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly items: INodeExecutionData[],
	) {}

	get<T = unknown>(name: string, itemIndex: number, fallback?: T): T {
		if (this.constants.has(name)) return this.constants.get(name) as T;
		let field = this.fields.get(name);
		if (field === undefined) {
			const raw = rawParameter(this.ctx.getNode().parameters, name);
			field = typeof raw === 'string' ? fieldReference(raw) : null;
			this.fields.set(name, field);
			if (field === null && !hasExpression(raw)) {
				const value = this.ctx.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType) as T;
				this.constants.set(name, value);
				return value;
			}
		}
		if (field !== null) {
			const json = this.items[itemIndex]?.json;
			// The item's own field; a missing one is undefined, as in n8n.
			return (json && Object.hasOwn(json, field) ? json[field] : undefined) as T;
		}
		return this.ctx.getNodeParameter(name, itemIndex, fallback as NodeParameterValueType) as T;
	}
}

/** The item field a parameter's raw value reads, when it is a plain field reference; else null (n8n evaluates it). */
export function fieldReference(raw: string): string | null {
	const match = FIELD_REFERENCE.exec(raw);
	const field = match ? (match[1] ?? match[3]) : undefined;
	// Names every object has (constructor, __proto__, toString…) are left to n8n, which guards them.
	return field !== undefined && !(field in Object.prototype) && field !== 'prototype' ? field : null;
}

function rawParameter(parameters: INodeParameters, path: string): unknown {
	let value: unknown = parameters;
	for (const key of path.split('.')) {
		if (value === null || typeof value !== 'object') return undefined;
		value = (value as Record<string, unknown>)[key];
	}
	return value;
}

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}
