import { createWriteStream, existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidInput } from '../core/errors';

/**
 * The CLI's files: the ledger file named by --db and the secret file named by --secret-file.
 */

/**
 * Only `init` makes a new ledger file. Anything else on a path without one is refused: a typo in
 * --db must not answer "not found" about a person from an empty ledger made on the spot.
 */
export function requireLedgerFile(path: string): void {
  if (existsSync(path)) return;
  throw new InvalidInput(`--db: there is no ledger at ${path}. Check the path; to make a new ledger there, run: n8n-consent init --db ${path}`);
}

/** init makes the file, never the folders on the way (a typo there would go unnoticed too). */
export function requireLedgerFolder(path: string): void {
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) throw new InvalidInput(`--db: the folder ${folder} does not exist; make it first (mkdir -p ${folder}), then run init again`);
}

export interface SecretSources {
  secret?: string;
  secretFile?: string;
  env: NodeJS.ProcessEnv;
  warn: (line: string) => void;
}

/**
 * The ledger secret: --secret or --secret-file, else $CONSENT_SECRET or $CONSENT_SECRET_FILE.
 * A file keeps the secret out of the process list (`ps` shows every argument). Its one line is the
 * secret; the line break at its end is not part of it. A file that other users can reach still
 * works, with a warning: container secrets (Docker, Kubernetes) are mounted 0444 or 0644 into a
 * filesystem of their own, and refusing them would push people back to putting it in an argument.
 */
export function readSecret(s: SecretSources): string | undefined {
  if (s.secret !== undefined && s.secretFile !== undefined) throw new InvalidInput('give --secret or --secret-file, not both');
  if (s.secret !== undefined) return s.secret;
  if (s.secretFile !== undefined) return readSecretFile(s.secretFile, '--secret-file', s.warn);
  if (s.env.CONSENT_SECRET && s.env.CONSENT_SECRET_FILE) throw new InvalidInput('both CONSENT_SECRET and CONSENT_SECRET_FILE are set: keep one');
  if (s.env.CONSENT_SECRET) return s.env.CONSENT_SECRET;
  if (s.env.CONSENT_SECRET_FILE) return readSecretFile(s.env.CONSENT_SECRET_FILE, 'CONSENT_SECRET_FILE', s.warn);
  return undefined;
}

export interface PreviousSecretSources {
  previousSecrets?: string[];
  previousSecretFile?: string;
  env: NodeJS.ProcessEnv;
  warn: (line: string) => void;
}

/**
 * The previous secrets while rotating, newest first: links signed with any of them still verify
 * (unsubscribe links live two years, so several rotations may be in flight). --previous-secret
 * (repeatable) or --previous-secret-file (one secret per line), else $CONSENT_PREVIOUS_SECRETS
 * (comma-separated) or $CONSENT_PREVIOUS_SECRETS_FILE. None: an empty list.
 */
export function readPreviousSecrets(s: PreviousSecretSources): string[] {
  const given = s.previousSecrets ?? [];
  if (given.length > 0 && s.previousSecretFile !== undefined) throw new InvalidInput('give --previous-secret or --previous-secret-file, not both');
  if (given.length > 0) return given;
  if (s.previousSecretFile !== undefined) return readSecretLines(s.previousSecretFile, '--previous-secret-file', s.warn);
  if (s.env.CONSENT_PREVIOUS_SECRETS && s.env.CONSENT_PREVIOUS_SECRETS_FILE) throw new InvalidInput('both CONSENT_PREVIOUS_SECRETS and CONSENT_PREVIOUS_SECRETS_FILE are set: keep one');
  if (s.env.CONSENT_PREVIOUS_SECRETS) return s.env.CONSENT_PREVIOUS_SECRETS.split(',').map((v) => v.trim()).filter(Boolean);
  if (s.env.CONSENT_PREVIOUS_SECRETS_FILE) return readSecretLines(s.env.CONSENT_PREVIOUS_SECRETS_FILE, 'CONSENT_PREVIOUS_SECRETS_FILE', s.warn);
  return [];
}

function readSecretLines(file: string, where: string, warn: (line: string) => void): string[] {
  const lines = readPrivateText(file, where, warn).split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) throw new InvalidInput(`${where}: ${file} is empty; put the previous secrets in it, one per line, newest first`);
  return lines;
}

function readSecretFile(file: string, where: string, warn: (line: string) => void): string {
  const secret = readPrivateText(file, where, warn).replace(/\r?\n$/, '');
  if (!secret) throw new InvalidInput(`${where}: ${file} is empty; put the ledger secret in it (make one with: openssl rand -base64 32 > ${file})`);
  if (/[\r\n]/.test(secret)) throw new InvalidInput(`${where}: ${file} holds more than one line; put only the ledger secret in it`);
  return secret;
}

/** A file holding secrets: read, with a warning when other users can reach it. */
function readPrivateText(file: string, where: string, warn: (line: string) => void): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (code ?? (error as Error).message);
    throw new InvalidInput(`${where}: cannot read the secret from ${file}: ${why}`);
  }
  const mode = statSync(file).mode & 0o777;
  if (mode & 0o077) warn(`warning: other users have access to the secret file ${file} (mode ${mode.toString(8).padStart(4, '0')}); make it private: chmod 600 ${file}`);
  return text;
}

/**
 * Writes `chunks` to `file` as they come (flat memory), readable by its owner only (it holds
 * personal data). Written next to it under a temporary name and renamed at the end, so `file` is
 * either the whole new list or what it was before, never half a list.
 */
export async function writePrivateFile(file: string, chunks: AsyncIterable<string>): Promise<void> {
  const partial = join(dirname(resolve(file)), `.${basename(file)}.${process.pid}.partial`);
  try {
    await pipeline(Readable.from(chunks), createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR') throw new InvalidInput(`cannot write ${file}: ${code}; check that its folder exists and is writable`);
    throw error;
  }
}
