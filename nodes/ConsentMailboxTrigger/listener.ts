import { NodeOperationError, type IDataObject, type INodeExecutionData, type IRun, type ITriggerFunctions } from 'n8n-workflow';
import type { Ledger } from '../../core/ledger';
import { markReplySent, processRequestMail, recordRequestMail, type parseRequestOptions, type RequestHooks, type RequestMailResult } from '../../core/inbox';
import type { RequestMail } from '../../core/mail/request-mail';
import { MailboxWorker, type HandedMail, type WorkerLogLine } from '../../worker/mailbox';
import type { WorkerSettingsInput } from '../../worker/settings';
import type { ImapCredential } from '../shared/credentials';
import { describeImapFailure, isLoginRefused } from '../shared/imap';

/**
 * The trigger's loop: the mailbox worker (worker/mailbox.ts: one IMAP connection, IDLE plus a
 * poll, the cursor in the ledger, reconnects with a doubling wait) with three hooks:
 *  - each mail is acted on by core (processRequestMail), or only recorded ("Act Automatically" off);
 *  - each batch of finished mails is emitted as one workflow run, and the worker waits for that run
 *    to end (n8n's done promise) before it marks and moves them: a mail leaves the inbox only after
 *    the ledger commit and after n8n ran the workflow on it;
 *  - every drop is said in n8n's log; a refused login is reported to n8n (emitError), which shows
 *    it on the workflow, runs the error workflow and tries to activate it again later.
 * In memory only what saves work after a drop (never needed for correctness): which mails already
 * had a successful run, and the CRM IDs of people erased by a mail whose run has not ended yet.
 */
export interface ListenerSetup {
	settings: WorkerSettingsInput;
	login: ImapCredential;
	actAutomatically: boolean;
	sendsReplies: boolean;
	moveWhen: 'executionSucceeded' | 'executionFinished' | 'emitted';
}

const RECENT_LIMIT = 1000;
const FAILED_STATUSES = new Set(['error', 'crashed', 'canceled']);

export class MailboxListener {
	private readonly worker: MailboxWorker;
	/** Message-IDs whose run ended well but that were not moved yet (a drop in between). */
	private readonly delivered = new Set<string>();
	/** CRM IDs of people erased by a mail whose run has not succeeded yet: a repeat cannot look them up. */
	private readonly erasedExternalIds = new Map<string, string[]>();
	private failures = 0;

	constructor(
		private readonly ctx: ITriggerFunctions,
		private readonly ledger: Ledger,
		private readonly setup: ListenerSetup,
	) {
		this.worker = new MailboxWorker(ledger, setup.settings, {
			log: (line) => this.log(line),
			sendReply: setup.sendsReplies ? undefined : null,
			processMail: (l, mail, options, hooks) => this.process(l, mail, options, hooks),
			onBatch: (mails, signal) => this.handOver(mails, signal),
			onDisconnected: (error, info) => this.onDisconnected(error, info),
			onFailed: (failure) => this.onFailed(failure),
		});
	}

	get mailboxKey(): string {
		return this.worker.mailboxKey;
	}

	start(): void {
		// run() rejects only in `once` mode; the loop reports its own trouble through the hooks.
		void this.worker.run();
	}

	stop(): Promise<void> {
		return this.worker.stop();
	}

	private async process(ledger: Ledger, mail: RequestMail, options: ReturnType<typeof parseRequestOptions>, hooks: RequestHooks): Promise<RequestMailResult> {
		if (!this.setup.actAutomatically) return recordRequestMail(ledger, mail, options, hooks);
		const result = await processRequestMail(ledger, mail, options, hooks);
		if (result.outcome !== 'erased') return result;
		// The erased person's CRM IDs are gone from the ledger: a repeat (the run failed) gets them from here.
		if (!result.isRepeat) remember(this.erasedExternalIds, result.messageId, result.externalIds);
		return result.isRepeat ? { ...result, externalIds: this.erasedExternalIds.get(result.messageId) ?? [] } : result;
	}

