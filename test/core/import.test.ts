// CSV import (core/import.ts over a real SQLite ledger): every row is imported or reported with its
// row number and physical line, the summary adds up to the rows in the file, encodings are read
// right or refused, duplicates and identity conflicts are reported with the rows concerned, and
// the file is read as a stream (any chunking gives the same answer).
import { importContactsCsv, MAX_ROW_CHARS, type ImportReport, type ImportSummary } from '../../core/import';
import type { Ledger } from '../../core/ledger';
import { ImportRowSchema } from '../../core/ledger';
import { parseInput } from '../../core/validation';
import { tempLedger } from '../support/ledger';

let t: Awaited<ReturnType<typeof tempLedger>>;
let ledger: Ledger;
beforeEach(async () => {
  t = await tempLedger();
  ledger = t.ledger;
});
afterEach(() => t?.dispose());

/** Imports `file` (text or bytes), fed in chunks of `chunk` bytes; every report and the summary. */
async function importCsv(file: string | Buffer, options: { encoding?: 'auto' | 'utf-8' | 'windows-1252' | 'latin1'; batchRows?: number; chunk?: number } = {}) {
  const bytes = typeof file === 'string' ? Buffer.from(file, 'utf8') : file;
  const size = options.chunk ?? bytes.length + 1;
  const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, k) => bytes.subarray(k * size, (k + 1) * size));
  const reports: ImportReport[] = [];
  const summary = await importContactsCsv(ledger, chunks, { encoding: options.encoding, batchRows: options.batchRows }, (r) => void reports.push(r));
  return { reports, summary, byRow: new Map(reports.map((r) => [r.row, r])) };
}

function addsUp(summary: ImportSummary, reports: ImportReport[]) {
  const { imported, kept, skipped, duplicate, conflict, invalid, empty } = summary;
  expect(imported + kept + skipped + duplicate + conflict + invalid + empty).toBe(summary.rows);
  expect(reports.map((r) => r.row)).toEqual(Array.from({ length: summary.rows }, (_, i) => i + 2));
}

const person = async (email: string) => (await ledger.export({ email }))?.subject;

