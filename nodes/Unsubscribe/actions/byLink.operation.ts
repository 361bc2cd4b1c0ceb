import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { InvalidInput } from '../../../core/errors';
import type { TokenActionResult } from '../../../core/ledger';
import type { LinkKind } from '../../../core/links';
import { itemLabel } from '../../shared/errors';
import { FollowUpMailer } from '../../shared/follow-up';
import type { LedgerConnection } from '../../shared/ledger-connection';
import { answerLinkRequests, kindFromWebhook, linkOptionsParameter, methodParameter, RESPOND_TO_WEBHOOK_NOTICE } from '../../shared/link-request';

const show = { operation: ['byLink'] };

export const description: INodeProperties[] = [
	{
		displayName: RESPOND_TO_WEBHOOK_NOTICE,
		name: 'notice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	},
	{
		displayName: 'Link',
		name: 'link',
		type: 'options',
		options: [
			{
				name: 'From the Webhook Path',
				value: 'fromPath',
				description: 'The path the Webhook node served ends in /unsubscribe or /preferences (or a :kind path parameter holds it)',
			},
			{ name: 'Unsubscribe', value: 'unsubscribe', description: 'The …/unsubscribe link in every mail and in its List-Unsubscribe header' },
			{ name: 'Preferences', value: 'preferences', description: 'The …/preferences link: a page to tick topics on and off' },
		],
		default: 'fromPath',
		description: 'Which link the Webhook path serves',
		displayOptions: { show },
	},
	{
		displayName: 'Send a Goodbye Mail',
		name: 'goodbye',
		type: 'boolean',
		default: false,
		displayOptions: { show },
		description:
			"Whether to mail a goodbye after an unsubscribe on the page (template 'goodbye', in the person's language, with the Consent SMTP credential). Not after a mail client's one-click (RFC 8058), never to a suppressed or erased address; it carries no List-Unsubscribe.",
	},
	{ ...methodParameter, displayOptions: { show } },
	{
		...linkOptionsParameter([
			{
				displayName: 'Ask Why They Leave',
				name: 'askLeaveReason',
				type: 'boolean',
				default: false,
				description:
					'Whether the unsubscribe page asks "why are you leaving?" (too many mails, not relevant, never signed up, other; answering is optional). Only a count per month and reason is kept, never with the person; the Consent Ledger\'s Report (Funnel) shows it.',
			},
		]),
		displayOptions: { show },
	},
];

/**
 * By link: the GET shows the unsubscribe (or preferences) page; its POST, and the RFC 8058
 * one-click POST a mail client sends to the List-Unsubscribe URL, unsubscribe.
 */
export async function execute(this: IExecuteFunctions, connection: LedgerConnection): Promise<INodeExecutionData[][]> {
	const mailer = new FollowUpMailer(this, connection);
	const goodbye = (done: TokenActionResult, token: string, i: number) => (this.getNodeParameter('goodbye', i, false) ? mailer.send('goodbye', done, i, token) : Promise.resolve('none' as const));
	try {
		return [await answerLinkRequests(this, connection, (item, i): LinkKind => {
			const setting = this.getNodeParameter('link', i, 'fromPath') as string;
			if (setting === 'unsubscribe' || setting === 'preferences') return setting;
			const kind = kindFromWebhook(item);
			if (kind === 'unsubscribe' || kind === 'preferences') return kind;
			throw new InvalidInput(
				`${itemLabel(i)}, Link: the Webhook path does not end in /unsubscribe or /preferences; set Link to Unsubscribe or Preferences.`,
			);
		}, { goodbye })];
	} finally {
		mailer.close();
	}
}
