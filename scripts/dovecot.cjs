'use strict';
// The one private Dovecot launcher: the try-out's privacy mailbox (scripts/mail-sandbox.mjs), the
// tests' mailbox (test/support/dovecot.ts) and the worker benchmark all start Dovecot here.
// CommonJS on purpose, as scripts/ports.cjs: ES modules and jest's CommonJS tests both load it.
//
// Dovecot runs in the foreground (`dovecot -F`) as its own process group: IMAP and LMTP on
// 127.0.0.1 only, plaintext login (loopback only), one maildir user per entry of `users`, the
// folders Processed and Review made on first use. Its config and log are in `dir`; its sockets in a
// short temporary folder. Its mail stays between starts: in `dir`, or, as root, in a folder of its
// own under the temporary folder (see dataFolder). kill() is a crash (SIGKILL to every Dovecot
// process), restart() starts it again on the same ports and mail.

const { spawn, spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { setTimeout: sleep } = require('node:timers/promises');
const { LOOPBACK, freePorts, acceptsConnections, isPortFree } = require('./ports.cjs');

const INSTALL_HINT = 'apt-get install dovecot-imapd dovecot-lmtpd';

/** Where Dovecot's binary is: $DOVECOT_BIN, else PATH, else /usr/sbin (Debian). */
function findDovecot() {
  if (process.env.DOVECOT_BIN) return fs.existsSync(process.env.DOVECOT_BIN) ? process.env.DOVECOT_BIN : undefined;
  return findOnPath('dovecot', ['/usr/sbin', '/usr/local/sbin']);
}

/** doveadm (Dovecot's admin tool): beside the dovecot binary, else PATH, else /usr/bin. */
function findDoveadm(dovecotBinary = findDovecot()) {
  const beside = dovecotBinary ? path.join(path.dirname(dovecotBinary), 'doveadm') : undefined;
  if (beside && fs.existsSync(beside)) return beside;
  return findOnPath('doveadm', ['/usr/bin', '/usr/local/bin']);
}

function findOnPath(name, extra) {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), ...extra]) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

function idOf(flag, user) {
  const result = spawnSync('id', [flag, user], { encoding: 'utf8' });
  return result.status === 0 ? Number(result.stdout.trim()) : undefined;
}

function whoRunsDovecot() {
  if (process.getuid?.() === 0) {
    // As root: the login process refuses to run as root; the mail belongs to nobody.
    const uid = idOf('-u', 'nobody') ?? 65534;
    const gid = idOf('-g', 'nobody') ?? 65534;
    const internalUid = idOf('-u', 'dovecot');
    const internalGid = idOf('-g', 'dovecot');
    if (!internalUid) throw new Error("Dovecot's system user `dovecot` is missing: reinstall dovecot-core");
    return { uid, gid, loginUser: 'dovenull', internalUser: 'dovecot', internalUid, internalGid };
  }
  const user = os.userInfo().username;
  return { uid: process.getuid(), gid: process.getgid(), loginUser: user, internalUser: user };
}

/**
 * Where the users file and the mail live. As root, Dovecot reads them as its own users (`dovecot`
 * for the users file, `nobody` for the mail), which cannot pass a private folder such as the
 * try-out's (0700), a home folder or a fresh temporary folder: then a folder of their own under
 * the temporary folder, named after `dir`, so the next start finds the same mail. Its path is
 * written to `dir`/data-folder: whoever throws `dir` away removes that too.
 */
function dataFolder(dir) {
  if (process.getuid?.() !== 0) return dir;
  const data = path.join(os.tmpdir(), `consent-dovecot-${createHash('sha256').update(dir).digest('hex').slice(0, 16)}`);
  fs.mkdirSync(data, { recursive: true, mode: 0o711 });
  fs.chmodSync(data, 0o711);
  fs.writeFileSync(path.join(dir, 'data-folder'), `${data}\n`);
  return data;
}

