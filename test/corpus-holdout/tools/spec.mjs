// Label builders and shared attachments for the mail sources.
import { encodeText } from './mime.mjs';

/** A request to act on the sender's own address (unsubscribe / erase / objection). */
export const act = (intent, language, address, category, why, more = {}) => ({ intent, language, address, mustNotAct: false, category, why, ...more });
/** A mail on which an unsubscribe or erase would be wrong (access, questions, negations, machine mail). */
export const hold = (intent, language, address, category, why, more = {}) => ({ intent, language, address, mustNotAct: true, category, why, ...more });
/** A request about another person: the link may go to that person, nobody acts on the sender's word. */
export const about = (intent, language, address, why, more = {}) => ({ intent, alsoAccept: ['unknown'], language, address, mustNotAct: true, mayVerifyAbout: true, category: 'other_person', why, ...more });

/** A small one-page PDF with the letter's lines (WinAnsi text, as a scanner-less "print to PDF" makes). */
export function pdf(lines, title = 'Brief') {
  const esc = (s) => s.replace(/([\\()])/g, '\\$1');
  const content = `BT\n/F1 11 Tf\n14 TL\n56 786 Td\n${lines.map((l) => `(${esc(l)}) '`).join('\n')}\nET`;
  const stream = encodeText(content, 'windows-1252');
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    `<< /Title (${esc(title)}) /Producer (Microsoft: Print To PDF) >>`,
  ];
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return out;
}

/** A 1x1 PNG (an Outlook signature logo stand-in). */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64').toString('latin1');
