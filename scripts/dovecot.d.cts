// Types of scripts/dovecot.cjs for the TypeScript tests.
export interface DovecotUser {
  user: string;
  password: string;
}

export interface StartDovecotOptions {
  dir: string;
  users: DovecotUser[];
  imapPort?: number;
  fresh?: boolean;
  ephemeral?: boolean;
  log?: (message: string) => void;
  readyTimeoutMs?: number;
}

export interface RunningDovecot {
  readonly imapPort: number;
  readonly lmtpPort: number;
  readonly conf: string;
  readonly logFile: string;
  readonly pid: number;
  readonly mailOwner: { uid: number; gid: number };
  maildir(user: string): string;
  log(): string;
  deliver(raw: string | Buffer, envelope: { from: string; to: string[] }): Promise<void>;
  setUidValidity(user: string, value: number, mailbox?: string): void;
  kill(options?: { timeoutMs?: number }): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export declare const INSTALL_HINT: string;
export declare function findDovecot(): string | undefined;
export declare function findDoveadm(dovecotBinary?: string): string | undefined;
export declare function startDovecot(options: StartDovecotOptions): Promise<RunningDovecot>;
export declare function whyDovecotFailed(message: string): string;
