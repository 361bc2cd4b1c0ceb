/**
 * What one import (one CSV file, or one run of n8n items) remembers across its batches, so a row
 * can be reported against an earlier row of the same file: which row first named each person,
 * and which row first gave each person × topic × channel (a later one is a duplicate).
 *
 * A million-row file must fit in a few tens of MB: the keys are 64-bit hashes in typed arrays
 * (open addressing), not strings in a Map. Two different keys share a hash with a chance of about
 * 1 in 10^7 for a million rows; the cost then is one row reported as a duplicate, never one lost.
 */
export interface RowRef {
  row: number;
  line: number;
}

export class ImportSession {
  /** subject id → the row that first named that person in this import */
  readonly subjects = new RowTable();
  /** subject id × topic × channel → the row that first gave it in this import */
  readonly consents = new RowTable();

  static consentKey(subjectId: number, topic: string, channel: string): [number, number] {
    return hash64(`${subjectId}\u0000${topic}\u0000${channel}`);
  }

  static subjectKey(subjectId: number): [number, number] {
    return [Math.floor(subjectId / 0x1_0000_0000) >>> 0, subjectId >>> 0];
  }
}

/** A hash table from 64-bit keys (two uint32) to a row and line, in typed arrays. */
export class RowTable {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  private rows = new Uint32Array(1024); // 0: empty slot (rows start at 1)
  private lines = new Uint32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get([hi, lo]: [number, number]): RowRef | undefined {
    const slot = this.find(hi, lo);
    return this.rows[slot] === 0 ? undefined : { row: this.rows[slot], line: this.lines[slot] };
  }

  /** Remembers `ref` under the key unless the key is known; returns the earlier row if it was. */
  setIfAbsent([hi, lo]: [number, number], ref: RowRef): RowRef | undefined {
    const slot = this.find(hi, lo);
    if (this.rows[slot] !== 0) return { row: this.rows[slot], line: this.lines[slot] };
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.rows[slot] = ref.row;
    this.lines[slot] = ref.line;
    if (++this.count * 2 > this.rows.length) this.grow();
    return undefined;
  }

  private find(hi: number, lo: number): number {
    const mask = this.rows.length - 1;
    let slot = mix(hi, lo) & mask;
    while (this.rows[slot] !== 0 && (this.hi[slot] !== hi || this.lo[slot] !== lo)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { hi, lo, rows, lines } = this;
    const size = rows.length * 2;
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.rows = new Uint32Array(size);
    this.lines = new Uint32Array(size);
    for (let i = 0; i < rows.length; i++) {
      if (rows[i] === 0) continue;
      const slot = this.find(hi[i], lo[i]);
      this.hi[slot] = hi[i];
      this.lo[slot] = lo[i];
      this.rows[slot] = rows[i];
      this.lines[slot] = lines[i];
    }
  }
}

function mix(hi: number, lo: number): number {
  let h = Math.imul(lo ^ (hi >>> 16), 0x85ebca6b) ^ hi;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A 64-bit string hash (cyrb53's mixing, both halves kept). Not cryptographic: for the table only. */
export function hash64(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h2 >>> 0, h1 >>> 0];
}