	/** One run per batch; resolves when n8n says the run ended (or the worker gives up waiting on stop). */
	private async handOver(mails: HandedMail[], signal: AbortSignal): Promise<{ keep?: number[] }> {
		const seen = new Set<string>();
		const fresh = mails.filter((m) => {
			const id = m.result.messageId;
			if (this.delivered.has(id) || seen.has(id)) return false;
			seen.add(id);
			return true;
		});
		if (fresh.length === 0) return {};
		const items = this.outputsOf(fresh.map((m) => m.result));
		const sameMessage = (m: HandedMail) => seen.has(m.result.messageId);
		if (this.setup.moveWhen === 'emitted') {
			this.ctx.emit(items);
			for (const m of fresh) remember(this.delivered, m.result.messageId);
			return {};
		}
		const done = this.ctx.helpers.createDeferredPromise<IRun>();
		this.ctx.emit(items, undefined, done);
		let run: IRun | undefined | typeof ABORTED;
		try {
			run = await Promise.race([done.promise, whenAborted(signal)]);
		} catch (error) {
			// n8n could not start the run; Engine 2.0, for one, cannot wait for a trigger's run yet.
			this.ctx.logger.error(
				`${this.who()}: n8n did not run the workflow (${(error as Error).message}); its ${fresh.length} mail(s) stay in the inbox. If n8n cannot wait for runs here, set Move Mail When to "Handed Over to the Workflow".`,
				this.meta(),
			);
			return { keep: mails.filter(sameMessage).map((m) => m.uid) };
		}
		if (run === ABORTED) {
			this.ctx.logger.info(`${this.who()}: stopped before the workflow run ended; its ${fresh.length} mail(s) stay in the inbox and come again next time`, this.meta());
			return { keep: mails.filter(sameMessage).map((m) => m.uid) };
		}
		const succeeded = run !== undefined && !run.data?.resultData?.error && !FAILED_STATUSES.has(run.status);
		if (succeeded || this.setup.moveWhen === 'executionFinished') {
			for (const m of fresh) {
				if (succeeded && m.result.reply.status === 'pending') await markReplySent(this.ledger, m.result.messageId);
				remember(this.delivered, m.result.messageId);
				this.erasedExternalIds.delete(m.result.messageId);
			}
			return {};
		}
		this.ctx.logger.warn(
			`${this.who()}: the workflow run failed; its ${fresh.length} mail(s) stay in the inbox and are emitted again (isRepeat: true) after a wait, until Max Attempts`,
			this.meta(),
		);
		return { keep: mails.filter(sameMessage).map((m) => m.uid) };
	}

	/**
	 * Output 0 (Handled): what was done. Output 1 (Review): the mails that go to the review folder,
	 * each with what the person deciding needs (core/inbox ReviewDetails: the sender's own words,
	 * why, the suggested intent, evidence, confidence, the erasure-grade proof and requestRef for
	 * the Consent Ledger's Act on Request).
	 */
	private outputsOf(results: RequestMailResult[]): INodeExecutionData[][] {
		const handled: INodeExecutionData[] = [];
		const review: INodeExecutionData[] = [];
		for (const r of results) {
			if (r.folder === 'review') review.push({ json: { ...this.itemOf(r), ...(r.review ? { ...r.review, evidence: r.review.evidence.map((e) => ({ ...e })) } : {}) } });
			else handled.push({ json: this.itemOf(r) });
		}
		return [handled, review];
	}

	/** What a builder routes on; the body of the mail is not in it. */
	private itemOf(r: RequestMailResult): IDataObject {
		const mail = r.reply.mail;
		return {
			messageId: r.messageId,
			receivedAt: r.receivedAt,
			mailbox: this.mailboxKey,
			subject: r.subject,
			address: r.address,
			language: r.language,
			intent: r.intent,
			reason: r.reason,
			proof: r.proof,
			outcome: r.outcome,
			folder: r.folder,
			isRepeat: r.isRepeat,
			subjectId: r.subjectId,
			receiptId: r.receiptId,
			externalIds: r.externalIds,
			reply: {
				status: r.reply.status,
				to: mail?.to ?? null,
				subject: mail?.subject ?? null,
				error: r.reply.error,
				...(r.reply.status === 'pending' && mail ? { mail: { ...mail, headers: { ...mail.headers } } } : {}),
			},
		};
	}

