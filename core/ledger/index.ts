import { type Clock, systemClock } from '../clock';
import { SubjectRefSchema } from '../consent/identity';
import type { StoreConfig } from '../store/open';
import type { MailboxLease, Store } from '../store/store';
import * as check from './check';
import { LedgerContext } from './context';
import * as due from './due';
import * as erasure from './erasure';
import * as access from './access';
import * as apiKeys from './api-keys';
import * as exporting from './export';
import * as privacy from './privacy';
import * as feed from './feed';
import * as hooks from './hooks';
import * as followUp from './follow-up';
import * as funnel from './funnel';
import * as importing from './import';
import * as leaveReasons from './leave-reasons';
import * as links from './links';
import { failedOpeningStore, openStoreFor } from './open';
import * as purposes from './purposes';
import * as register from './register';
import * as request from './request';
import * as requestLog from './request-log';
import * as retention from './retention';
import * as selfService from './self-service';
import type { LedgerSettings } from './schemas';
import * as status from './status';

export * from './schemas';
export { FunnelOptionsSchema, type CampaignFunnel, type FunnelMonth, type FunnelOptions, type FunnelReport, type TopicWeek } from './funnel';
export type { AccessEvidence, AccessLink, AccessPackage } from './access';
export type { FollowUpRecipient } from './follow-up';
export { isLeaveReason, LEAVE_REASONS, type LeaveReason } from './leave-reasons';
export { PRIVACY_CHOICES, PRIVACY_LINK_DAYS, type PrivacyChoice, type PrivacyDone, type PrivacyMailPlan, type PrivacySubmission } from './privacy';
export { FEED_MAX_LIMIT, FEED_TYPES, FeedQuerySchema, type FeedEvent, type FeedPage, type FeedType } from './feed';
export { HookCreateSchema, signHookBody, type HookInfo, type StoredHook } from './hooks';
export { API_SCOPES, ApiKeyCreateSchema, type ApiKeyCreate, type ApiKeyInfo, type ApiScope } from './api-keys';
export { FINAL_OUTCOMES, REGISTER_KINDS, REQUEST_CHANNELS, RequestFilterSchema, type RegisterEntry, type RequestFilter } from './register';
export { failedOpeningStore, SubjectRefSchema };
export { HOLDS_ENDING_WITHIN_DAYS, MaintainOptionsSchema, PURGE_AFTER_DAYS, type EndingHold, type MaintainOptions, type MaintainResult } from './retention';
export { IN_FLIGHT_MINUTES, type RequestOptions } from './request';
export type { MailboxLease, StoreConfig };

/** What a face (CLI, worker, nodes, credential test) needs to open a ledger. */
export interface LedgerConfig {
  /** Which database: the SQLite file or the PostgreSQL server (validated; a wrong field is named). */
  store: StoreConfig;
  settings: LedgerSettings;
  clock?: Clock;
}

export interface OpenedLedger {
  ledger: Ledger;
  /** True when this open set up a new, empty ledger (its suppression key was made now). */
  isNewLedger: boolean;
}

/** A use case's arguments after the shared context. */
type Args<F> = F extends (ctx: LedgerContext, ...rest: infer A) => unknown ? A : never;

/**
 * The ledger: the one façade that nodes, the CLI and the mailbox worker call. It owns the rules
 * (through the transition table and decide), the evidence and the tokens; the Store owns the SQL.
 * Batch methods take already validated items (see the *Schema exports) and run in one transaction.
 * Each method hands its work to the use case's own file in core/ledger/, with the shared context.
 */
