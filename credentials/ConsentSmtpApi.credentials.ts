import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * The SMTP server Request Consent sends its mails through. Our own type: n8n's lint
 * (no-credential-reuse) forbids a community package from using n8n's `smtp` credential.
 * Checked with zod in nodes/shared/credentials.ts; tested by consentSmtpApiTest.
 */
export class ConsentSmtpApi implements ICredentialType {
	name = 'consentSmtpApi';

	displayName = 'Consent SMTP';

	documentationUrl = 'https://github.com/n8n-nodes-consent/n8n-nodes-consent#configure';

	icon: Icon = { light: 'file:consentSmtp.svg', dark: 'file:consentSmtp.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Host',
			name: 'host',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'smtp.example.com',
			description: 'Host name of the SMTP server',
		},
		{
			displayName: 'Port',
			name: 'port',
			type: 'number',
			default: 587,
			description: '587 for STARTTLS (usual), 465 for TLS from the start, 25 between servers',
		},
		{
			displayName: 'SSL/TLS',
			name: 'secure',
			type: 'boolean',
			default: false,
			description: 'Whether to use TLS from the start (port 465). Off: STARTTLS is used when the server offers it.',
		},
		{
			displayName: 'Require STARTTLS',
			name: 'requireTls',
			type: 'boolean',
			default: true,
			description: 'Whether to refuse to send when the server does not offer STARTTLS (only when SSL/TLS is off)',
			displayOptions: { show: { secure: [false] } },
		},
		{
			displayName: 'User',
			name: 'user',
			type: 'string',
			default: '',
			description: 'Login name; leave empty for a server that needs no login',
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Password of that login',
		},
		{
			displayName: 'From',
			name: 'from',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'Voorbeeld BV <news@example.com>',
			description: 'Sender of the consent mails: an address, or a name and an address',
		},
		{
			displayName: 'Ignore Certificate Errors',
			name: 'ignoreTlsErrors',
			type: 'boolean',
			default: false,
			description: "Whether to send even when the server's certificate cannot be verified (only for a test server)",
		},
	];
}