describe('every row is imported or reported', () => {
  test('an unterminated quote at row 502 of 1,000: that row is reported with its line, the 498 after it are imported', async () => {
    const lines = ['email,name,external_id,previously_mailed'];
    for (let row = 2; row <= 1000; row++) lines.push(row === 502 ? `p${row}@example.nl,"Jansen,CRM-${row},ja` : `p${row}@example.nl,Naam ${row},CRM-${row},ja`);
    const { reports, summary, byRow } = await importCsv(`${lines.join('\n')}\n`, { batchRows: 100 });

    expect(byRow.get(502)).toEqual({
      row: 502,
      line: 502,
      outcome: 'invalid',
      reason: expect.stringMatching(/^row 502 \(line 502\), a quoted cell that starts on this line is not closed on it/),
    });
    expect(summary).toMatchObject({ rows: 999, imported: 998, invalid: 1, lines: 1000 });
    addsUp(summary, reports);
    expect(reports.filter((r) => r.outcome === 'imported')).toHaveLength(998);
    expect(byRow.get(1000)).toMatchObject({ line: 1000, outcome: 'imported', status: 'subscribed' });
    expect(await person('p503@example.nl')).toMatchObject({ name: 'Naam 503', externalId: 'CRM-503' });
    expect(await person('p502@example.nl')).toBeUndefined();
  });

  test('a stray quote further down cannot swallow the rows between: only the broken row is reported', async () => {
    const csv = ['email,name', 'a@example.nl,"Anna', 'b@example.nl,Bob', 'c@example.nl,Kees"', 'd@example.nl,Dirk'].join('\r\n');
    const { reports, summary } = await importCsv(csv);

    expect(reports.map((r) => [r.row, r.line, r.outcome])).toEqual([
      [2, 2, 'invalid'],
      [3, 3, 'imported'],
      [4, 4, 'imported'],
      [5, 5, 'imported'],
    ]);
    expect(await person('c@example.nl')).toMatchObject({ name: 'Kees"' });
    addsUp(summary, reports);
  });

  test('a quoted cell with line breaks is one row: rows after it keep their row numbers and get their own lines', async () => {
    const csv = [
      'email;status;consent_text',
      'ida@example.nl;confirmed;"Ja, stuur mij de nieuwsbrief.',
      'Afmelden kan altijd; met de link ""afmelden""."',
      'jan@example.nl;;',
    ].join('\n');
    const { reports, summary } = await importCsv(csv);

    expect(reports.map((r) => [r.row, r.line, r.outcome])).toEqual([
      [2, 2, 'imported'],
      [3, 4, 'imported'],
    ]);
    expect(summary).toMatchObject({ rows: 2, lines: 4 });
    const [event] = (await ledger.export({ email: 'ida@example.nl' }))!.events;
    expect(event.consentText).toBe('Ja, stuur mij de nieuwsbrief.\nAfmelden kan altijd; met de link "afmelden".');
  });

  test('cells the header has no column for are reported, not dropped; empty trailing cells are fine', async () => {
    const csv = ['email,name', 'q@example.nl,Q,extra', 'r@example.nl,R,,', 's@example.nl,"S, with comma"', 't@example.nl,T,CRM-1,ja'].join('\n');
    const { summary, byRow } = await importCsv(csv);

    expect(byRow.get(2)).toMatchObject({ line: 2, outcome: 'invalid', reason: 'row 2 (line 2), cell 3 "extra": the header has no column for it (it names 2); a value holding "," must be in double quotes' });
    expect(byRow.get(3)).toMatchObject({ outcome: 'imported' });
    expect(byRow.get(4)).toMatchObject({ outcome: 'imported' });
    expect(byRow.get(5)).toMatchObject({ outcome: 'invalid', reason: expect.stringContaining('cell 3 "CRM-1", cell 4 "ja": the header has no column for them') });
    expect(await person('q@example.nl')).toBeUndefined();
    expect(summary).toMatchObject({ rows: 4, imported: 2, invalid: 2 });
  });

  test('empty rows are counted as empty; text after a closing quote makes the row invalid', async () => {
    const csv = ['email,name', '', 'a@example.nl,"Anna" Smit', ',', 'b@example.nl,Bo'].join('\n');
    const { reports, summary } = await importCsv(csv);

    expect(reports.map((r) => [r.row, r.outcome])).toEqual([
      [2, 'empty'],
      [3, 'invalid'],
      [4, 'empty'],
      [5, 'imported'],
    ]);
    expect(reports[1].reason).toBe('row 3 (line 3), cell 2 has text after its closing quote ("Smit"); a quote inside a quoted cell is written as ""');
    addsUp(summary, reports);
  });

  test(`a row longer than ${MAX_ROW_CHARS} characters is reported (one line, or a quote open too long); the rest is imported`, async () => {
    const huge = 'x'.repeat(MAX_ROW_CHARS + 10);
    const csv = ['email,name,consent_text', `a@example.nl,A,${huge}`, 'b@example.nl,B,', `c@example.nl,C,"${'y\n'.repeat(MAX_ROW_CHARS / 2)}`, 'd@example.nl,D,'].join('\n');
    const { reports, summary, byRow } = await importCsv(csv, { chunk: 64 * 1024 });

    expect(byRow.get(2)).toMatchObject({ line: 2, outcome: 'invalid', reason: 'row 2 (line 2), the line is longer than 100,000 characters, the limit for one row' });
    expect(byRow.get(3)).toMatchObject({ line: 3, outcome: 'imported' });
    expect(byRow.get(4)).toMatchObject({ line: 4, outcome: 'invalid', reason: expect.stringContaining('longer than 100,000 characters') });
    // The lines of the over-long cell are read again as rows: each is reported, none is lost.
    const d = reports.find((r) => r.outcome === 'imported' && r.line === 4 + MAX_ROW_CHARS / 2 + 1);
    expect(d).toBeDefined();
    expect(await person('d@example.nl')).toMatchObject({ name: 'D' });
    addsUp(summary, reports);
  });

  test('read in chunks of any size (a quote, a line break or a UTF-8 letter cut in two), the outcome is the same', async () => {
    const csv = ['email;name;consent_text', 'zoë@example.nl;Zoë;"één', 'twee"', 'ünal@example.nl;Ünal;', 'x@example.nl;"broken', 'y@example.nl;Y;'].join('\r\n');
    const whole = await importCsv(csv);
    for (const chunk of [1, 2, 3, 7]) {
      await t.dispose();
      t = await tempLedger();
      ledger = t.ledger;
      const cut = await importCsv(csv, { chunk });
      expect(cut.reports).toEqual(whole.reports);
    }
    expect(whole.reports.map((r) => [r.row, r.line, r.outcome])).toEqual([
      [2, 2, 'imported'],
      [3, 4, 'imported'],
      [4, 5, 'invalid'],
      [5, 6, 'imported'],
    ]);
    expect(await person('ünal@example.nl')).toMatchObject({ name: 'Ünal' });
  });
});

