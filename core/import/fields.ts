/** The columns a contacts CSV may have, and one record of them into the import row's fields. */
export const IMPORT_COLUMNS = [
  'email', 'name', 'phone', 'external_id', 'topic', 'channel', 'basis', 'status', 'consent_text', 'optin_who',
  'optin_source', 'optin_date', 'optin_id', 'optin_description', 'previously_mailed', 'no_mailings', 'locale',
  'purposes', // other purposes the person is held for: "contract_admin:contract; loyalty:consent"
] as const;

const TRUE = new Set(['1', 'true', 'yes', 'ja', 'y', 'j', 'x', 'waar']);
const FALSE = new Set(['', '0', 'false', 'no', 'nee', 'n', 'onwaar']);

/** A yes/no cell: true, false, or what is wrong with it. */
function flag(value: string | undefined): boolean | string {
  const v = (value ?? '').trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return `"${value}" is not yes/no (use 1/0, yes/no or ja/nee)`;
}

/** One CSV record (column → text) into the import row shape (empty cells absent), or what is wrong. */
export function toImportFields(r: Record<string, string>) {
  const cell = (k: string) => {
    const v = r[k]?.trim();
    return v ? v : undefined;
  };
  const previouslyMailed = flag(r.previously_mailed);
  const noMailings = flag(r.no_mailings);
  if (typeof previouslyMailed === 'string') return `previously_mailed: ${previouslyMailed}`;
  if (typeof noMailings === 'string') return `no_mailings: ${noMailings}`;
  return {
    email: cell('email'),
    name: cell('name'),
    phone: cell('phone'),
    externalId: cell('external_id'),
    topic: cell('topic'),
    channel: cell('channel')?.toLowerCase(),
    basis: cell('basis')?.toLowerCase(),
    status: cell('status')?.toLowerCase(),
    consentText: cell('consent_text'),
    optinWho: cell('optin_who'),
    optinSource: cell('optin_source'),
    optinDate: cell('optin_date'),
    optinId: cell('optin_id'),
    optinDescription: cell('optin_description'),
    previouslyMailed,
    noMailings,
    locale: cell('locale')?.toLowerCase(),
    purposes: cell('purposes'),
  };
}