	/**
	 * A mail that could not be handled is reported to n8n as a failed execution of this workflow
	 * (shown in its executions, and n8n runs the error workflow) while the trigger goes on with the
	 * next mail: saveFailedExecution, not emitError, which would take the trigger down and start it
	 * again. The mail stays in the inbox and is tried again; its attempts are counted in the request
	 * log, and after Max Attempts it goes to the review folder.
	 */
	private onFailed(failure: { uid: number; messageId: string | null; attempts: number; maxAttempts: number; error: unknown }): void {
		const which = failure.messageId ? `the mail ${failure.messageId}` : `the mail with UID ${failure.uid}`;
		const why = (failure.error instanceof Error ? failure.error.message : String(failure.error)).slice(0, 500);
		const then =
			failure.attempts >= failure.maxAttempts
				? 'It goes to the review folder now.'
				: 'It stays in the inbox and is tried again; after Max Attempts it goes to the review folder. The mails after it go on.';
		const error = new NodeOperationError(this.ctx.getNode(), `${this.who()} could not handle ${which}: ${why}`, { description: then });
		if (typeof this.ctx.saveFailedExecution === 'function') this.ctx.saveFailedExecution(error);
		else this.ctx.emitError(error);
		// A manual run ("Test workflow") ends with that error: the trigger stops with it.
		if (this.ctx.getMode() === 'manual') void this.worker.stop();
	}

	private onDisconnected(error: unknown, info: { failures: number; retryInSeconds: number }): void {
		this.failures = info.failures;
		const words = describeImapFailure(error, this.setup.login);
		if (isLoginRefused(error)) {
			// Waiting will not fix a refused login: n8n shows it, runs the error workflow and retries activation.
			this.ctx.logger.error(`${this.who()}: ${words}`, this.meta());
			this.ctx.emitError(new NodeOperationError(this.ctx.getNode(), words));
			void this.worker.stop();
			return;
		}
		this.ctx.logger.warn(`${this.who()}: not connected to ${this.mailboxKey}: ${words} Trying again in ${info.retryInSeconds} s.`, this.meta());
	}

	private log(line: WorkerLogLine): void {
		const logger = this.ctx.logger;
		switch (line.event) {
			case 'connected':
				logger.info(`${this.who()}: connected to ${this.mailboxKey}${this.failures > 0 ? ` again after ${this.failures} failed attempt(s)` : ''}`, this.meta());
				this.failures = 0;
				return;
			case 'waiting_for_lease':
				logger.info(`${this.who()}: waiting for ${this.mailboxKey}: another mailbox worker or trigger reads it now`, this.meta());
				return;
			case 'failed':
				logger.error(`${this.who()}: mail UID ${String(line.uid)} could not be handled (attempt ${String(line.attempts)}): ${String(line.error)}`, this.meta());
				return;
			case 'handover_failed':
				logger.error(`${this.who()}: handing mails to the workflow failed: ${String(line.error)}`, this.meta());
				return;
			case 'uidvalidity_changed':
				logger.warn(`${this.who()}: the server renumbered ${this.mailboxKey} (UIDVALIDITY ${String(line.from)} → ${String(line.to)}); reading it again, requests already handled are not repeated`, this.meta());
				return;
			case 'disconnected':
				return; // said by onDisconnected, with the reason in words
			case 'stopped':
				logger.info(`${this.who()}: stopped reading ${this.mailboxKey}`, this.meta());
				return;
			default:
				logger.debug(`${this.who()}: ${JSON.stringify(line)}`, this.meta());
		}
	}

	private who(): string {
		return `Consent Mailbox Trigger "${this.ctx.getNode().name}"`;
	}

	private meta() {
		return { workflowId: this.ctx.getWorkflow().id, node: this.ctx.getNode().name };
	}
}

const ABORTED = Symbol('aborted');

function whenAborted(signal: AbortSignal): Promise<typeof ABORTED> {
	if (signal.aborted) return Promise.resolve(ABORTED);
	return new Promise((resolve) => signal.addEventListener('abort', () => resolve(ABORTED), { once: true }));
}

/** Bounded: the oldest entries go first. */
function remember<V>(store: Set<string> | Map<string, V>, key: string, value?: V): void {
	store.delete(key);
	if (store instanceof Set) store.add(key);
	else store.set(key, value as V);
	if (store.size > RECENT_LIMIT) store.delete(store.keys().next().value as string);
}
