import { isIP } from 'node:net';
import { z } from 'zod/v4';
import { freeText, singleLine } from '../validation';

/**
 * The evidence every event carries: who acted, through which source, what text the person saw,
 * from where. Fields marked PII are held apart and removed on erasure.
 */
export const ACTOR_KINDS = ['person', 'operator', 'system'] as const;
export const SOURCE_KINDS = ['webform', 'link', 'import', 'phone', 'portal', 'mailbox', 'form', 'api', 'cli', 'workflow'] as const;

export const EvidenceSchema = z.object({
  actor: z
    .object({
      kind: z.enum(ACTOR_KINDS),
      name: singleLine(200).optional(), // PII when the actor is the person
    })
    .default({ kind: 'system' }),
  source: z
    .object({
      kind: z.enum(SOURCE_KINDS),
      ref: singleLine(500).optional(), // webform URL or id, file name, mailbox, call id
    })
    .default({ kind: 'api' }),
  consentText: freeText(10_000).optional(),
  ip: singleLine(100)
    .refine((v) => isIP(v) !== 0, 'not an IP address')
    .optional(), // PII
  userAgent: singleLine(1000).optional(), // PII
  optinId: singleLine(200).optional(),
  description: freeText(2000).optional(), // PII: free text
  proofRef: singleLine(500).optional(), // PII: e.g. a scanned signed form's file name
  messageId: singleLine(998).optional(),
  at: z.coerce.date().optional(), // when it happened, if not now (imports of old consents)
});
export type EvidenceInput = z.input<typeof EvidenceSchema>;
export type Evidence = z.output<typeof EvidenceSchema>;

/**
 * A person acting through one of our links (the POST behind a confirm, unsubscribe, preferences or
 * erase link): the person is the actor, the link the source, the click's IP and user agent its
 * evidence. One shape wherever the click arrives: the link pages (n8n's nodes, the service) and the
 * CLI's `confirm`, which a site of one's own calls with what its page received.
 */
export function linkClickEvidence(ref: string, click: { ip?: string; userAgent?: string }): EvidenceInput {
  return {
    actor: { kind: 'person' },
    source: { kind: 'link', ref },
    ip: click.ip,
    userAgent: click.userAgent ? click.userAgent.slice(0, 1000) : undefined,
  };
}
