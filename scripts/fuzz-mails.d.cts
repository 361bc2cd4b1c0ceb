// Types of scripts/fuzz-mails.cjs for the TypeScript tests.
export type FuzzKind = 'boundary' | 'empty-header' | 'odd-header' | 'deep' | 'charset' | 'encoded-word' | 'huge-header' | 'nul' | 'big-body' | 'mutated';
export interface FuzzMail {
  kind: FuzzKind;
  bytes: Buffer;
}
export interface FuzzOptions {
  /** false: NUL bytes become spaces (IMAP APPEND refuses them). */
  nul?: boolean;
  /** One big body every this many mails (default 2,000; 0 for none). */
  bigEvery?: number;
  /** The big body's size (default 10 MB). */
  bigBytes?: number;
}
export declare const KINDS: readonly FuzzKind[];
export declare function malformedMails(count: number, seed: number, options?: FuzzOptions): Generator<FuzzMail>;
export declare function prng(seed: number): () => number;
