import { createReadStream, statSync } from 'node:fs';
import type { Ledger } from '../core/ledger';
import { InvalidInput } from '../core/errors';
import { proveRequestSender, requestAddress } from '../core/inbox';
import type { DnsResolver, Proof } from '../core/mail/authenticity';
import { classifyRequest, type Evidence, type Intent } from '../core/mail/classify';
import { readRequestMail } from '../core/mail/request-mail';
import type { Language } from '../core/mail/vocabulary';
import { runWorker, type WorkerDeps } from './mailbox';
import { loadWorkerSettings, parseOwnAddresses } from './settings';

/**
 * The two CLI subcommands of the mail side, as functions cli/main.ts calls:
 *   n8n-consent worker [--config FILE] [--once]   runs the mailbox worker until SIGTERM/SIGINT
 *   n8n-consent classify FILE.eml [--trusted-authserv-id ID ...] [--own-address ADDR ...] [--dkim]
 *                                                 prints what the worker would make of a mail,
 *                                                 without touching any mailbox
 */
export async function runWorkerCommand(
  ledger: Ledger,
  options: { config?: string; once?: boolean; env?: NodeJS.ProcessEnv },
  deps: WorkerDeps = {},
): Promise<void> {
  const settings = loadWorkerSettings({ file: options.config, env: options.env ?? process.env });
  await runWorker(ledger, settings, deps, { once: options.once });
}

export interface FileClassification {
  intent: Intent;
  language: Language | null;
  address: string | null;
  proof: Proof;
  reason: string;
  /** Set when a person must decide before anything is done (the worker sends the mail to Review with it). */
  review: string | null;
  /** What the decision rests on: rule, part, words. */
  evidence: Evidence[];
  /** How sure the classifier is, 0..1 (below REVIEW_BELOW a person decides). */
  confidence: number;
  messageId: string;
  subject: string;
  /** How the proof was (not) reached, e.g. "dkim=fail (body hash did not verify)". */
  proofDetail: string;
}

/**
 * Classifies one .eml file: intent, language, requester, sender proof by the worker's rule. A token
 * is checked against the ledger when one is given (read only); DKIM only with `verifyDkim`, since it
 * asks DNS.
 */
export async function classifyFile(
  path: string,
  options: { ledger?: Ledger; trustedAuthservIds?: string[]; ownAddresses?: string[]; verifyDkim?: boolean; resolver?: DnsResolver } = {},
): Promise<FileClassification> {
  try {
    if (!statSync(path).isFile()) throw new Error('not a file');
  } catch (error) {
    throw new InvalidInput(`FILE.eml: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
  }
  const mail = await readRequestMail(createReadStream(path));
  const ownAddresses = parseOwnAddresses(options.ownAddresses ?? [], '--own-address');
  const c = classifyRequest(mail, { ownAddresses, trustedAuthservIds: options.trustedAuthservIds ?? [] });
  // The worker's own rule (core/inbox/prove.ts): an erase mail's token proves only its own person.
  const sender = await proveRequestSender({
    ledger: options.ledger,
    mail,
    classification: c,
    trustedAuthservIds: options.trustedAuthservIds ?? [],
    verifyDkim: options.verifyDkim ?? false,
    source: async () => createReadStream(path),
    resolver: options.resolver,
  });
  const { proof, detail: proofDetail } = sender;
  return {
    intent: c.intent,
    language: c.language,
    // The address the request is about, as the worker keeps it: a bounce's recipient, nobody for an auto-reply.
    address: requestAddress(c),
    proof,
    reason: c.reason,
    review: c.review,
    evidence: c.evidence,
    confidence: c.confidence,
    messageId: mail.messageId,
    subject: mail.subject,
    proofDetail,
  };
}
