import { NodeConnectionTypes, type INodeType, type INodeTypeDescription, type ITriggerFunctions, type ITriggerResponse } from 'n8n-workflow';
import { consentImapApiTest, consentLedgerApiTest, consentSmtpApiTest } from '../shared/credential-tests';
import { nodeError } from '../shared/errors';
import { ledgerFor } from '../shared/ledger-connection';
import { MailboxListener } from './listener';
import { triggerProperties } from './parameters';
import { readTriggerSetup } from './setup';

export class ConsentMailboxTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Consent Mailbox Trigger',
		name: 'consentMailboxTrigger',
		icon: { light: 'file:consentMailboxTrigger.svg', dark: 'file:consentMailboxTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["actAutomatically"] === false ? "record requests" : "act on requests" }}',
		description:
			'Reads the privacy mailbox: unsubscribe and erasure requests, access requests and bounces, acted on in the consent ledger; one item per mail, for your CRM, and the mails a person must decide on at Review',
		eventTriggerDescription: 'Waiting for a request mail in the privacy mailbox',
		activationMessage: 'Request mails in the privacy mailbox now start this workflow.',
		defaults: { name: 'Consent Mailbox Trigger' },
		inputs: [],
		// Review: the mails that go to the review folder, for a person to decide (Consent Ledger → Act on Request).
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Handled', 'Review'],
		credentials: [
			{ name: 'consentImapApi', required: true, testedBy: 'consentImapApiTest' },
			{ name: 'consentLedgerApi', required: true, testedBy: 'consentLedgerApiTest' },
			{
				name: 'consentSmtpApi',
				required: true,
				testedBy: 'consentSmtpApiTest',
				displayOptions: { show: { actAutomatically: [true], replies: ['smtp'] } },
			},
		],
		properties: triggerProperties,
	};

	methods = { credentialTest: { consentImapApiTest, consentLedgerApiTest, consentSmtpApiTest } };

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		let listener: MailboxListener;
		try {
			const setup = await readTriggerSetup(this);
			listener = new MailboxListener(this, await ledgerFor(setup.ledger), setup);
		} catch (error) {
			throw nodeError(this.getNode(), error);
		}
		if (this.getMode() === 'manual') {
			// A manual run replaces emit() only after trigger() returned: start from manualTriggerFunction.
			// It closes the trigger right after the first emit and announces the run's end only after
			// that close returned: so the close does not wait; the mails move once the run has ended.
			return { manualTriggerFunction: async () => listener.start(), closeFunction: async () => void listener.stop() };
		}
		listener.start();
		// Deactivation: finish the mails in hand (their run may still go on, up to a grace period).
		return { closeFunction: () => listener.stop() };
	}
}
