import { SubjectRefSchema, type SubjectRef } from '../core/consent/identity';
import { InvalidInput } from '../core/errors';
import { parseInput } from '../core/validation';

/**
 * One person on the command line: a positional EMAIL (with an @) or +PHONE (E.164, starting with
 * +), or --phone NUMBER (also national: 0612345678) or --external-id ID (the CRM's id). Exactly
 * one of them. The identity schema (core/consent/identity) normalises and checks each.
 */
export const PERSON_OPTIONS = { phone: { type: 'string' }, 'external-id': { type: 'string' } } as const;

export const PERSON_USAGE = 'EMAIL | +PHONE | --phone NUMBER | --external-id ID';

export function personRef(positionals: string[], values: Record<string, unknown>): SubjectRef {
  const phone = values.phone as string | undefined;
  const externalId = values['external-id'] as string | undefined;
  const given = positionals.length + (phone !== undefined ? 1 : 0) + (externalId !== undefined ? 1 : 0);
  if (given !== 1) throw new InvalidInput(`give exactly one EMAIL, +PHONE, --phone NUMBER or --external-id ID (the person${given > 1 ? '; not several' : ''})`);
  if (phone !== undefined) return parseAs('phone', phone, '--phone');
  if (externalId !== undefined) return parseAs('externalId', externalId, '--external-id');
  const [value] = positionals;
  if (value.trim().startsWith('+')) return parseAs('phone', value, 'phone');
  try {
    return parseInput(SubjectRefSchema, { email: value });
  } catch (error) {
    if (value.includes('@')) throw error;
    throw new InvalidInput(`${(error as Error).message} (a phone number: +31612345678 or --phone; a CRM id: --external-id ${value})`);
  }
}

/** Parses one identity field; the message names the flag it came from. */
function parseAs(field: 'phone' | 'externalId', value: string, flag: string): SubjectRef {
  try {
    return parseInput(SubjectRefSchema, { [field]: value });
  } catch (error) {
    throw new InvalidInput((error as Error).message.replace(`${field}: `, `${flag}: `));
  }
}
