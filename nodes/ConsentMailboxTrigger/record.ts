import { TokenRejected } from '../../core/errors';
import type { Ledger } from '../../core/ledger';
import { checkAuthenticationResults, checkDkimAlignment, type Proof, type SenderCheck } from '../../core/mail/authenticity';
import { classifyRequest, type Classification } from '../../core/mail/classify';
import { formatDetail, parseDetail, type parseRequestOptions, type RequestHooks, type RequestMailResult } from '../../core/mail/process';
import type { RequestMail } from '../../core/mail/request-mail';

/**
 * "Act Automatically" off: the mail is classified, its sender checked, and the request recorded
 * in the ledger's request log (once per Message-ID, due in a month) — nothing else. The workflow
 * decides what to do (e.g. Erase Contact, or a CRM's own unsubscribe) and nothing is answered.
 * The same contract as processRequestMail, so the mailbox worker runs either.
 */
export const LEFT_TO_WORKFLOW = 'left_to_workflow';

type Options = ReturnType<typeof parseRequestOptions>;

/** What a person has to look at goes to the review folder, as processRequestMail does. */
const OUTCOME_BY_INTENT: Record<string, string> = { unknown: 'needs_review', access: 'awaiting_operator', auto_reply: 'ignored' };
const REVIEW_OUTCOMES = new Set(['needs_review', 'awaiting_operator']);

export async function recordRequestMail(ledger: Ledger, mail: RequestMail, options: Options, hooks: RequestHooks): Promise<RequestMailResult> {
	const c = classifyRequest(mail);
	const now = ledger.clock();
	const receivedAt = hooks.receivedAt ?? (mail.date && mail.date <= now ? mail.date : now);
	const address = requestAddress(c);
	const outcome = OUTCOME_BY_INTENT[c.intent] ?? LEFT_TO_WORKFLOW;
	const sender = c.intent === 'unsubscribe' || c.intent === 'erase' ? await proveSender(ledger, mail, c, options, hooks) : undefined;
	const recorded = await ledger.recordRequest({
		messageId: mail.messageId,
		mailbox: options.mailbox,
		kind: c.intent,
		receivedAt,
		address,
		outcome,
		subjectId: sender?.subjectId ?? null,
		detail: formatDetail({ proof: sender?.proof ?? 'none', note: sender && !sender.isProven ? sender.detail : undefined }),
	});
	const row = recorded.row;
	return {
		messageId: mail.messageId,
		intent: c.intent,
		language: c.language,
		address,
		subject: mail.subject,
		proof: recorded.created ? (sender?.proof ?? 'none') : ((parseDetail(row.detail).proof as Proof | undefined) ?? 'none'),
		outcome: row.outcome,
		reason: c.reason,
		folder: REVIEW_OUTCOMES.has(row.outcome) ? 'review' : 'processed',
		isRepeat: !recorded.created,
		reply: { status: 'none', mail: null, error: null },
		isDone: true,
	};
}

/**
 * The proofs processRequestMail accepts, in its order: a valid unsubscribe token of ours (for an
 * erasure only when it belongs to the sender's own address), then a trusted Authentication-Results
 * header, then DKIM aligned with DMARC.
 */
async function proveSender(ledger: Ledger, mail: RequestMail, c: Classification, options: Options, hooks: RequestHooks): Promise<SenderCheck & { subjectId?: number }> {
	if (c.token) {
		const view = await ledger.viewToken(c.token, 'unsubscribe').catch((error: unknown) => (error instanceof TokenRejected ? undefined : Promise.reject(error)));
		const held = view?.subjectId && c.intent === 'erase' ? await ledger.export({ subjectId: view.subjectId }) : undefined;
		if (view?.subjectId && (c.intent === 'unsubscribe' || held?.subject.email === c.address)) {
			return { isProven: true, proof: 'token', detail: 'valid unsubscribe token', subjectId: view.subjectId };
		}
	}
	if (!c.address) return { isProven: false, proof: 'none', detail: 'not exactly one From address' };
	const byHeader = checkAuthenticationResults(mail.headers, c.address, options.trustedAuthservIds);
	if (byHeader.isProven || !options.verifyDkim || !hooks.source) return byHeader;
	try {
		const byDkim = await checkDkimAlignment(await hooks.source(), c.address, hooks.resolver);
		return byDkim.isProven ? byDkim : { ...byDkim, detail: `${byHeader.detail}; ${byDkim.detail}` };
	} catch (error) {
		return { isProven: false, proof: 'none', detail: `DKIM check failed: ${(error as Error).message}` };
	}
}

function requestAddress(c: Classification): string | null {
	if (c.intent === 'bounce') return (c.bounces.find((b) => b.isHard) ?? c.bounces[0])?.address ?? null;
	if (c.intent === 'auto_reply') return null;
	return c.address;
}
