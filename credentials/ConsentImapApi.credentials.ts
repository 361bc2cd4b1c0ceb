import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The privacy mailbox the Consent Mailbox Trigger reads. Our own type: n8n's lint
 * (no-credential-reuse) forbids a community package from using n8n's `imap` credential.
 * A password, or an OAuth2 access token (XOAUTH2): Microsoft 365 and Gmail refuse plain
 * passwords for many accounts. Checked with zod in nodes/shared/credentials.ts; tested by
 * consentImapApiTest, which logs in and says in words what is wrong.
 */
export class ConsentImapApi implements ICredentialType {
	name = 'consentImapApi';

	displayName = 'Consent IMAP';

	documentationUrl = 'https://github.com/n8n-nodes-consent/n8n-nodes-consent#configure';

	icon: Icon = { light: 'file:consentImap.svg', dark: 'file:consentImap.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'imap.example.com',
			description: 'Host name of the IMAP server (outlook.office365.com for Microsoft 365, imap.gmail.com for Gmail)',
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 993,
			description: '993 for TLS from the start (usual), 143 for STARTTLS',
		},
		{
			displayName: 'SSL/TLS',
			name: 'secure',
			type: 'boolean',
			default: true,
			description: 'Whether to use TLS from the start (port 993). Off: STARTTLS is used when the server offers it.',
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'privacy@example.com',
			description: 'Login name of the mailbox, usually its address',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{ name: 'Password', value: 'password', description: 'The account password, or an app password' },
				{
					name: 'OAuth2 Access Token',
					value: 'accessToken',
					description: 'A token with the IMAP scope (XOAUTH2), for Microsoft 365 and Gmail accounts that refuse passwords',
				},
			],
			default: 'password',
			description: 'How to log in',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Password of that login (for Gmail and Microsoft 365 often an app password)',
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'OAuth2 access token with the IMAP scope (https://outlook.office.com/IMAP.AccessAsUser.All or https://mail.google.com/). Such tokens expire, usually after an hour: keep this field fresh from outside, e.g. from an external secrets store.',
			displayOptions: { show: { authentication: ['accessToken'] } },
		},
		{
			displayName: 'Ignore Certificate Errors',
			name: 'ignoreTlsErrors',
			type: 'boolean',
			default: false,
			description: "Whether to connect even when the server's certificate cannot be verified (only for a test server)",
		},
	];
}
