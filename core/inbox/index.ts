/**
 * The inbox: the use cases of a mail to the privacy mailbox, on the Ledger façade and core/mail
 * (compose, classify, parse, authenticity, dsn). record.ts runs one mail (act and answer, or record
 * only), prove.ts is the one erasure proof rule, act.ts acts per intent, answer.ts replies,
 * repeat.ts handles a Message-ID seen before, review.ts carries out a person's decision on a mail
 * that went to review. The worker, the n8n trigger and `n8n-consent classify`
 * come in here.
 */
export { erasureAcknowledgement, markReplySent, privacyRequestMail } from './answer';
export { parseRequestOptions, RequestOptionsSchema, toRequestMail } from './options';
export type { Folder, ReplyRecord, ReplyStatus, RequestHooks, RequestMailResult, RequestOptions, ReviewDetails } from './options';
export { proveRequestSender } from './prove';
export type { ProofInput, SenderProof } from './prove';
export { giveUpRequestMail, LEFT_TO_WORKFLOW, processRequestMail, recordRequestMail } from './record';
export { GAVE_UP, requestAddress } from './context';
export { actOnRequest, REVIEW_DECISIONS, ReviewDecisionSchema, ReplyOptionsSchema } from './review';
export type { ActOnRequestOptions, ReplyOptions, ReviewDecision, ReviewDecisionInput, ReviewDecisionResult } from './review';