/** Dovecot's own reason from a failed start (its first "Fatal:" line), else the error's first line; short. */
function whyDovecotFailed(message) {
  const text = String(message);
  const fatal = /Fatal: .*?(?=Fatal:|\r?\n|$)/.exec(text)?.[0];
  const line = (fatal ?? text.split('\n').map((l) => l.trim()).find(Boolean) ?? 'unknown error').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

function imapQuote(value) {
  return `"${String(value).replace(/[\\"]/g, '\\$&')}"`;
}

/** True when `user` can log in over IMAP (Dovecot's auth is up, not only its listener). */
function canLogIn(port, user, password, timeoutMs = 5_000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: LOOPBACK, port });
    let buffer = '';
    let sent = false;
    const done = (ok) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!sent && line.startsWith('* OK')) {
          sent = true;
          socket.write(`a1 LOGIN ${imapQuote(user)} ${imapQuote(password)}\r\n`);
        } else if (line.startsWith('a1 ')) {
          if (line.startsWith('a1 OK')) socket.write('a2 LOGOUT\r\n');
          done(line.startsWith('a1 OK'));
        }
      }
    });
  });
}

function config({ runDir, stateDir, logFile, usersFile, who, imapPort, lmtpPort }) {
  return `# Written by scripts/dovecot.cjs for one run; loopback only.
base_dir = ${runDir}
state_dir = ${stateDir}
instance_name = consent-dovecot-${path.basename(runDir)}
listen = ${LOOPBACK}
protocols = imap lmtp
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = ${who.loginUser}
default_internal_user = ${who.internalUser}
first_valid_uid = 1
first_valid_gid = 1
log_path = ${logFile}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${usersFile}
}
userdb {
  driver = passwd-file
  args = username_format=%u ${usersFile}
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
  mailbox Processed {
    auto = create
  }
  mailbox Review {
    auto = create
  }
}
service imap-login {
  inet_listener imap {
    address = ${LOOPBACK}
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = ${LOOPBACK}
    port = ${lmtpPort}
  }
}
`;
}

function logStep(message) {
  process.stderr.write(`[dovecot] ${message}\n`);
}

/**
 * Starts a private Dovecot and resolves once the first user can log in.
 *  dir        its config, log and (not as root) mail
 *  users      [{ user, password }]: one maildir each
 *  imapPort   a fixed IMAP port (default: a free one); the LMTP port is always a free one
 *  fresh      start with an empty mailbox, also where the mail lives outside `dir`
 *  ephemeral  remove the mail on stop()
 *  readyTimeoutMs  how long to wait for the first login
 */