describe('encodings', () => {
  const latin1 = Buffer.from('email,name\nmüller@example.nl,Müller\njansen@example.nl,Jansen\n', 'latin1');

  test('a Latin-1 (Windows-1252) file is detected: the address is read as written, never with a replacement character', async () => {
    const { summary } = await importCsv(latin1);

    expect(summary).toMatchObject({ rows: 2, imported: 2, encoding: 'windows-1252', encodingFrom: 'line 2 is not UTF-8 (byte 0xFC at position 2)' });
    expect(await person('müller@example.nl')).toMatchObject({ name: 'Müller' });
  });

  test('with --encoding windows-1252 or latin1 it is read as that; with utf-8 the row is refused and says what to do', async () => {
    expect((await importCsv(latin1, { encoding: 'latin1' })).summary).toMatchObject({ imported: 2, encoding: 'windows-1252', encodingFrom: '--encoding latin1' });
    expect(await person('müller@example.nl')).toMatchObject({ name: 'Müller' });

    await t.dispose();
    t = await tempLedger();
    ledger = t.ledger;
    const { byRow, summary } = await importCsv(latin1, { encoding: 'utf-8' });
    expect(byRow.get(2)).toMatchObject({
      outcome: 'invalid',
      reason: 'row 2 (line 2), the line is not valid UTF-8 (byte 0xFC at position 2); if the file is from Excel on Windows, import it with --encoding windows-1252',
    });
    expect(summary).toMatchObject({ imported: 1, invalid: 1 });
    expect(await person('m\uFFFDller@example.nl')).toBeUndefined();
  });

  test('a UTF-8 file with a BOM is UTF-8; a row that already holds U+FFFD (a file decoded wrongly before) is refused', async () => {
    const csv = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('email,name\nm\uFFFDller@example.nl,M\nzoë@example.nl,Zoë\n')]);
    const { byRow, summary } = await importCsv(csv);

    expect(summary).toMatchObject({ encoding: 'utf-8', encodingFrom: 'byte order mark', imported: 1, invalid: 1 });
    expect(byRow.get(2)!.reason).toMatch(/^row 2 \(line 2\), email: contains "\uFFFD", the mark of text decoded in the wrong encoding/);
    expect(await person('zoë@example.nl')).toMatchObject({ name: 'Zoë' });
  });

  test('a file that mixes UTF-8 and Latin-1: the line in the other encoding is reported', async () => {
    const csv = Buffer.concat([Buffer.from('email,name\nzoë@example.nl,Zoë\n'), Buffer.from('müller@example.nl,Müller\n', 'latin1')]);
    const { byRow } = await importCsv(csv);
    expect(byRow.get(3)).toMatchObject({ outcome: 'invalid', reason: expect.stringContaining('the lines before it are UTF-8, so the file mixes encodings') });
  });

  test('UTF-16 is refused before anything is imported, saying how to save the file', async () => {
    const csv = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('email\r\na@example.nl\r\n', 'utf16le')]);
    await expect(importCsv(csv)).rejects.toThrow('The file is UTF-16 ("Unicode text"); save it as "CSV UTF-8 (comma delimited)" and import that.');
  });
});

