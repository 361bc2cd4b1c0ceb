// The call list follows check: the phone channel's policy (strict unless configured otherwise),
// strict mode, suppression; and it pages through the ledger in order without losing anyone.
import { callListCsv, callListRows } from '../../core/calllist';
import { ImportRowSchema } from '../../core/ledger';
import { parseInput } from '../../core/validation';
import { tempLedger } from '../support/ledger';

const PEOPLE = [
  { name: 'Consent', phone: '+31611111111', status: 'subscribed', basis: 'consent', optinId: 'F-1' },
  { name: 'Interest', phone: '+31622222222', status: 'subscribed', basis: 'legitimate_interest' },
  { name: 'Contract', phone: '+31633333333', status: 'subscribed', basis: 'contract' },
  { name: 'Blacklisted', phone: '+31644444444', status: 'blacklisted' },
] as const;

async function ledgerWith(settings: Parameters<typeof tempLedger>[0] = {}) {
  const t = await tempLedger(settings);
  const rows = PEOPLE.map((p, i) => ({ row: i + 2, data: parseInput(ImportRowSchema, { ...p, topic: 'calls', channel: 'phone' }) }));
  await t.ledger.importContacts(rows, undefined);
  return t;
}

async function names(rows: AsyncIterable<{ name: string | null }>) {
  const out: (string | null)[] = [];
  for await (const r of rows) out.push(r.name);
  return out;
}

test('phone is strict by default: only explicit consent is listed', async () => {
  const t = await ledgerWith();
  try {
    expect(await names(callListRows(t.ledger, 'calls'))).toEqual(['Consent']);
  } finally {
    await t.dispose();
  }
});

test('a ledger whose phone policy is standard lists legitimate interest and contract too, unless strict is asked', async () => {
  const t = await ledgerWith({ channelPolicy: { phone: 'standard' } });
  try {
    expect(await names(callListRows(t.ledger, 'calls'))).toEqual(['Consent', 'Interest', 'Contract']);
    expect(await names(callListRows(t.ledger, 'calls', { strict: true }))).toEqual(['Consent']);
    // Every page is read: pages of one give the same list.
    expect(await names(callListRows(t.ledger, 'calls', { pageSize: 1 }))).toEqual(['Consent', 'Interest', 'Contract']);
  } finally {
    await t.dispose();
  }
});

test('the CSV counts the people it wrote; an erased person is gone from the list', async () => {
  const t = await ledgerWith();
  try {
    await t.ledger.erase({ phone: '+31611111111' });
    let people = -1;
    const lines: string[] = [];
    for await (const line of callListCsv(t.ledger, 'calls', { counted: (n) => (people = n) })) lines.push(line);
    expect(lines).toEqual(['\uFEFFname,phone,optin_who,optin_source,optin_date,optin_id,optin_description\r\n']);
    expect(people).toBe(0);
  } finally {
    await t.dispose();
  }
});
