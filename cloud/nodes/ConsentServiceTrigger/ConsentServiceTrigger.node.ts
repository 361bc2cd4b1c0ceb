import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';
import { callService } from '../ConsentService/transport';

/** Events per call (the service allows 1 to 500) and calls per poll: a poll catches up on 2,000 at most; the rest follow on the next poll. */
const PAGE = 200;
const PAGES_PER_POLL = 10;

interface FeedPage {
	events: IDataObject[];
	next: string | null;
}

/**
 * Polls the consent service's event feed (GET /v1/events). The cursor (the last event id seen)
 * lives in the node's static data, which n8n keeps with the workflow: each event is emitted once,
 * across polls and restarts. The first poll after activation only notes where the feed ends.
 */
export class ConsentServiceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Consent Service Trigger',
		name: 'consentServiceTrigger',
		icon: { light: 'file:consentServiceTrigger.svg', dark: 'file:consentServiceTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when people confirm, unsubscribe, are erased or bounce, as recorded by the consent service',
		defaults: { name: 'Consent Service Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'consentServiceApi', required: true }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				options: [
					{ name: 'Bounced', value: 'bounced', description: 'A mail to the person bounced for good' },
					{ name: 'Confirmed', value: 'confirmed', description: 'The person confirmed (double opt-in) or gave consent' },
					{ name: 'Erased', value: 'erased', description: 'The person was erased (GDPR Art. 17); no address, the receipt ID.' },
					{ name: 'Unsubscribed', value: 'unsubscribed', description: 'The person unsubscribed from one or more topics' },
				],
				default: ['confirmed'],
				required: true,
				description: 'Which events start the workflow (the API key needs the events scope)',
			},
		],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const types = (this.getNodeParameter('events') as string[]).join(',');
		const state = this.getWorkflowStaticData('node') as { cursor?: string; types?: string };

		if (this.getMode() === 'manual') {
			// "Fetch test event": the newest one, leaving the cursor alone.
			const newest = (await callService.call(this, 'GET', '/v1/events', { qs: { types, order: 'desc', limit: 1 } })) as unknown as FeedPage;
			return newest.events.length > 0 ? [this.helpers.returnJsonArray(newest.events)] : null;
		}

		if (state.cursor === undefined) {
			// Activation: start after the newest event (of any type: a later type filter change keeps the place); '0' on an empty feed.
			const newest = (await callService.call(this, 'GET', '/v1/events', { qs: { order: 'desc', limit: 1 } })) as unknown as FeedPage;
			state.cursor = newest.events.length > 0 ? String(newest.events[0].id) : '0';
			return null;
		}

		const events: IDataObject[] = [];
		let cursor = state.cursor;
		for (let page = 0; page < PAGES_PER_POLL; page++) {
			const answer = (await callService.call(this, 'GET', '/v1/events', { qs: { after: cursor, types, order: 'asc', limit: PAGE } })) as unknown as FeedPage;
			events.push(...answer.events);
			if (answer.next) cursor = answer.next;
			if (answer.events.length < PAGE) break;
		}
		state.cursor = cursor;
		return events.length > 0 ? [this.helpers.returnJsonArray(events)] : null;
	}
}
