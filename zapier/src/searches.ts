import type { Bundle, ZObject } from 'zapier-platform-core';
import { CHECK_SAMPLE, check, checkFields } from './creates';

/**
 * Find Consent: the person's consent for a topic and channel, as the ledger has it. A person the
 * ledger does not know is "not found" (an empty list), so a Zap can branch on it.
 */
const findConsent = {
  key: 'find_consent',
  noun: 'Consent',
  display: { label: 'Find Consent', description: 'Finds a person\'s consent status for a topic (confirmed, pending, unsubscribed, …) and whether you may contact them.' },
  operation: {
    inputFields: checkFields,
    perform: async (z: ZObject, bundle: Bundle) => {
      const result = (await check(z, bundle)) as { subjectId: number | null; topic: string; channel: string };
      if (result.subjectId === null) return [];
      return [{ id: `${result.subjectId}:${result.topic}:${result.channel}`, ...result }];
    },
    sample: { id: '42:newsletter:email', ...CHECK_SAMPLE },
  },
};

export const searches = { [findConsent.key]: findConsent };
