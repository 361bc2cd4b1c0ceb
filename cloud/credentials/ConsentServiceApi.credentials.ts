import type { IAuthenticateGeneric, Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The consent service (`n8n-consent serve`): its address and an API key made with
 * `n8n-consent keys create --scope ...`. Sent as `Authorization: Bearer <key>`.
 */
export class ConsentServiceApi implements ICredentialType {
	name = 'consentServiceApi';

	displayName = 'Consent Service API';

	documentationUrl = 'https://github.com/n8n-nodes-consent/n8n-nodes-consent/tree/main/cloud#credentials';

	icon: Icon = { light: 'file:consentService.svg', dark: 'file:consentService.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Service URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://consent.example.com',
			description: 'Where the consent service (n8n-consent serve) is reached, without /v1',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'nck_...',
			description:
				'A key made with n8n-consent keys create --scope ..., with the scopes of the operations you use: request, check, unsubscribe, erase, events',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// Any valid key passes, whatever its scopes; the answer lists them.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.url.replace(/\\/+$/, "")}}',
			url: '/v1/key',
			method: 'GET',
		},
	};
}
