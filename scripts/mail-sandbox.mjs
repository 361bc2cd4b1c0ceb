#!/usr/bin/env node
// The mail sandbox of `npm start` and the end-to-end tests: everything mail that a try-out needs,
// on 127.0.0.1 only, with nothing leaving the machine.
//
//  - an SMTP server (smtp-server) that keeps every mail it is given, as .eml files in its folder;
//  - a private Dovecot (when installed) holding the organisation's privacy mailbox: mail for that
//    address is delivered into it over LMTP, like a real delivery, so the Consent Mailbox Trigger
//    has an IMAP mailbox to watch;
//  - an inbox page where a person reads the mails and clicks their links, presses a mail client's
//    one-click unsubscribe (RFC 8058), and writes to the privacy mailbox. Everything it shows is
//    escaped; it runs no script. A JSON API beside it serves the tests.
//
// As a library: import { startMailSandbox } from './mail-sandbox.mjs'.
// As a command (for jest, which cannot import ESM): options as one JSON argument, e.g.
//   node scripts/mail-sandbox.mjs serve '{"dir": "/tmp/sandbox", "dovecot": "auto"}'
// prints one JSON line (ports, URLs, the mailbox login) once everything listens, and runs until
// SIGTERM/SIGINT or until its stdin closes.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { findDovecot, INSTALL_HINT, startDovecot, whyDovecotFailed } from './dovecot.cjs';
import { LOOPBACK } from './ports.cjs';
import { stopOnSignalOrEndOfInput } from './serve.mjs';

export const SANDBOX_DEFAULTS = Object.freeze({
  /** The organisation's privacy mailbox: mail to it goes into Dovecot. */
  privacyAddress: 'privacy@example-shop.test',
  /** The authserv-id this sandbox writes into Authentication-Results (RFC 8601), as a border mail server does. */
  authservId: 'mail-sandbox.example-shop.test',
});

function logStep(message) {
  process.stderr.write(`[mail-sandbox] ${message}\n`);
}

// ---------------------------------------------------------------------------------- the mail kept

/**
 * The mails the sandbox was given, kept as <n>.eml with a <n>.json beside it (envelope, when, where
 * delivered), so a second start of the try-out shows them again.
 */
class MailStore {
  constructor(dir) {
    this.dir = dir;
    this.mails = [];
    this.waiters = new Set();
    fs.mkdirSync(dir, { recursive: true });
  }

  async load() {
    const ids = fs
      .readdirSync(this.dir)
      .filter((f) => /^\d+\.json$/.test(f))
      .map((f) => Number(f.slice(0, -5)))
      .sort((a, b) => a - b);
    for (const id of ids) {
      try {
        const meta = JSON.parse(fs.readFileSync(path.join(this.dir, `${id}.json`), 'utf8'));
        const raw = fs.readFileSync(path.join(this.dir, `${id}.eml`));
        this.mails.push(await describeMail(id, raw, meta));
      } catch {
        // A half-written pair from an interrupted run: leave it out.
      }
    }
  }

  // Taken before add() awaits the parser: mails that arrive together (n8n workers sending at once)
  // must not get the same id, nor write over each other's files.
  nextId() {
    this.lastId = this.mails.reduce((max, m) => Math.max(max, m.id), this.lastId ?? 0) + 1;
    return this.lastId;
  }

  async add(raw, meta) {
    const id = this.nextId();
    const mail = await describeMail(id, raw, meta);
    this.mails.push(mail);
    fs.writeFileSync(path.join(this.dir, `${id}.eml`), raw);
    fs.writeFileSync(path.join(this.dir, `${id}.json`), JSON.stringify(meta, null, 2));
    for (const waiter of this.waiters) waiter();
    return mail;
  }

  get(id) {
    return this.mails.find((m) => m.id === id);
  }