async function startDovecot({ dir, users, imapPort, fresh = false, ephemeral = false, log = logStep, readyTimeoutMs = 20_000 }) {
  const binary = findDovecot();
  if (!binary) throw new Error(`Dovecot is not installed (${INSTALL_HINT}), or set DOVECOT_BIN`);
  if (!users || users.length === 0) throw new Error('startDovecot: users is required (at least one { user, password })');
  dir = path.resolve(dir);
  fs.mkdirSync(dir, { recursive: true });
  const who = whoRunsDovecot();
  const data = dataFolder(dir);
  if (fresh && data !== dir) for (const entry of fs.readdirSync(data)) fs.rmSync(path.join(data, entry), { recursive: true, force: true });
  const homes = path.join(data, 'homes');
  fs.mkdirSync(homes, { recursive: true });
  // Unix socket paths are short (108 bytes): the run folder is not inside a deep checkout.
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dovecot-run-'));
  const stateDir = path.join(data, 'state');
  fs.mkdirSync(stateDir, { recursive: true });
  const usersFile = path.join(data, 'users');
  const homeOf = (user) => path.join(homes, user.replace(/[^A-Za-z0-9@._-]/g, '_'));
  const lines = users.map(({ user, password }) => {
    if (/[:\s]/.test(user) || /[:\n]/.test(password)) throw new Error(`Dovecot user or password with ':' or a line break: ${user}`);
    const home = homeOf(user);
    fs.mkdirSync(home, { recursive: true });
    if (process.getuid?.() === 0) fs.chownSync(home, who.uid, who.gid);
    return `${user}:{PLAIN}${password}:${who.uid}:${who.gid}::${home}`;
  });
  fs.writeFileSync(usersFile, `${lines.join('\n')}\n`, { mode: 0o600 });
  // The auth process reads it as Dovecot's internal user.
  if (process.getuid?.() === 0) fs.chownSync(usersFile, who.internalUid, who.internalGid);
  const taken = new Set(imapPort ? [imapPort] : []);
  const [lmtpPort, anyImapPort] = await freePorts(imapPort ? 1 : 2, taken);
  imapPort = imapPort || anyImapPort;
  const logFile = path.join(dir, 'dovecot.log');
  const conf = path.join(dir, 'dovecot.conf');
  fs.writeFileSync(conf, config({ runDir, stateDir, logFile, usersFile, who, imapPort, lmtpPort }));
  const logTail = () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').slice(-3000) : '');

  let child;
  let exited;
  let exitInfo;
  const launch = async () => {
    exitInfo = undefined;
    child = spawn(binary, ['-F', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exitInfo = { code, signal }))));
    const deadline = Date.now() + readyTimeoutMs;
    const first = users[0];
    while (!(await acceptsConnections(imapPort)) || !(await acceptsConnections(lmtpPort)) || !(await canLogIn(imapPort, first.user, first.password))) {
      if (exitInfo || Date.now() > deadline) {
        killGroup(child.pid, 'SIGKILL');
        const why = exitInfo ? `exit ${JSON.stringify(exitInfo)}` : `no login for ${first.user} within ${readyTimeoutMs} ms`;
        throw new Error(`Dovecot did not start (${why}): ${output.trimEnd()}\n${logTail()}`);
      }
      await sleep(50);
    }
  };

  /** kill -9 of every Dovecot process, then waits until its ports are free again. */
  const kill = async ({ timeoutMs = 10_000 } = {}) => {
    if (!child || exitInfo) return;
    killGroup(child.pid, 'SIGKILL');
    await exited;
    // The master is gone; its children may still hold the listening sockets for a moment.
    const deadline = Date.now() + timeoutMs;
    while (!(await isPortFree(imapPort)) || !(await isPortFree(lmtpPort))) {
      if (Date.now() > deadline) throw new Error(`Dovecot's ports ${imapPort} (IMAP) and ${lmtpPort} (LMTP) still taken ${timeoutMs} ms after kill -9`);
      await sleep(25);
    }
  };

  try {
    await launch();
  } catch (error) {
    fs.rmSync(runDir, { recursive: true, force: true });
    throw error;
  }
  log(`Dovecot on ${LOOPBACK}: IMAP ${imapPort}, LMTP ${lmtpPort}`);

  return {
    imapPort,
    lmtpPort,
    conf,
    logFile,
    /** The process group of the running Dovecot. */
    get pid() {
      return child.pid;
    },
    /** Who owns the mail (uid, gid): a mail written into a maildir by hand must belong to them. */
    mailOwner: { uid: who.uid, gid: who.gid },
    /** The maildir of `user`. */
    maildir: (user) => path.join(homeOf(user), 'Maildir'),
    /** The end of Dovecot's log. */
    log: logTail,
    /** Delivers a mail as an MTA would: over LMTP into each recipient's INBOX. */
    async deliver(raw, { from, to }) {
      const nodemailer = require('nodemailer');
      const transport = nodemailer.createTransport({ lmtp: true, host: LOOPBACK, port: lmtpPort, ignoreTLS: true, name: 'localhost' });
      try {
        await transport.sendMail({ envelope: { from, to }, raw });
      } finally {
        transport.close();
      }
    },
    /** A mailbox rebuilt by the server: a new UIDVALIDITY, every UID renumbered (RFC 3501 §2.3.1.1). */
    setUidValidity(user, value, mailbox = 'INBOX') {
      const doveadm = findDoveadm(binary);
      if (!doveadm) throw new Error(`doveadm is not installed (${INSTALL_HINT})`);
      const result = spawnSync(doveadm, ['-c', conf, 'mailbox', 'update', '-u', user, '--uid-validity', String(value), mailbox], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`doveadm mailbox update failed: ${result.stderr}`);
    },
    kill,
    /** Starts again on the same ports and mail (after kill(), or kills first). */
    async restart() {
      await kill();
      await launch();
    },
    async stop() {
      if (child && !exitInfo) {
        killGroup(child.pid, 'SIGTERM');
        const forced = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 10_000);
        await exited;
        clearTimeout(forced);
      }
      if (child) killGroup(child.pid, 'SIGKILL');
      fs.rmSync(runDir, { recursive: true, force: true });
      if (ephemeral && data !== dir) fs.rmSync(data, { recursive: true, force: true });
    },
  };
}

module.exports = { findDovecot, findDoveadm, startDovecot, whyDovecotFailed, INSTALL_HINT };
