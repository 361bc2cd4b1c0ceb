/**
 * RFC 4180, one physical line at a time: a row whose quoted cell runs over line breaks is read by
 * calling scan again with the same state for each next line.
 */
export interface ScanState {
  cells: string[];
  field: string;
  inQuote: boolean;
}

/**
 * Reads one physical line into `state` (RFC 4180): 'done' when the row ends with it, 'open' when
 * a quoted cell goes on past the line break, else what is wrong. A quote inside an unquoted cell
 * (O"Brien) is kept as it is; spaces around a quoted cell are allowed.
 */
export function scan(text: string, state: ScanState, delimiter: string): 'done' | 'open' | string {
  const n = text.length;
  let i = 0;
  if (state.inQuote) state.field += '\n';
  for (;;) {
    if (state.inQuote) {
      const q = text.indexOf('"', i);
      if (q === -1) {
        state.field += text.slice(i);
        return 'open';
      }
      state.field += text.slice(i, q);
      if (text.charCodeAt(q + 1) === 34) {
        state.field += '"';
        i = q + 2;
        continue;
      }
      state.inQuote = false;
      let j = q + 1;
      while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      state.cells.push(state.field);
      state.field = '';
      if (j === n) return 'done';
      if (text[j] !== delimiter) {
        return `cell ${state.cells.length} has text after its closing quote ("${text.slice(j, j + 20)}"); a quote inside a quoted cell is written as ""`;
      }
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
    if (j < n && text.charCodeAt(j) === 34) {
      state.inQuote = true;
      i = j + 1;
      continue;
    }
    const d = text.indexOf(delimiter, i);
    if (d === -1) {
      state.cells.push(text.slice(i));
      return 'done';
    }
    state.cells.push(text.slice(i, d));
    i = d + 1;
  }
}
