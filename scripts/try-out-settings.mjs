// What the try-out fills in: the credentials the sample workflows refer to (by these ids and
// names), the sample workflow files, n8n's extra environment and the URLs `npm start` prints.
// The sample workflows hold no secrets; the try-out makes its own and keeps them in its folder.

/** The sample workflows, in the order the README walks through them. */
export const SAMPLE_WORKFLOW_FILES = [
  'workflows/webform-double-opt-in.json',
  'workflows/re-permission.json',
  'workflows/unsubscribe-and-preferences.json',
  'workflows/inbox-erasure.json',
  'workflows/privacy-request.json',
];

/** The credentials the sample workflows name. Ids are fixed so `n8n import:workflow` finds them. */
export const SAMPLE_CREDENTIALS = Object.freeze({
  ledger: { id: 'consentLedgerSmpl', name: 'Consent Ledger', type: 'consentLedgerApi' },
  smtp: { id: 'consentSmtpSample', name: 'Consent SMTP', type: 'consentSmtpApi' },
  mailbox: { id: 'consentImapSample', name: 'Privacy mailbox', type: 'consentImapApi' },
  /** n8n's own SMTP credential: the inbox-review sample mails the privacy officer with it (Send Email, send and wait). */
  officerMail: { id: 'consentOfficerMail', name: 'Officer mail (SMTP)', type: 'smtp' },
});

/** n8n's own credential types the samples use besides this package's. */
export const N8N_CREDENTIAL_TYPES = Object.freeze(new Set([SAMPLE_CREDENTIALS.officerMail.type]));

export const ORGANISATION = 'Example Shop';
export const PRIVACY_URL = 'https://example-shop.test/privacy';
export const NEWSLETTER_FROM = 'Example Shop <news@example-shop.test>';

/** The paths of the sample workflows' Form Triggers and Webhooks (below /form/ and /webhook/). */
export const SAMPLE_PATHS = Object.freeze({
  signupForm: 'signup',
  repermissionForm: 're-permission',
  /** Links in mails: <base>/confirm, /unsubscribe, /preferences, /erase (core/links.ts). */
  linkBase: 'consent',
});

/** A postgres:// URL as the Consent Ledger credential's fields. */
function postgresFields(url) {
  const u = new URL(url);
  const sslmode = u.searchParams.get('sslmode');
  return {
    store: 'postgres',
    pgHost: decodeURIComponent(u.hostname),
    pgPort: Number(u.port || 5432),
    pgDatabase: decodeURIComponent(u.pathname.replace(/^\//, '')),
    pgUser: decodeURIComponent(u.username),
    pgPassword: decodeURIComponent(u.password),
    pgSsl: sslmode === 'require' || sslmode === 'verify-full' ? sslmode : 'disable',
    pgSchema: u.searchParams.get('schema') ?? 'consent',
  };
}

/**
 * The plaintext credentials for `n8n import:credentials` (n8n encrypts them).
 * @param {{ baseUrl: string, ledger: {kind: string, path?: string, url?: string}, secret: string,
 *   sandbox: { smtp: {host: string, port: number}, imap: null | {host: string, port: number, user: string, password: string}, privacyAddress: string } }} settings
 */
export function tryOutCredentials({ baseUrl, ledger, secret, sandbox }) {
  const store = ledger.kind === 'postgres' ? postgresFields(ledger.url) : { store: 'sqlite', sqlitePath: ledger.path };
  const credentials = [
    {
      ...SAMPLE_CREDENTIALS.ledger,
      data: {
        ...store,
        secret,
        previousSecret: '',
        baseUrl: `${baseUrl}/webhook/${SAMPLE_PATHS.linkBase}`,
        organisation: ORGANISATION,
        privacyUrl: PRIVACY_URL,
        defaultLocale: 'en',
        privacyMailbox: sandbox.privacyAddress,
      },
    },
    {
      ...SAMPLE_CREDENTIALS.smtp,
      data: {
        host: sandbox.smtp.host,
        port: sandbox.smtp.port,
        secure: false,
        // The sandbox is on this machine and offers no TLS; a real server must (the default).
        requireTls: false,
        user: '',
        password: '',
        from: NEWSLETTER_FROM,
        allowUnauthorizedCerts: false,
      },
    },
    {
      ...SAMPLE_CREDENTIALS.officerMail,
      // The sandbox SMTP server again, plain (no TLS on this machine), no login.
      data: { host: sandbox.smtp.host, port: sandbox.smtp.port, secure: false, disableStartTls: true, user: '', password: '' },
    },
  ];
  if (sandbox.imap) {
    credentials.push({
      ...SAMPLE_CREDENTIALS.mailbox,
      data: {
        host: sandbox.imap.host,
        port: sandbox.imap.port,
        // The sandbox's Dovecot is on this machine and speaks plain IMAP; a real mailbox uses TLS.
        secure: false,
        user: sandbox.imap.user,
        authentication: 'password',
        password: sandbox.imap.password,
        accessToken: '',
        ignoreTlsErrors: false,
      },
    });
  }
  return credentials;
}

/** Whether a workflow reads the privacy mailbox (a node with the Consent IMAP credential). */
export function readsPrivacyMailbox(workflow) {
  return (workflow.nodes ?? []).some((node) => node.credentials?.[SAMPLE_CREDENTIALS.mailbox.type]);
}

/**
 * What the try-out changes in a sample before importing it. The inbox samples ship with
 * no trusted authserv-id (a name a sender could write would let anyone erase anyone); here the
 * sandbox plays the organisation's border mail server, so its name is trusted, and DKIM is not
 * checked by DNS (the try-out is offline; the sandbox has checked the sender).
 */
export function localiseWorkflow(workflow, { sandbox }) {
  if (workflow.id !== 'consentInboxErasure' && workflow.id !== 'consentInboxReview') return workflow;
  return {
    ...workflow,
    nodes: workflow.nodes.map((node) =>
      node.type.endsWith('.consentMailboxTrigger')
        ? {
            ...node,
            parameters: {
              ...node.parameters,
              options: { ...node.parameters.options, trustedAuthservIds: sandbox.authservId, verifyDkim: false, pollSeconds: 5, retrySeconds: 2 },
            },
          }
        : node,
    ),
  };
}

export const TRYOUT_SETTINGS = Object.freeze({
  /** Extra environment for n8n in the try-out. */
  n8nEnv: () => ({}),
  urls: ({ baseUrl }) => ({
    signupForm: `${baseUrl}/form/${SAMPLE_PATHS.signupForm}`,
    repermissionForm: `${baseUrl}/form/${SAMPLE_PATHS.repermissionForm}`,
    privacyRequest: `${baseUrl}/webhook/${SAMPLE_PATHS.linkBase}/privacy`,
  }),
});
