import type { StatusOrNone } from '../../../core/consent/statuses';
import { ACTIONS, resolveTransition, statusesAllowing, type Action } from '../../../core/consent/transitions';

/**
 * The transition table, pair by pair. Written out independently of core/consent/transitions.ts:
 * each line is one action; each column one current status. `=` keep (nothing changes), `x` refused,
 * otherwise the status after. Basis 'legitimate_interest' unless a line says otherwise.
 */
const COLUMNS: StatusOrNone[] = ['none', 'optin', 'invited', 'reminded', 'expired', 'confirmed', 'subscribed', 'optout', 'unsubscribed', 'bounced', 'blacklisted'];
const EXPECTED: Record<string, string> = {
  //                 none     optin    invited  reminded expired  confirmed  subscribed optout  unsubscribed bounced  blacklisted
  signup:           'optin    optin    optin    optin    optin    =          subscribed optin   optin        optin    x',
  request:          'invited  x        x        x        x        x          invited    x       x            x        x',
  remind:           'x        x        reminded reminded x        x          x          x       x            x        x',
  expire:           'x        expired  expired  expired  =        x          x          x       x            x        x',
  confirm:          'x        confirmed confirmed confirmed confirmed = confirmed x    x            confirmed x',
  unsubscribe:      'optout   optout   optout   optout   optout   unsubscribed unsubscribed = =         unsubscribed =',
  bounce:           'x        bounced  bounced  bounced  bounced  bounced    bounced    =       =            =        =',
  suppress:         'blacklisted blacklisted blacklisted blacklisted blacklisted blacklisted blacklisted blacklisted blacklisted blacklisted =',
  // import with target subscribed; with target unsubscribed (restrictive)
  'import>subscribed':   'subscribed = = = = = = = = = =',
  'import>unsubscribed': 'unsubscribed unsubscribed unsubscribed unsubscribed unsubscribed unsubscribed unsubscribed unsubscribed = = =',
  'import>optin':        'x = = = = = = = = = =',
  // manual change with proof; and without proof
  'set>subscribed+proof':  'subscribed subscribed subscribed subscribed subscribed subscribed subscribed x x subscribed subscribed',
  'set>subscribed':        'x x x x x x x x x x x',
  'set>unsubscribed':      'unsubscribed unsubscribed unsubscribed unsubscribed unsubscribed unsubscribed unsubscribed unsubscribed unsubscribed unsubscribed x',
  'set>optout+proof':      'optout optout optout optout optout optout optout optout optout optout optout',
};

const cases: [string, StatusOrNone, string][] = [];
for (const [line, cells] of Object.entries(EXPECTED)) {
  const values = cells.trim().split(/\s+/);
  expect(values).toHaveLength(COLUMNS.length);
  COLUMNS.forEach((from, i) => cases.push([line, from, values[i]]));
}

function run(line: string, from: StatusOrNone, basis: 'legitimate_interest' | 'consent' = 'legitimate_interest') {
  const [action, rest] = line.split('>') as [Action, string | undefined];
  const [target, proof] = (rest ?? '').split('+');
  return resolveTransition(action, from, {
    basis,
    target: (target || undefined) as never,
    hasProof: proof === 'proof',
  });
}

describe('transition table, pair by pair', () => {
  test.each(cases)('%s from %s → %s', (line, from, expected) => {
    const t = run(line, from);
    if (expected === '=') expect(t.kind).toBe('keep');
    else if (expected === 'x') expect(t.kind).toBe('refuse');
    else expect(t).toMatchObject({ kind: 'change', to: expected });
  });

});

describe('rules that must hold', () => {
  test('a campaign never touches subscribed with basis consent', () => {
    expect(run('request', 'subscribed', 'consent')).toMatchObject({ kind: 'refuse', reason: 'already subscribed with consent' });
    expect(run('request', 'subscribed', 'legitimate_interest')).toMatchObject({ kind: 'change', to: 'invited' });
  });

  test.each(['unsubscribed', 'optout'] as const)('only the person’s own signup re-opens %s, even for an operator with proof', (from) => {
    for (const hasProof of [false, true]) {
      for (const target of ['subscribed', 'confirmed', 'optin', 'invited'] as const) {
        const reopening = ACTIONS.filter((a) => {
          const t = resolveTransition(a, from, { basis: 'none', target, hasProof });
          return t.kind === 'change' && ['optin', 'invited', 'reminded', 'confirmed', 'subscribed'].includes(t.to);
        });
        expect([hasProof, target, reopening]).toEqual([hasProof, target, ['signup']]);
      }
    }
  });

  test('blacklisted leaves only by an operator action with proof', () => {
    for (const action of ACTIONS) {
      for (const hasProof of [false, true]) {
        const t = resolveTransition(action, 'blacklisted', { basis: 'none', target: 'subscribed', hasProof });
        const leaves = t.kind === 'change' && t.to !== 'blacklisted';
        expect([action, hasProof, leaves]).toEqual([action, hasProof, action === 'set' && hasProof]);
      }
    }
  });

  test('a refused transition names why; a manual change to subscribed names the missing proof', () => {
    expect(run('set>subscribed', 'none')).toEqual({ kind: 'refuse', reason: 'a manual change to subscribed needs proof (a proof reference or a description)' });
    expect(run('request', 'bounced')).toEqual({ kind: 'refuse', reason: 'the address bounced' });
  });

  test('the basis follows the action', () => {
    expect(run('confirm', 'invited')).toMatchObject({ basis: 'consent' });
    expect(run('unsubscribe', 'confirmed')).toMatchObject({ basis: 'none' });
    expect(run('request', 'subscribed')).toMatchObject({ basis: 'legitimate_interest' });
    expect(resolveTransition('import', 'none', { basis: 'none', target: 'subscribed', givenBasis: 'contract' })).toMatchObject({ basis: 'contract' });
    expect(resolveTransition('import', 'none', { basis: 'none', target: 'confirmed', givenBasis: 'legitimate_interest' })).toMatchObject({ basis: 'consent' });
  });
});

describe('statusesAllowing: the statuses an operation accepts, read from the table', () => {
  it('remind: the pending invitations (the ledger listed invited, reminded)', () => {
    expect(statusesAllowing('remind')).toEqual(['invited', 'reminded']);
  });

  it('expire: pending signups and invitations (the ledger listed optin, invited, reminded)', () => {
    expect(statusesAllowing('expire')).toEqual(['optin', 'invited', 'reminded']);
  });

  it('a byBasis cell counts: a campaign may ask subscribed people who hold on another basis than consent', () => {
    expect(statusesAllowing('request')).toEqual(['subscribed']);
  });
});
