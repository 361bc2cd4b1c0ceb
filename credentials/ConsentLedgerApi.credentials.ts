import type { ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

/**
 * Where the consent ledger lives and what its links and pages say. One credential per ledger:
 * every Consent node that uses it shares one connection per n8n process (nodes/shared).
 * The values are checked with zod in nodes/shared/credentials.ts; the test button runs
 * consentLedgerApiTest (nodes/shared/credential-tests.ts), which every node offers via testedBy.
 */
export class ConsentLedgerApi implements ICredentialType {
	name = 'consentLedgerApi';

	displayName = 'Consent Ledger API';

	documentationUrl = 'https://github.com/n8n-nodes-consent/n8n-nodes-consent#configure';

	icon: Icon = { light: 'file:consentLedger.svg', dark: 'file:consentLedger.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Store',
			name: 'store',
			type: 'options',
			options: [
				{
					name: 'SQLite File (Embedded)',
					value: 'sqlite',
					description: 'One file on this machine: for one n8n instance (not for queue mode)',
				},
				{
					name: 'PostgreSQL',
					value: 'postgres',
					description: 'A shared database: for queue mode, several n8n instances or machines, or the mailbox worker elsewhere',
				},
			],
			default: 'sqlite',
			description: 'Where the ledger keeps consents, evidence and link tokens',
		},
		{
			displayName: 'SQLite File',
			name: 'sqlitePath',
			type: 'string',
			default: 'consent-ledger.sqlite',
			placeholder: 'consent-ledger.sqlite',
			description:
				"Path of the ledger file. A relative path is inside n8n's folder (~/.n8n, or $N8N_USER_FOLDER/.n8n); ~/ is the home folder. Created on first use.",
			hint: 'Back this file up with n8n\'s own data. In queue mode use PostgreSQL instead.',
			displayOptions: { show: { store: ['sqlite'] } },
		},
		{
			displayName: 'Host',
			name: 'pgHost',
			type: 'string',
			default: 'localhost',
			description: 'Host name or address of the PostgreSQL server',
			displayOptions: { show: { store: ['postgres'] } },
		},
		{
			displayName: 'Port',
			name: 'pgPort',
			type: 'number',
			default: 5432,
			description: 'TCP port of the PostgreSQL server',
			displayOptions: { show: { store: ['postgres'] } },
		},
		{
			displayName: 'Database',
			name: 'pgDatabase',
			type: 'string',
			default: '',
			placeholder: 'consent',
			description: 'Name of the database that holds the ledger',
			displayOptions: { show: { store: ['postgres'] } },
		},
		{
			displayName: 'User',
			name: 'pgUser',
			type: 'string',
			default: '',
			description: 'Database user; it needs to create tables in the schema below on first use',
			displayOptions: { show: { store: ['postgres'] } },
		},
		{
			displayName: 'Password',
			name: 'pgPassword',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Password of the database user',
			displayOptions: { show: { store: ['postgres'] } },
		},
		{
			displayName: 'SSL',
			name: 'pgSsl',
			type: 'options',
			options: [
				{ name: 'Disable', value: 'disable', description: 'No encryption (only on a private network)' },
				{ name: 'Require', value: 'require', description: 'Encrypted; the certificate is not checked' },
				{ name: 'Verify Full', value: 'verify-full', description: 'Encrypted; certificate and host name are checked' },
			],
			default: 'disable',
			description: 'Whether and how to encrypt the connection',
			displayOptions: { show: { store: ['postgres'] } },
		},
		{
			displayName: 'CA Certificate',
			name: 'pgCa',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '-----BEGIN CERTIFICATE-----',
			description: 'PEM of the certificate authority that signed the server certificate, when it is not a public one',
			displayOptions: { show: { store: ['postgres'], pgSsl: ['verify-full'] } },
		},
		{
			displayName: 'Schema',
			name: 'pgSchema',
			type: 'string',
			default: 'consent',
			description: 'PostgreSQL schema that holds the ledger tables; created on first use',
			displayOptions: { show: { store: ['postgres'] } },
		},
		{
			displayName: 'Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Signs the links in mails and protects the erasure records. At least 32 characters; make one with: openssl rand -base64 32. Keep it: a new secret cannot read this ledger.',
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'While rotating: the old secret. Links signed with it keep working until they expire; clear it once those have expired.',
		},
		{
			displayName: 'Public Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://n8n.example.com/webhook/consent',
			description:
				"Where the links in mails point: n8n's webhook URL plus the path your Webhook nodes use. Links end in /confirm, /unsubscribe, /preferences or /erase below it.",
		},
		{
			displayName: 'Organisation',
			name: 'organisation',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'Voorbeeld BV',
			description: 'Your organisation name, as shown in mails and on the confirmation and unsubscribe pages',
		},
		{
			displayName: 'Privacy Policy URL',
			name: 'privacyUrl',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'https://example.com/privacy',
			description: 'Linked from every page and mail',
		},
		{
			displayName: 'Default Language',
			name: 'defaultLocale',
			type: 'options',
			options: [
				{ name: 'Dutch', value: 'nl' },
				{ name: 'English', value: 'en' },
			],
			default: 'nl',
			description: "Language of mails and pages when the ledger does not know the person's own",
		},
		{
			displayName: 'Privacy Mailbox',
			name: 'privacyMailbox',
			type: 'string',
			default: '',
			placeholder: 'privacy@example.com',
			description:
				'Optional. The mailbox that takes unsubscribe requests by mail: added to List-Unsubscribe as a mailto link next to the https link (RFC 2369, RFC 8058).',
		},
	];
}