  /** Resolves when a mail matching `predicate` is there (or already was). */
  waitFor(predicate, timeoutMs) {
    const found = this.mails.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const mail = this.mails.find(predicate);
        if (!mail) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(mail);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`no such mail arrived within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }
}

async function describeMail(id, raw, meta) {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const headers = {};
  for (const line of parsed.headerLines) {
    const name = line.key.toLowerCase();
    const value = line.line.slice(line.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
    headers[name] = headers[name] ? `${headers[name]}\n${value}` : value;
  }
  const text = parsed.text ?? '';
  return {
    id,
    receivedAt: meta.receivedAt,
    envelope: meta.envelope,
    deliveredTo: meta.deliveredTo ?? [],
    direction: meta.direction ?? 'smtp',
    messageId: parsed.messageId ?? null,
    from: parsed.from?.text ?? '',
    to: parsed.to ? [parsed.to].flat().map((a) => a.text).join(', ') : '',
    subject: parsed.subject ?? '',
    date: parsed.date ? parsed.date.toISOString() : null,
    text,
    html: typeof parsed.html === 'string' ? parsed.html : null,
    headers,
    links: [...new Set(text.match(/https?:\/\/[^\s<>"')]+/g) ?? [])],
    raw: raw.toString('utf8'),
  };
}

// ------------------------------------------------------------------------------- the inbox page

const STYLE = `body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2433}
header{background:#22303f;color:#fff;padding:.8rem 1.2rem}header a{color:#fff}
main{max-width:60rem;margin:1rem auto;padding:0 1rem}
table{width:100%;border-collapse:collapse;background:#fff}td,th{padding:.45rem .6rem;border-bottom:1px solid #dde1e7;text-align:left;vertical-align:top}
tr.mail td a{display:block;color:inherit;text-decoration:none}tr.mail:hover{background:#eef3fb}
.card{background:#fff;padding:1rem 1.2rem;margin-bottom:1rem;border-radius:6px;box-shadow:0 1px 2px #0002}
.meta th{width:11rem;color:#556}pre{white-space:pre-wrap;word-break:break-word;font:inherit;line-height:1.5}
.tag{display:inline-block;background:#e6ecf5;border-radius:3px;padding:0 .35rem;font-size:.85em}
.note{color:#556;font-size:.9em}button{padding:.45rem .9rem;font:inherit;cursor:pointer}
label{display:block;margin:.6rem 0 .2rem}input[type=text],input[type=email],textarea,select{width:100%;box-sizing:border-box;padding:.4rem;font:inherit}`;
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');
// No script at all; styles only by hash; forms post to this page only.
const CSP = `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

/** Escaped text with its http(s) links made clickable (each link escaped as well). */
function linkify(text) {
  const out = [];
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"')]+/g)) {
    out.push(escapeHtml(text.slice(last, match.index)));
    const url = match[0];
    out.push(`<a href="${escapeHtml(url)}" rel="noreferrer">${escapeHtml(url)}</a>`);
    last = match.index + url.length;
  }
  out.push(escapeHtml(text.slice(last)));
  return out.join('');
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><strong><a href="/">Mail sandbox</a></strong> &middot; every mail the try-out sends lands here; nothing leaves this machine</header>
<main>${body}</main></body></html>`;
}

/** RFC 8058 §3.1: the HTTPS URI of List-Unsubscribe, when List-Unsubscribe-Post offers one-click. */
function oneClickTarget(mail) {
  if (!/List-Unsubscribe=One-Click/i.test(mail.headers['list-unsubscribe-post'] ?? '')) return undefined;
  const uris = [...(mail.headers['list-unsubscribe'] ?? '').matchAll(/<([^>]+)>/g)].map((m) => m[1]);
  return uris.find((u) => /^https?:\/\//i.test(u));
}

/** The sandbox only ever talks to this machine: a link elsewhere is not followed. */
function isLoopbackUrl(value) {
  try {
    const url = new URL(value);
    return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) && /^https?:$/.test(url.protocol);
  } catch {
    return false;
  }
}

// --------------------------------------------------------------------------------- the sandbox

/**
 * Starts the sandbox. Options:
 *  dir             where mails (and Dovecot's mailbox) are kept
 *  smtpPort, webPort, imapPort   fixed ports (default: free ones)
 *  privacyAddress  the mailbox address delivered into Dovecot
 *  dovecot         'auto' (start it when installed), 'require' (fail without it), 'off'
 *  mailboxPassword the IMAP password of the privacy mailbox (default: made up and kept in dir)
 *  ephemeral       remove the mailbox's mail on stop (tests)
 * @returns {Promise<{smtp: {host: string, port: number}, inboxUrl: string, apiUrl: string,
 *   imap: {host: string, port: number, user: string, password: string, secure: false} | null,
 *   dovecotReason: string | null, store: MailStore, deliverToMailbox: Function, stop: () => Promise<void>}>}
 */
export async function startMailSandbox({
  dir,
  smtpPort,
  webPort,
  imapPort,
  privacyAddress = SANDBOX_DEFAULTS.privacyAddress,
  authservId = SANDBOX_DEFAULTS.authservId,
  dovecot = 'auto',
  mailboxPassword,
  ephemeral = false,
  log = logStep,
} = {}) {
  if (!dir) throw new Error('startMailSandbox: dir is required (the mails are kept there)');
  dir = path.resolve(dir);
  fs.mkdirSync(dir, { recursive: true });
  privacyAddress = privacyAddress.toLowerCase();
  const store = new MailStore(path.join(dir, 'mail'));
  await store.load();
  const stoppers = [];
  const stop = async () => {
    for (const s of stoppers.splice(0).reverse()) await s().catch((e) => log(`stopping: ${e.message}`));
  };

  try {
    // -- Dovecot: the privacy mailbox
    let imap = null;
    let dovecotReason = null;
    let mailbox; // the running Dovecot
    if (dovecot !== 'off') {
      if (!findDovecot()) {
        dovecotReason = `Dovecot is not installed (${INSTALL_HINT})`;
        if (dovecot === 'require') throw new Error(dovecotReason);
      } else {
        const passwordFile = path.join(dir, 'mailbox-password');
        const fresh = !fs.existsSync(passwordFile);
        mailboxPassword ??= fresh ? randomBytes(12).toString('base64url') : fs.readFileSync(passwordFile, 'utf8').trim();
        fs.writeFileSync(passwordFile, `${mailboxPassword}\n`, { mode: 0o600 });
        let server;
        try {
          server = await startDovecot({ dir: path.join(dir, 'dovecot'), users: [{ user: privacyAddress, password: mailboxPassword }], imapPort, ephemeral, fresh, log });
        } catch (error) {
          // A half-installed Dovecot (no LMTP, a broken config, no `dovecot` user) or one that
          // will not start: 'auto' goes on without the mailbox and says why; 'require' fails.
          if (dovecot === 'require') throw error;
          dovecotReason = `Dovecot did not start: ${whyDovecotFailed(error.message)} (is all of it installed? ${INSTALL_HINT})`;
          log(dovecotReason);
        }
        if (server) {
          stoppers.push(() => server.stop());
          imap = { host: LOOPBACK, port: server.imapPort, user: privacyAddress, password: mailboxPassword, secure: false, pid: server.pid, conf: server.conf };
          mailbox = server;
        }
      }
    } else {
      dovecotReason = 'turned off';
    }

    /**
     * Puts a mail into the privacy mailbox as a border mail server would: its own earlier
     * Authentication-Results are removed (RFC 8601 §5: nobody else may write them), and a fresh one
     * says what it found out about the sender (`senderCheck` pass | fail | none).
     */
    const deliverToMailbox = async (raw, { senderCheck = 'none', envelopeFrom } = {}) => {
      if (!mailbox) throw new Error(`The privacy mailbox is not available: ${dovecotReason}`);
      let text = Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw);
      text = stripOwnAuthResults(text, authservId);
      const parsed = await simpleParser(text);
      const fromAddress = parsed.from?.value?.[0]?.address ?? '';
      const domain = fromAddress.split('@')[1] ?? 'unknown';
      if (senderCheck !== 'none') {
        const verdict = senderCheck === 'pass' ? 'pass' : 'fail';
        text = `Authentication-Results: ${authservId}; dkim=${verdict} header.d=${domain}; dmarc=${verdict} header.from=${domain}\r\n${text}`;
      }
      await mailbox.deliver(text, { from: envelopeFrom ?? fromAddress, to: [privacyAddress] });
      return store.add(Buffer.from(text), {
        receivedAt: new Date().toISOString(),
        envelope: { from: envelopeFrom ?? fromAddress, to: [privacyAddress] },
        deliveredTo: ['privacy mailbox (Dovecot)'],
        direction: 'to-mailbox',
      });
    };

    // -- SMTP: everything the workflows send. `slow.ms` (POST /api/smtp-delay) makes it answer each
    // mail's DATA that much later, as a busy mail server does; a client gone before the answer (its
    // connection closed) has not handed the mail over, and it is not kept.
    const slow = { ms: 0 };
    const closedSessions = new Set();
    const smtp = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      logger: false,
      banner: 'mail sandbox: mail is kept, never relayed',
      size: 25 * 1024 * 1024,
      onAuth: (_auth, _session, callback) => callback(null, { user: 'sandbox' }),
      onClose: (session) => {
        if (slow.ms > 0) closedSessions.add(session.id);
      },
      onData: (stream, session, callback) => {
        const chunks = [];
        stream.on('data', (c) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const to = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          const envelope = { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to };
          (async () => {
            if (slow.ms > 0) {
              await new Promise((resolve) => setTimeout(resolve, slow.ms));
              if (closedSessions.delete(session.id)) throw new Error('the client left before the answer');
            }
            const toMailbox = to.includes(privacyAddress);
            if (toMailbox && mailbox) await mailbox.deliver(stripOwnAuthResults(raw.toString('utf8'), authservId), { from: envelope.from, to: [privacyAddress] });
            await store.add(raw, {
              receivedAt: new Date().toISOString(),
              envelope,
              deliveredTo: toMailbox && mailbox ? ['privacy mailbox (Dovecot)'] : [],
              direction: 'smtp',
            });
          })().then(
            () => callback(null),
            (error) => callback(Object.assign(new Error(`sandbox could not keep the mail: ${error.message}`), { responseCode: 451 })),
          );
        });
      },
    });
    smtp.on('error', (error) => log(`SMTP: ${error.message}`));
    smtpPort = await listen(smtp.server ?? smtp, smtpPort ?? 0, (port, cb) => smtp.listen(port, LOOPBACK, cb));
    stoppers.push(() => new Promise((resolve) => smtp.close(() => resolve())));

    // -- the inbox page and its API
    const csrf = randomBytes(16).toString('base64url');
    const web = http.createServer((req, res) => {
      handleWeb(req, res, { store, csrf, privacyAddress, deliverToMailbox, hasMailbox: Boolean(mailbox), dovecotReason, slow }).catch((error) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`sandbox error: ${error.message}`);
      });
    });
    webPort = await listen(web, webPort ?? 0, (port, cb) => web.listen(port, LOOPBACK, cb));
    stoppers.push(
      () =>
        new Promise((resolve) => {
          web.close(() => resolve());
          web.closeAllConnections();
        }),
    );

    const inboxUrl = `http://${LOOPBACK}:${webPort}/`;
    log(`SMTP on ${LOOPBACK}:${smtpPort}, inbox page ${inboxUrl}`);
    return {
      smtp: { host: LOOPBACK, port: smtpPort, secure: false },
      inboxUrl,
      apiUrl: `${inboxUrl}api`,
      privacyAddress,
      authservId,
      imap,
      dovecotReason,
      store,
      deliverToMailbox,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function listen(server, port, start) {
  return new Promise((resolve, reject) => {
    const onError = (error) => reject(new Error(`cannot listen on ${LOOPBACK}:${port}: ${error.message}`));
    (server.server ?? server).once('error', onError);
    start(port, () => {
      (server.server ?? server).off('error', onError);
      resolve((server.server ?? server).address().port);
    });
  });
}

/** Removes Authentication-Results headers that claim our authserv-id (RFC 8601 §5). */
function stripOwnAuthResults(text, authservId) {
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const rest = end < 0 ? '' : text.slice(end);
  const fields = head.split(/\r?\n(?![ \t])/);
  const own = new RegExp(`^authentication-results:\\s*${authservId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*;`, 'i');
  return fields.filter((f) => !own.test(f.replace(/\r?\n[ \t]+/g, ' '))).join('\r\n') + rest;
}

async function readBody(req, limit = 1024 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sameToken(a, b) {
  const x = Buffer.from(String(a ?? ''));
  const y = Buffer.from(String(b ?? ''));
  return x.length === y.length && timingSafeEqual(x, y);
}

function sendHtml(res, status, html) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  res.end(html);
}

function sendJson(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

function publicMail(mail, { withRaw = false } = {}) {
  const { raw: _raw, ...rest } = mail;
  return withRaw ? mail : rest;
}

/**
 * DNS rebinding: a page on another site whose name was made to point at 127.0.0.1 would reach this
 * server as same-origin and could read the confirmation links. Its requests carry that name in Host;
 * only our own names, with our port, are answered.
 */
function isOwnHost(req) {
  const host = (req.headers.host ?? '').toLowerCase();
  const port = req.socket.localPort;
  return host === `${LOOPBACK}:${port}` || host === `localhost:${port}`;
}

async function handleWeb(req, res, ctx) {
  if (!isOwnHost(req)) {
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    return res.end(`Use http://${LOOPBACK}:${req.socket.localPort}/ (this server answers only to its own address).\n`);
  }
  const url = new URL(req.url ?? '/', `http://${LOOPBACK}`);
  const { store } = ctx;

  // ---- JSON API (tests). JSON bodies only: a page elsewhere cannot post them without a preflight.
  if (url.pathname === '/api/messages' && req.method === 'GET') {
    const to = url.searchParams.get('to')?.toLowerCase();
    const mails = store.mails.filter((m) => !to || m.envelope.to.includes(to));
    return sendJson(res, 200, mails.map((m) => publicMail(m, { withRaw: url.searchParams.has('raw') })));
  }
  if (url.pathname === '/api/wait' && req.method === 'GET') {
    const to = url.searchParams.get('to')?.toLowerCase();
    const subject = url.searchParams.get('subject');
    const after = Number(url.searchParams.get('after') ?? 0);
    const timeoutMs = Math.min(Number(url.searchParams.get('timeoutMs') ?? 30_000), 300_000);
    try {
      const mail = await store.waitFor(
        (m) => m.id > after && (!to || m.envelope.to.includes(to)) && (!subject || m.subject.toLowerCase().includes(subject.toLowerCase())),
        timeoutMs,
      );
      return sendJson(res, 200, publicMail(mail, { withRaw: url.searchParams.has('raw') }));
    } catch (error) {
      return sendJson(res, 408, { error: error.message });
    }
  }
  if (url.pathname === '/api/mailbox' && req.method === 'POST') {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return sendJson(res, 415, { error: 'send application/json' });
    const body = JSON.parse(await readBody(req, 30 * 1024 * 1024));
    if (typeof body.raw !== 'string') return sendJson(res, 400, { error: 'raw: give the whole message as a string' });
    if (body.senderCheck !== undefined && !['pass', 'fail', 'none'].includes(body.senderCheck)) {
      return sendJson(res, 400, { error: 'senderCheck: one of pass, fail, none' });
    }
    const mail = await ctx.deliverToMailbox(body.raw, { senderCheck: body.senderCheck });
    return sendJson(res, 200, publicMail(mail));
  }
  if (url.pathname === '/api/smtp-delay' && req.method === 'POST') {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return sendJson(res, 415, { error: 'send application/json' });
    let ms;
    try {
      ms = JSON.parse(await readBody(req, 1024))?.ms;
    } catch {
      return sendJson(res, 400, { error: 'send a JSON object such as {"ms": 1500}' });
    }
    if (!Number.isInteger(ms) || ms < 0 || ms > 60_000) return sendJson(res, 400, { error: 'ms: whole milliseconds from 0 to 60000' });
    ctx.slow.ms = ms;
    return sendJson(res, 200, { ms });
  }
  if (url.pathname.startsWith('/api/')) return sendJson(res, 404, { error: 'no such API route' });

  // ---- the inbox page
  if (url.pathname === '/' && (req.method === 'GET' || req.method === 'HEAD')) {
    const rows = [...store.mails]
      .reverse()
      .map(
        (m) => `<tr class="mail"><td><a href="/mail/${m.id}">${escapeHtml(formatWhen(m.receivedAt))}</a></td>
<td><a href="/mail/${m.id}">${escapeHtml(m.envelope.to.join(', '))}</a></td>
<td><a href="/mail/${m.id}">${escapeHtml(m.subject || '(no subject)')}${m.deliveredTo.length ? ' <span class="tag">in the privacy mailbox</span>' : ''}</a></td></tr>`,
      )
      .join('\n');
    const compose = ctx.hasMailbox
      ? `<p><a href="/compose">Write to the privacy mailbox (${escapeHtml(ctx.privacyAddress)})</a>, e.g. an erasure request.</p>`
      : `<p class="note">No privacy mailbox: ${escapeHtml(ctx.dovecotReason ?? '')}. The inbox-erasure workflow needs it.</p>`;
    return sendHtml(
      res,
      200,
      page(
        'Mail sandbox',
        `<div class="card"><h1>Inbox</h1>${compose}<p class="note">Reload the page to see new mail.</p></div>
<table><thead><tr><th>Received</th><th>To</th><th>Subject</th></tr></thead><tbody>
${rows || '<tr><td colspan="3">No mail yet. Sign up with the form and the confirmation mail appears here.</td></tr>'}
</tbody></table>`,
      ),
    );
  }

  const mailMatch = /^\/mail\/(\d+)(\/one-click)?$/.exec(url.pathname);
  if (mailMatch) {
    const mail = store.get(Number(mailMatch[1]));
    if (!mail) return sendHtml(res, 404, page('No such mail', '<div class="card"><p>No such mail. <a href="/">Back to the inbox</a></p></div>'));
    const target = oneClickTarget(mail);
    if (mailMatch[2]) {
      if (req.method !== 'POST') return sendHtml(res, 405, page('Not allowed', '<div class="card"><p>Use the button on the mail.</p></div>'));
      const form = new URLSearchParams(await readBody(req));
      if (!sameToken(form.get('csrf'), ctx.csrf)) return sendHtml(res, 403, page('Refused', '<div class="card"><p>This form came from elsewhere.</p></div>'));
      return oneClick(res, mail, target);
    }
    return sendHtml(res, 200, page(mail.subject || 'Mail', mailView(mail, target, ctx.csrf)));
  }

  if (url.pathname === '/compose') {
    if (!ctx.hasMailbox) return sendHtml(res, 404, page('No privacy mailbox', `<div class="card"><p>${escapeHtml(ctx.dovecotReason ?? '')}</p></div>`));
    if (req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      if (!sameToken(form.get('csrf'), ctx.csrf)) return sendHtml(res, 403, page('Refused', '<div class="card"><p>This form came from elsewhere.</p></div>'));
      const from = (form.get('from') ?? '').trim();
      if (!/^[^\s@<>"]+@[^\s@<>"]+$/.test(from)) return sendHtml(res, 400, page('Write a mail', composeView(ctx, 'Give a sender address like anna@example.test.', form)));
      const check = ['pass', 'fail', 'none'].includes(form.get('senderCheck')) ? form.get('senderCheck') : 'none';
      const raw = buildMail({ from, to: ctx.privacyAddress, subject: form.get('subject') ?? '', text: form.get('text') ?? '' });
      const mail = await ctx.deliverToMailbox(raw, { senderCheck: check });
      res.writeHead(303, { location: `/mail/${mail.id}` });
      return res.end();
    }
    return sendHtml(res, 200, page('Write a mail', composeView(ctx)));
  }

  return sendHtml(res, 404, page('Not found', '<div class="card"><p>Not found. <a href="/">Back to the inbox</a></p></div>'));
}

function formatWhen(iso) {
  return iso ? iso.replace('T', ' ').slice(0, 19) : '';
}

function mailView(mail, target, csrf) {
  const rows = [
    ['From', mail.from],
    ['To', mail.to],
    ['Subject', mail.subject],
    ['Date', mail.date ?? ''],
    ['Received', `${formatWhen(mail.receivedAt)}${mail.deliveredTo.length ? ` — delivered to the ${mail.deliveredTo.join(', ')}` : ''}`],
    ...['list-unsubscribe', 'list-unsubscribe-post', 'auto-submitted', 'in-reply-to', 'authentication-results']
      .filter((h) => mail.headers[h])
      .map((h) => [h.replace(/(^|-)([a-z])/g, (_m, d, c) => d + c.toUpperCase()), mail.headers[h]]),
  ];
  const oneClick = target
    ? `<form method="post" action="/mail/${mail.id}/one-click"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<button type="submit">Unsubscribe (one click, as a mail client does)</button>
<span class="note">posts <code>List-Unsubscribe=One-Click</code> to the List-Unsubscribe address (RFC 8058)</span></form>`
    : '';
  return `<div class="card"><p><a href="/">&larr; Inbox</a></p><table class="meta">${rows
    .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`)
    .join('')}</table>${oneClick}</div>
<div class="card"><pre>${linkify(mail.text || '(this mail has no text part)')}</pre></div>
<p class="note">The text part is shown, escaped; links open in this browser.</p>`;
}

async function oneClick(res, mail, target) {
  if (!target) return sendHtml(res, 400, page('No one-click', '<div class="card"><p>This mail offers no one-click unsubscribe.</p></div>'));
  if (!isLoopbackUrl(target)) {
    return sendHtml(res, 400, page('Not followed', `<div class="card"><p>The sandbox only talks to this machine; it did not post to ${escapeHtml(target)}.</p></div>`));
  }
  // RFC 8058 §3.2: a POST with exactly this body, no cookies, no other credentials.
  const response = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
    redirect: 'manual',
  });
  const ok = response.status >= 200 && response.status < 300;
  return sendHtml(
    res,
    200,
    page(
      'One-click unsubscribe',
      `<div class="card"><h1>One-click unsubscribe ${ok ? 'done' : 'failed'}</h1>
<p>The sandbox posted <code>List-Unsubscribe=One-Click</code> to the mail's List-Unsubscribe address and got HTTP ${response.status}.</p>
<p><a href="/mail/${mail.id}">Back to the mail</a></p></div>`,
    ),
  );
}

function composeView(ctx, error, form) {
  const value = (name, fallback) => escapeHtml(form?.get(name) ?? fallback);
  const checked = (v) => ((form?.get('senderCheck') ?? 'pass') === v ? ' checked' : '');
  return `<div class="card"><p><a href="/">&larr; Inbox</a></p><h1>Write to ${escapeHtml(ctx.privacyAddress)}</h1>
${error ? `<p><strong>${escapeHtml(error)}</strong></p>` : ''}
<form method="post" action="/compose"><input type="hidden" name="csrf" value="${escapeHtml(ctx.csrf)}">
<label for="from">From (the address you signed up with)</label><input id="from" name="from" type="email" required value="${value('from', '')}">
<label for="subject">Subject</label><input id="subject" name="subject" type="text" value="${value('subject', 'VERWIJDER')}">
<label for="text">Text</label><textarea id="text" name="text" rows="5">${value('text', 'Please delete all my data. / Verwijder al mijn gegevens.')}</textarea>
<fieldset><legend>What the organisation's border mail server found out about the sender</legend>
<label><input type="radio" name="senderCheck" value="pass"${checked('pass')}> DKIM and DMARC pass: the mail really comes from that address</label>
<label><input type="radio" name="senderCheck" value="none"${checked('none')}> Nothing proven (a spoofed From looks like this): the workflow mails a verification link first</label>
</fieldset>
<p><button type="submit">Deliver into the privacy mailbox</button></p></form></div>`;
}

/** A small RFC 5322 message (UTF-8, quoted-printable via nodemailer's composer rules kept simple). */
function buildMail({ from, to, subject, text }) {
  const clean = (v) => String(v).replace(/[\r\n]+/g, ' ').trim();
  const encoded = (v) => (/^[\x20-\x7e]*$/.test(v) ? v : `=?utf-8?B?${Buffer.from(v, 'utf8').toString('base64')}?=`);
  const domain = from.split('@')[1] ?? 'sandbox.test';
  return [
    `From: ${clean(from)}`,
    `To: ${clean(to)}`,
    `Subject: ${encoded(clean(subject))}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${randomBytes(12).toString('hex')}@${clean(domain)}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(String(text).replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n'),
    '',
  ].join('\r\n');
}

// ---------------------------------------------------------------------------------- as a command

async function main(argv) {
  const [command, json] = argv;
  if (command !== 'serve') throw new Error(`usage: mail-sandbox.mjs serve '{"dir": "...", "dovecot": "auto|require|off"}'`);
  const options = json ? JSON.parse(json) : {};
  const sandbox = await startMailSandbox(options);
  const { store: _store, deliverToMailbox: _deliver, stop, ...info } = sandbox;
  process.stdout.write(`${JSON.stringify(info)}\n`);
  stopOnSignalOrEndOfInput(stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
