import { isAscii, isUtf8 } from 'node:buffer';
import { z } from 'zod/v4';
import { InvalidInput } from '../errors';

/** The longest row taken, in characters (quoted line breaks included); a longer one is reported. */
export const MAX_ROW_CHARS = 100_000;

/**
 * The encodings a file may be in. `auto`: a UTF-8 BOM, or valid UTF-8, is UTF-8; a file that is
 * not valid UTF-8 before any non-ASCII UTF-8 appeared is read as Windows-1252 (what Excel on
 * Windows writes as "CSV"). Latin-1 is read as Windows-1252, as browsers do (the WHATWG
 * Encoding Standard): the same letters, plus € and the quotes in 0x80–0x9F.
 */
export const IMPORT_ENCODINGS = ['auto', 'utf-8', 'windows-1252', 'latin1'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

export const ImportEncodingSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => ({ utf8: 'utf-8', cp1252: 'windows-1252', 'latin-1': 'latin1', 'iso-8859-1': 'latin1' })[v] ?? v)
  .pipe(z.enum(IMPORT_ENCODINGS, { error: () => `use one of: ${IMPORT_ENCODINGS.join(', ')}` }));

/** A physical line of the file, or what was wrong with it; `line` counts from 1. */
export type Line = { text: string; line: number } | { problem: string; line: number };

const TOO_LONG = `the line is longer than ${MAX_ROW_CHARS.toLocaleString('en')} characters, the limit for one row`;

/**
 * Bytes in (push, end), physical lines out (to `feed`, in order): finds the encoding (BOM, valid
 * UTF-8, or Windows-1252 from the first line that is not UTF-8), refuses UTF-16, and reports a line
 * that is not in the file's encoding or longer than MAX_ROW_CHARS instead of reading it.
 */
export class LineReader {
  /** Physical lines seen so far. */
  lines = 0;
  encoding: 'utf-8' | 'windows-1252';
  encodingFrom: string;
  private readonly auto: boolean;
  private readonly cp1252 = new TextDecoder('windows-1252');
  private sawUtf8 = false; // a non-ASCII UTF-8 line was read (so the file is UTF-8)
  private detectedAt = 0; // auto: the line that showed the file is not UTF-8
  private started = false;
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private overlong = false; // the current line passed the limit: its bytes are dropped to its end

  constructor(
    encoding: ImportEncoding,
    private readonly feed: (line: Line) => void,
  ) {
    this.auto = encoding === 'auto';
    this.encoding = encoding === 'auto' || encoding === 'utf-8' ? 'utf-8' : 'windows-1252';
    this.encodingFrom = encoding === 'auto' ? 'valid UTF-8' : `--encoding ${encoding}`;
  }

