import { z } from 'zod/v4';
import { InvalidInput } from '../errors';
import type { Store } from './store';
import { SqliteStore } from './sqlite/sqlite-store';

/**
 * Which ledger database to open. The embedded SQLite file is the default: one n8n on one machine.
 */
export const StoreConfigSchema = z.object({
  kind: z.literal('sqlite'),
  path: z.string().trim().min(1, 'give the path of the SQLite ledger file'),
});
export type StoreConfig = z.input<typeof StoreConfigSchema>;

export async function openStore(config: StoreConfig): Promise<Store> {
  const parsed = StoreConfigSchema.safeParse(config);
  if (!parsed.success) throw new InvalidInput(`store: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return SqliteStore.open({ path: parsed.data.path });
}
