import { openStore, type StoreConfig } from '../store/open';
import type { Store } from '../store/store';

/** Errors Ledger.open met while opening the store itself (not the secret): see failedOpeningStore. */
const storeFailures = new WeakSet<object>();

/** Opens a face's store for Ledger.open, remembering a failure as the store's (not the secret's). */
export async function openStoreFor(config: StoreConfig): Promise<Store> {
  try {
    return await openStore(config);
  } catch (error) {
    if (typeof error === 'object' && error !== null) storeFailures.add(error);
    throw error;
  }
}

/** Whether `error` came from opening the ledger's database (the credential test says so in words). */
export function failedOpeningStore(error: unknown): boolean {
  return typeof error === 'object' && error !== null && storeFailures.has(error);
}
