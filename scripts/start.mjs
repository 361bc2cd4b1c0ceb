#!/usr/bin/env node
// `npm start`: the complete offline try-out. Builds this package, starts a local n8n (installed
// once into a cache outside the checkout) with the package installed the way n8n installs community
// nodes, the sample workflows published, and a mail sandbox whose inbox page shows every mail.
// Everything listens on 127.0.0.1 only and lives in ./.try-out (delete it to start afresh).
// Ctrl-C stops everything it started.
//
// Environment:
//   TRYOUT_OWNER_EMAIL, TRYOUT_OWNER_PASSWORD   the n8n login (default: made up once, printed)
//   CONSENT_POSTGRES_URL                        a PostgreSQL ledger instead of the SQLite file
//   TRYOUT_DIR                                  another folder than ./.try-out
//   TRYOUT_SKIP_BUILD=1                         use dist/ as it is (the tests: built once by their setup)

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { killRecordedGroups, PREFERRED_PORTS, REPO_ROOT, startTryOut } from './try-out.mjs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `This needs Node.js 24 (node:sqlite); this is ${process.version}. Run it as \`npm start\`: npm puts the project's own Node 24 ` +
      '(node_modules/.bin/node, from `npm ci`) first on PATH.\n',
  );
  process.exit(1);
}

function say(line = '') {
  process.stdout.write(`${line}\n`);
}

function build() {
  say('Building the package (tsup) ...');
  const tsup = path.join(REPO_ROOT, 'node_modules', 'tsup', 'dist', 'cli-default.js');
  const result = spawnSync(process.execPath, [tsup, '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('The build failed (see above). Did `npm ci` run?\n');
    process.exit(1);
  }
}

async function main() {
  if (process.env.TRYOUT_SKIP_BUILD !== '1') build();
  const dir = path.resolve(process.env.TRYOUT_DIR ?? path.join(REPO_ROOT, '.try-out'));
  say(`Starting the try-out in ${path.relative(process.cwd(), dir) || dir} (the first start installs n8n into a cache: a few minutes) ...`);
  const started = Date.now();

  let tryOut;
  let stopping = false;
  const stopAll = async (signal) => {
    if (stopping) {
      // A second Ctrl-C: do not wait for a clean stop. Process groups are killed by stop() too.
      process.exit(130);
    }
    stopping = true;
    say(`\n${signal}: stopping n8n and the mail sandbox ...`);
    if (tryOut) await tryOut.stop();
    else killRecordedGroups(dir); // still starting: nothing may outlive this process
    say('Stopped. Your data stays in the try-out folder for the next `npm start`.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stopAll('Ctrl-C'));
  process.on('SIGTERM', () => void stopAll('SIGTERM'));
  process.on('SIGHUP', () => void stopAll('SIGHUP'));

  tryOut = await startTryOut({
    dir,
    ports: PREFERRED_PORTS,
    postgresUrl: process.env.CONSENT_POSTGRES_URL || undefined,
    dovecot: 'auto',
  });
  if (stopping) return;

  const { urls, owner, ledger, sandbox, n8n } = tryOut;
  const rel = (p) => path.relative(process.cwd(), p) || p;
  const secretFile = rel(path.join(dir, 'ledger-secret'));
  say();
  say(`The try-out is running (n8n ${n8n.version}, ready after ${Math.round((Date.now() - started) / 1000)} s). Everything listens on 127.0.0.1 only.`);
  say();
  say(`  n8n editor       ${urls.editor}`);
  say(`                   log in as ${owner.email} / ${owner.fromEnvironment ? '(the password in TRYOUT_OWNER_PASSWORD)' : owner.password}`);
  say(`  Signup form      ${urls.signupForm}`);
  say(`  Re-permission    ${urls.repermissionForm}   (upload ${rel(path.join(REPO_ROOT, 'workflows', 'contacts-sample.csv'))})`);
  say(`  Privacy request  ${urls.privacyRequest}   (see, erase or stop all mail)`);
  say(`  Mail inbox       ${urls.inbox}   (every mail n8n sends lands here)`);
  if (sandbox.imap) {
    say(`  Privacy mailbox  ${sandbox.privacyAddress}: write to it from the inbox page (IMAP ${sandbox.imap.host}:${sandbox.imap.port})`);
  } else {
    say(`  Privacy mailbox  not available: ${sandbox.dovecotReason}`);
    const waiting = tryOut.unpublished.map((w) => `"${w.name}"`).join(', ');
    if (waiting) say(`                   ${waiting} is imported but not published; the next \`npm start\` with Dovecot publishes it`);
  }
  if (ledger.kind === 'sqlite') {
    say(`  Consent ledger   ${rel(ledger.path)}`);
    // The project's own Node 24 (node:sqlite), whatever `node` the shell finds first.
    say(`                   ${rel(path.join(REPO_ROOT, 'node_modules', '.bin', 'node'))} ${rel(path.join(REPO_ROOT, 'dist', 'cli', 'main.js'))} report --db ${rel(ledger.path)} --secret-file ${secretFile}`);
  } else {
    say('  Consent ledger   PostgreSQL (CONSENT_POSTGRES_URL)');
  }
  say(`  n8n's log        ${rel(n8n.logFile)}`);
  say();
  say('Open the signup form, tick "Keep me informed", submit, then open the confirmation mail in the inbox.');
  say('Ctrl-C stops everything.');
}

main().catch((error) => {
  const dir = path.relative(process.cwd(), path.resolve(process.env.TRYOUT_DIR ?? path.join(REPO_ROOT, '.try-out'))) || '.';
  process.stderr.write(
    `\nThe try-out did not start: ${error.message}\n` +
      `If it fails the same way again, start afresh: delete the try-out folder (rm -rf ${dir}; its ledger and mail go with it) and run \`npm start\` again.\n`,
  );
  process.exit(1);
});