describe('duplicates and conflicts', () => {
  test('the same person, topic and channel twice in the file: the later row is reported with the earlier one, in one batch or across batches', async () => {
    for (const batchRows of [100, 2]) {
      await t.dispose();
      t = await tempLedger();
      ledger = t.ledger;
      const csv = ['email,topic,previously_mailed', 'a@example.nl,newsletter,ja', 'b@example.nl,newsletter,ja', 'c@example.nl,newsletter,', 'A@Example.nl,newsletter,', 'a@example.nl,events,ja'].join('\n');
      const { byRow, summary, reports } = await importCsv(csv, { batchRows });

      expect(byRow.get(5)).toMatchObject({
        outcome: 'duplicate',
        duplicateOf: { row: 2, line: 2 },
        reason: 'row 5 (line 5), the same person, topic and channel as row 2 (line 2): only that row counts; merge the two rows',
      });
      expect(byRow.get(6)).toMatchObject({ outcome: 'imported', topic: 'events' });
      expect(summary).toMatchObject({ rows: 5, imported: 4, duplicate: 1 });
      addsUp(summary, reports);
      const [subscribed] = await ledger.check([{ email: 'a@example.nl', topic: 'newsletter', channel: 'email' }]);
      expect(subscribed).toMatchObject({ allowed: true, status: 'subscribed' });
    }
  });

  test('one external_id on two rows with different addresses: the second row is a conflict naming the first, nothing raw', async () => {
    for (const batchRows of [100, 1]) {
      await t.dispose();
      t = await tempLedger();
      ledger = t.ledger;
      const csv = ['email,external_id', 'a1@example.nl,CRM-1', 'b@example.nl,CRM-2', 'a2@example.nl,CRM-1'].join('\n');
      const { byRow, summary } = await importCsv(csv, { batchRows });

      expect(byRow.get(4)).toMatchObject({
        outcome: 'conflict',
        subjectId: null,
        reason: "row 4 (line 4), external_id CRM-1 belongs to the person of row 2 (line 2), who has another email address; correct the row, or that person's address first",
      });
      expect(summary).toMatchObject({ rows: 3, imported: 2, conflict: 1 });
      expect(await person('a2@example.nl')).toBeUndefined();
    }
  });

  test('a row whose identifiers belong to a different person already in the ledger is a conflict; the other rows go in', async () => {
    await ledger.importContacts([{ row: 2, data: parseInput(ImportRowSchema, { email: 'tom@example.nl', externalId: 'CRM-7', phone: '0612345678' }) }], {});
    const csv = [
      'email,external_id,phone',
      'kim@example.nl,CRM-7,',
      'tom@example.nl,CRM-8,',
      'kim@example.nl,,0612345678',
      'tom@example.nl,CRM-7,0612345678',
      'lot@example.nl,CRM-9,',
    ].join('\n');
    const { reports, summary } = await importCsv(csv);

    expect(reports.map((r) => [r.row, r.outcome, r.reason])).toEqual([
      [2, 'conflict', "row 2 (line 2), external_id CRM-7 belongs to a person already in the ledger, who has another email address; correct the row, or that person's address first"],
      [3, 'conflict', "row 3 (line 3), email tom@example.nl belongs to a person already in the ledger, whose external_id is CRM-7; correct the row, or that person's external_id first"],
      // kim@ was never made: rows 2 and 3 were not imported.
      [4, 'conflict', "row 4 (line 4), phone +31612345678 belongs to a person already in the ledger, who has another email address; correct the row, or that person's address first"],
      [5, 'imported', 'no consent: recorded without a status'],
      [6, 'imported', 'no consent: recorded without a status'],
    ]);
    expect(summary).toMatchObject({ rows: 5, imported: 2, conflict: 3 });
    expect(await person('kim@example.nl')).toBeUndefined();
    expect(await person('tom@example.nl')).toMatchObject({ externalId: 'CRM-7', phone: '+31612345678' });
  });

  test('email and external_id of two different people in one row', async () => {
    await ledger.importContacts(
      [
        { row: 2, data: parseInput(ImportRowSchema, { email: 'tom@example.nl', externalId: 'CRM-7' }) },
        { row: 3, data: parseInput(ImportRowSchema, { email: 'kim@example.nl' }) },
      ],
      {},
    );
    const { byRow } = await importCsv('email,external_id\nkim@example.nl,CRM-7\n');
    expect(byRow.get(2)).toMatchObject({
      outcome: 'conflict',
      reason: 'row 2 (line 2), email kim@example.nl and external_id CRM-7 belong to two different people (a person already in the ledger; a person already in the ledger): one row names one person',
    });
  });
});

describe('the header', () => {
  test('a file that cannot be a contacts file is refused before anything is imported', async () => {
    await expect(importCsv('')).rejects.toThrow('The CSV file is empty');
    await expect(importCsv('email,Email\na@example.nl,b@example.nl\n')).rejects.toThrow('The column(s) "email" appear more than once in the header; keep one of each.');
    await expect(importCsv('mail,naam\n')).rejects.toThrow('Unknown column(s) "mail", "naam"; the columns are: email, name,');
    await expect(importCsv('name,topic\nAnna,x\n')).rejects.toThrow('The CSV file needs an email, phone or external_id column.');
    expect(await person('a@example.nl')).toBeUndefined();
  });
});