  push(chunk: Uint8Array): void {
    let bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.started) {
      if (this.carryBytes + bytes.length < 3 && bytes.length > 0) {
        this.carry.push(bytes);
        this.carryBytes += bytes.length;
        return;
      }
      this.started = true;
      bytes = this.takeCarry(bytes);
      bytes = this.bom(bytes);
    }
    let start = 0;
    const last = bytes.lastIndexOf(0x0a);
    if (last >= 0) {
      if (this.overlong) {
        // The end of an over-long line: report it, read on after it.
        const nl = bytes.indexOf(0x0a);
        this.lines++;
        this.feed({ problem: TOO_LONG, line: this.lines });
        this.overlong = false;
        start = nl + 1;
      }
      if (last >= start) this.region(this.takeCarry(bytes.subarray(start, last + 1)));
      start = last + 1;
    }
    if (start < bytes.length) this.keep(bytes.subarray(start));
  }

  /** The last line, which need not end with a line break. */
  end(): void {
    if (!this.started) {
      this.started = true;
      const bytes = this.bom(this.takeCarry(Buffer.alloc(0)));
      if (bytes.length > 0) this.region(Buffer.concat([bytes, Buffer.from('\n')]));
    } else if (this.overlong) {
      this.lines++;
      this.feed({ problem: TOO_LONG, line: this.lines });
    } else if (this.carryBytes > 0) {
      this.region(Buffer.concat([...this.carry, Buffer.from('\n')]));
      this.carry = [];
      this.carryBytes = 0;
    }
  }

  private bom(bytes: Buffer): Buffer {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      if (this.auto) this.encodingFrom = 'byte order mark';
      return bytes.subarray(3);
    }
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      throw new InvalidInput('The file is UTF-16 ("Unicode text"); save it as "CSV UTF-8 (comma delimited)" and import that.');
    }
    return bytes;
  }

  private keep(bytes: Buffer): void {
    if (this.overlong) return;
    this.carry.push(bytes);
    this.carryBytes += bytes.length;
    // At most 4 bytes a character: past this, the line is too long whatever it holds.
    if (this.carryBytes > 4 * MAX_ROW_CHARS) {
      this.carry = [];
      this.carryBytes = 0;
      this.overlong = true;
    }
  }

  private takeCarry(bytes: Buffer): Buffer {
    if (this.carryBytes === 0) return bytes;
    const joined = Buffer.concat([...this.carry, bytes]);
    this.carry = [];
    this.carryBytes = 0;
    return joined;
  }

  /** Whole lines (the bytes end with \n): decode, split, read. */
  private region(bytes: Buffer): void {
    if (this.encoding === 'utf-8') {
      if (isAscii(bytes)) return this.split(bytes.toString('latin1', 0, bytes.length - 1));
      if (isUtf8(bytes)) {
        this.sawUtf8 = true;
        return this.split(bytes.toString('utf8', 0, bytes.length - 1));
      }
    } else if (isAscii(bytes)) {
      return this.split(bytes.toString('latin1', 0, bytes.length - 1));
    }
    // Line by line: which line is not in the file's encoding?
    let start = 0;
    while (start < bytes.length) {
      const nl = bytes.indexOf(0x0a, start);
      this.physical(bytes.subarray(start, nl));
      start = nl + 1;
    }
  }

  private physical(bytes: Buffer): void {
    const line = this.lines + 1;
    if (isAscii(bytes)) return this.split(bytes.toString('latin1'));
    if (this.encoding === 'utf-8') {
      if (isUtf8(bytes)) {
        this.sawUtf8 = true;
        return this.split(bytes.toString('utf8'));
      }
      if (!this.auto || this.sawUtf8) {
        this.lines++;
        const hint = this.auto ? 'the lines before it are UTF-8, so the file mixes encodings: save it again as "CSV UTF-8"' : 'if the file is from Excel on Windows, import it with --encoding windows-1252';
        return this.feed({ problem: `the line is not valid UTF-8 (${badByte(bytes)}); ${hint}`, line });
      }
      // Not UTF-8, and nothing before was other than ASCII: a Windows-1252 (Latin-1) file.
      this.encoding = 'windows-1252';
      this.detectedAt = line;
      this.encodingFrom = `line ${line} is not UTF-8 (${badByte(bytes)})`;
      return this.split(this.cp1252.decode(bytes));
    }
    if (isUtf8(bytes)) {
      // Read as Windows-1252 it would be "mÃ¼ller": a UTF-8 line in a file taken as Windows-1252.
      this.lines++;
      const hint = this.auto ? `line ${this.detectedAt} was not, so the file mixes encodings: save it again as "CSV UTF-8"` : 'import the file without --encoding';
      return this.feed({ problem: `the line is UTF-8 but read as Windows-1252; ${hint}`, line });
    }
    this.split(this.cp1252.decode(bytes));
  }

  private split(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      let line = nl === -1 ? text.slice(start) : text.slice(start, nl);
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      this.lines++;
      this.feed(line.length > MAX_ROW_CHARS ? { problem: TOO_LONG, line: this.lines } : { text: line, line: this.lines });
      if (nl === -1) return;
      start = nl + 1;
    }
  }
}

/** Where UTF-8 breaks, for the message: "byte 0xFC at position 2". */
function badByte(bytes: Buffer): string {
  let k = 0;
  while (k < bytes.length) {
    const b = bytes[k];
    const size = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
    if (size === 0 || k + size > bytes.length || !isUtf8(bytes.subarray(k, k + size))) return `byte 0x${b.toString(16).toUpperCase()} at position ${k + 1}`;
    k += size;
  }
  return 'an invalid byte sequence';
}
