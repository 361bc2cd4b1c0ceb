import { createHash } from 'node:crypto';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { clockFromEnvironment } from '../../core/clock';
import { Ledger } from '../../core/ledger';
import { errorItem, nodeError } from './errors';
import { readLedgerCredential, type LedgerConnectionConfig, type LedgerCredential } from './credentials';

/**
 * One Ledger per credential configuration per process, reused by every execution and node
 * (DESIGN §5). It holds only the connection (SQLite handle or PostgreSQL pool) and values derived
 * from the configuration; everything else lives in the store, so n8n's queue mode works with a
 * PostgreSQL ledger. Keyed by a hash of the configuration: a changed credential opens a new one.
 */
const ledgers = new Map<string, Promise<Ledger>>();

export function connectionKey(config: LedgerConnectionConfig): string {
	return createHash('sha256').update(JSON.stringify([config.store, config.settings])).digest('hex');
}

export function ledgerFor(config: LedgerConnectionConfig): Promise<Ledger> {
	const key = connectionKey(config);
	const known = ledgers.get(key);
	if (known) return known;
	const opening = openLedger(config);
	ledgers.set(key, opening);
	// A failed open (database down, wrong secret) is tried again by the next execution.
	opening.catch(() => {
		if (ledgers.get(key) === opening) ledgers.delete(key);
	});
	return opening;
}

/** Opens the store and checks the secret against it once, before the first use. */
export async function openLedger(config: LedgerConnectionConfig): Promise<Ledger> {
	return (await Ledger.open({ store: config.store, settings: config.settings, clock: clockFromEnvironment() })).ledger;
}

/** What a node's operations work with: the ledger of its Consent Ledger credential, and the credential. */
export interface LedgerConnection {
	ledger: Ledger;
	credential: LedgerCredential;
}

/** The ledger of the node's Consent Ledger credential, and the credential itself. */
export async function connectLedger(ctx: IExecuteFunctions): Promise<LedgerConnection> {
	const credential = readLedgerCredential(await ctx.getCredentials('consentLedgerApi'));
	return { ledger: await ledgerFor(credential), credential };
}

/**
 * A node's execute(): connects once for the whole execution (as n8n's own nodes open their
 * transport once and hand it to the operation), then runs `run` with the connection. A ledger
 * that cannot be reached (wrong credential, database down) fails the run; with Continue On Fail,
 * every input item becomes an error item on output `errorOutput` of `outputs`.
 */
export async function withLedger(
	ctx: IExecuteFunctions,
	run: (connection: LedgerConnection) => Promise<INodeExecutionData[][]>,
	{ outputs = 1, errorOutput = 0 }: { outputs?: number; errorOutput?: number } = {},
): Promise<INodeExecutionData[][]> {
	let connection: LedgerConnection;
	try {
		connection = await connectLedger(ctx);
	} catch (error) {
		if (!ctx.continueOnFail()) throw nodeError(ctx.getNode(), error);
		const result: INodeExecutionData[][] = Array.from({ length: outputs }, () => []);
		result[errorOutput] = ctx.getInputData().map((_, i) => errorItem(error, i));
		return result;
	}
	return await run(connection);
}

/** Closes every open ledger (tests, and a host that unloads the package). */
export async function closeLedgers(): Promise<void> {
	const open = [...ledgers.values()];
	ledgers.clear();
	await Promise.all(open.map(async (opening) => (await opening.catch(() => undefined))?.close()));
}