export class Ledger {
  /**
   * The one way a face reaches a ledger: opens the store, builds the ledger and checks the secret
   * against it. On any failure the store is closed again (no pool connection is left open).
   */
  static async open(config: LedgerConfig): Promise<OpenedLedger> {
    const store = await openStoreFor(config.store);
    try {
      const ledger = new Ledger(store, config.settings, config.clock);
      const { isNewLedger } = await ledger.verifySecret();
      return { ledger, isNewLedger };
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
  }

  private readonly ctx: LedgerContext;

  constructor(store: Store, settings: LedgerSettings, clock: Clock = systemClock) {
    this.ctx = new LedgerContext(store, settings, clock);
  }

  get store(): Store {
    return this.ctx.store;
  }
  get settings(): LedgerContext['settings'] {
    return this.ctx.settings;
  }
  get clock(): Clock {
    return this.ctx.clock;
  }
  /** Which database holds this ledger. */
  get dialect(): Store['dialect'] {
    return this.ctx.store.dialect;
  }

  close(): Promise<void> {
    return this.ctx.store.close();
  }

  /**
   * Runs several ledger calls as one transaction (core/store/joined.ts): all of them commit, or
   * none. `fn` must have no effect outside the ledger: a PostgreSQL transaction that lost a race
   * runs again from the start. Used for a request mail: record it, act on it, write its outcome.
   */
  async atomically<T>(fn: () => Promise<T>): Promise<T> {
    // The suppression key is made and cached by a transaction of its own, never inside this one.
    await this.ctx.loadSuppressionKey();
    return this.ctx.store.transaction(() => fn());
  }

  /** How the replies to several request mails went (the inbox's recordReply hook), in one transaction. */
  recordReplies(records: ReadonlyArray<{ messageId: string; detail: string }>): Promise<void> {
    return this.atomically(async () => {
      for (const r of records) await this.updateRequest(r.messageId, { detail: r.detail });
    });
  }

  /** Checks the secret against this ledger (Ledger.open calls it). */
  async verifySecret(): Promise<{ isNewLedger: boolean }> {
    return { isNewLedger: (await this.ctx.openSuppressionKey()).isNew };
  }

  // request.ts: a signup or a campaign
  request(...a: Args<typeof request.request>) { return request.request(this.ctx, ...a); }

  // links.ts: what a person's link does
  checkLink(...a: Args<typeof links.checkLink>) { return links.checkLink(this.ctx, ...a); }
  viewToken(...a: Args<typeof links.viewToken>) { return links.viewToken(this.ctx, ...a); }
  confirm(...a: Args<typeof links.confirm>) { return links.confirm(this.ctx, ...a); }
  unsubscribeByToken(...a: Args<typeof links.unsubscribeByToken>) { return links.unsubscribeByToken(this.ctx, ...a); }
  preferences(...a: Args<typeof links.preferences>) { return links.preferences(this.ctx, ...a); }
  setPreferences(...a: Args<typeof links.setPreferences>) { return links.setPreferences(this.ctx, ...a); }

  // check.ts
  check(...a: Args<typeof check.check>) { return check.check(this.ctx, ...a); }

  // due.ts: reminders and expiry
  remind(...a: Args<typeof due.remind>) { return due.remind(this.ctx, ...a); }
  expire(...a: Args<typeof due.expire>) { return due.expire(this.ctx, ...a); }

  // import.ts
  importContacts(...a: Args<typeof importing.importContacts>) { return importing.importContacts(this.ctx, ...a); }

  // status.ts: trusted status changes
  setStatus(...a: Args<typeof status.setStatus>) { return status.setStatus(this.ctx, ...a); }
  bounce(...a: Args<typeof status.bounce>) { return status.bounce(this.ctx, ...a); }
  unsubscribeByRef(...a: Args<typeof status.unsubscribeByRef>) { return status.unsubscribeByRef(this.ctx, ...a); }

  // purposes.ts: why a person is held, on which legal basis
  setPurpose(...a: Args<typeof purposes.setPurpose>) { return purposes.setPurpose(this.ctx, ...a); }
  purposeReport() { return purposes.purposeReport(this.ctx); }
  checkPurposes(...a: Args<typeof purposes.checkPurposes>) { return purposes.checkPurposes(this.ctx, ...a); }

  // erasure.ts: erasure, holds, suppressions, the verification link
  erase(...a: Args<typeof erasure.erase>) { return erasure.erase(this.ctx, ...a); }
  hold(...a: Args<typeof erasure.hold>) { return erasure.hold(this.ctx, ...a); }
  releaseHold(...a: Args<typeof erasure.releaseHold>) { return erasure.releaseHold(this.ctx, ...a); }
  endHolds(...a: Args<typeof erasure.endHolds>) { return erasure.endHolds(this.ctx, ...a); }
  /** retention.ts: the daily maintenance: holds that ended, the purge of unconfirmed signups and expired invitations, holds that end soon. */
  maintain(...a: Args<typeof retention.maintain>) { return retention.maintain(this.ctx, ...a); }
  unsuppress(...a: Args<typeof erasure.unsuppress>) { return erasure.unsuppress(this.ctx, ...a); }
  issueEraseVerification(...a: Args<typeof erasure.issueEraseVerification>) { return erasure.issueEraseVerification(this.ctx, ...a); }
  completeEraseVerification(...a: Args<typeof erasure.completeEraseVerification>) { return erasure.completeEraseVerification(this.ctx, ...a); }

  // access.ts: the right of access (GDPR Art. 15): the link and the package behind it
  issueAccessLink(...a: Args<typeof access.issueAccessLink>) { return access.issueAccessLink(this.ctx, ...a); }
  accessPackage(...a: Args<typeof access.accessPackage>) { return access.accessPackage(this.ctx, ...a); }

  // self-service.ts: the preferences page's "download my data" and "erase my data"
  accessByLink(...a: Args<typeof selfService.accessByLink>) { return selfService.accessByLink(this.ctx, ...a); }
  eraseByLink(...a: Args<typeof selfService.eraseByLink>) { return selfService.eraseByLink(this.ctx, ...a); }
  // privacy.ts: the privacy request form (see, erase, stop all mail) and its confirmation link
  submitPrivacyRequest(...a: Args<typeof privacy.submitPrivacyRequest>) { return privacy.submitPrivacyRequest(this.ctx, ...a); }
  viewPrivacyRequest(...a: Args<typeof privacy.viewPrivacyRequest>) { return privacy.viewPrivacyRequest(this.ctx, ...a); }
  completePrivacyRequest(...a: Args<typeof privacy.completePrivacyRequest>) { return privacy.completePrivacyRequest(this.ctx, ...a); }

  // follow-up.ts: who gets the optional welcome and goodbye mails, with which link
  followUpRecipient(...a: Args<typeof followUp.followUpRecipient>) { return followUp.followUpRecipient(this.ctx, ...a); }

  // api-keys.ts: the consent service's API keys (stored hashed in the meta table)
  createApiKey(...a: Args<typeof apiKeys.createApiKey>) { return apiKeys.createApiKey(this.ctx, ...a); }
  listApiKeys() { return apiKeys.listApiKeys(this.ctx); }
  revokeApiKey(...a: Args<typeof apiKeys.revokeApiKey>) { return apiKeys.revokeApiKey(this.ctx, ...a); }
  verifyApiKey(...a: Args<typeof apiKeys.verifyApiKey>) { return apiKeys.verifyApiKey(this.ctx, ...a); }

  // The consent service's event feed and REST hooks
  listFeed(...a: Args<typeof feed.listFeed>) { return feed.listFeed(this.ctx, ...a); }
  createHook(...a: Args<typeof hooks.createHook>) { return hooks.createHook(this.ctx, ...a); }
  listHooks() { return hooks.listHooks(this.ctx); }
  deleteHook(...a: Args<typeof hooks.deleteHook>) { return hooks.deleteHook(this.ctx, ...a); }
  updateHook(...a: Args<typeof hooks.updateHook>) { return hooks.updateHook(this.ctx, ...a); }
  hookSecret(id: string) { return hooks.hookSecret(this.ctx, id); }

  // export.ts: reading out
  export(...a: Args<typeof exporting.exportSubject>) { return exporting.exportSubject(this.ctx, ...a); }
  report() { return exporting.report(this.ctx); }
  /** The consent funnel over time (funnel.ts): campaigns, topics per week, erasures and requests per month. */
  funnel(...a: Args<typeof funnel.funnelReport>) { return funnel.funnelReport(this.ctx, ...a); }
  /** leave-reasons.ts: one "why are you leaving?" answer, counted per month without the person. */
  countLeaveReason(...a: Args<typeof leaveReasons.countLeaveReason>) { return leaveReasons.countLeaveReason(this.ctx, ...a); }
  subjectIdsWithEmail(...a: Args<typeof exporting.subjectIdsWithEmail>) { return exporting.subjectIdsWithEmail(this.ctx, ...a); }
  phoneSubjects(...a: Args<typeof exporting.phoneSubjects>) { return exporting.phoneSubjects(this.ctx, ...a); }
  recordMessages(...a: Args<typeof exporting.recordMessages>) { return exporting.recordMessages(this.ctx, ...a); }
  findMessage(...a: Args<typeof exporting.findMessage>) { return exporting.findMessage(this.ctx, ...a); }

  // register.ts: the requests register (every channel; due in a month, extended once, closed by hand)
  listRequests(...a: Args<typeof register.listRequests>) { return register.listRequests(this.ctx, ...a); }
  recordHandledRequest(...a: Args<typeof register.recordHandledRequest>) { return register.recordHandledRequest(this.ctx, ...a); }
  addRequest(...a: Args<typeof register.addRequest>) { return register.addRequest(this.ctx, ...a); }
  extendRequest(...a: Args<typeof register.extendRequest>) { return register.extendRequest(this.ctx, ...a); }
  closeRequest(...a: Args<typeof register.closeRequest>) { return register.closeRequest(this.ctx, ...a); }

  // request-log.ts: the mailbox's requests, cursor and lease
  recordRequest(...a: Args<typeof requestLog.recordRequest>) { return requestLog.recordRequest(this.ctx, ...a); }
  updateRequest(...a: Args<typeof requestLog.updateRequest>) { return requestLog.updateRequest(this.ctx, ...a); }
  findRequest(...a: Args<typeof requestLog.findRequest>) { return requestLog.findRequest(this.ctx, ...a); }
  countRequestAttempt(...a: Args<typeof requestLog.countRequestAttempt>) { return requestLog.countRequestAttempt(this.ctx, ...a); }
  mailboxState(...a: Args<typeof requestLog.mailboxState>) { return requestLog.mailboxState(this.ctx, ...a); }
  saveMailboxState(...a: Args<typeof requestLog.saveMailboxState>) { return requestLog.saveMailboxState(this.ctx, ...a); }
  acquireMailboxLease(...a: Args<typeof requestLog.acquireMailboxLease>) { return requestLog.acquireMailboxLease(this.ctx, ...a); }
}
