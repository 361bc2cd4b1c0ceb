import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

/**
 * The one way both nodes call the consent service: the credential's URL, its key as a Bearer
 * header (httpRequestWithAuthentication), and the service's own error answer
 * ({ error: { code, message } }) turned into a message that says what to do.
 */
export async function callService(
	this: IExecuteFunctions | IPollFunctions,
	method: IHttpRequestMethods,
	path: string,
	options: { body?: IDataObject; qs?: IDataObject; itemIndex?: number } = {},
): Promise<IDataObject> {
	const credentials = await this.getCredentials('consentServiceApi');
	const base = String(credentials.url ?? '').replace(/\/+$/, '');
	let response: { statusCode: number; body: unknown };
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(this, 'consentServiceApi', {
			method,
			url: `${base}${path}`,
			body: options.body,
			qs: options.qs,
			json: true,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
		})) as { statusCode: number; body: unknown };
	} catch (error) {
		throw new NodeApiError(this.getNode(), error as JsonObject, {
			message: `Could not reach the consent service at ${base || '(no Service URL)'}`,
			description: 'Check the Service URL in the Consent Service API credential and that n8n-consent serve is running there.',
			itemIndex: options.itemIndex,
		});
	}
	const body = (response.body ?? {}) as IDataObject;
	if (response.statusCode >= 200 && response.statusCode < 300) return body;
	const served = (body.error ?? {}) as IDataObject;
	const said = typeof served.message === 'string' ? served.message : `HTTP ${response.statusCode}`;
	throw new NodeApiError(this.getNode(), body as JsonObject, {
		message: `${headline(response.statusCode)}: ${said}`,
		description: hint(response.statusCode),
		httpCode: String(response.statusCode),
		itemIndex: options.itemIndex,
	});
}

function headline(status: number): string {
	if (status === 401) return 'The consent service refused the API key';
	if (status === 403) return "The API key's scopes do not allow this operation";
	if (status === 429) return 'The consent service asks to slow down';
	if (status >= 500) return 'The consent service could not answer';
	return 'The consent service refused the call';
}

function hint(status: number): string {
	if (status === 401) return 'Make a key with n8n-consent keys create --scope ... and put it in the Consent Service API credential.';
	if (status === 403) return 'Make a key that has this scope (n8n-consent keys create --scope ...) or use another credential.';
	if (status === 429) return 'Too many calls in a short time; the next run will go through.';
	if (status >= 500) return 'The service or its ledger is unavailable; try again later.';
	return 'Fix the field the message names.';
}
