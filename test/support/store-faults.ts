import { DatabaseSync } from 'node:sqlite';

/**
 * A real store failure, no mock: a trigger in the SQLite ledger file refuses to write `outcome`
 * on the request with this Message-ID, as a full disk or a lost connection would, after the ledger
 * acted and before the request was finished. Returns a function that lifts it again.
 */
export function failRequestOutcome(path: string, messageId: string, outcome: string, message = 'the disk said no'): () => void {
  const name = `fail_${Math.random().toString(36).slice(2)}`;
  const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const db = new DatabaseSync(path);
  try {
    db.exec(`CREATE TRIGGER ${name} BEFORE UPDATE OF outcome ON requests
      WHEN NEW.message_id = ${q(messageId)} AND NEW.outcome = ${q(outcome)}
      BEGIN SELECT RAISE(ABORT, ${q(message)}); END`);
  } finally {
    db.close();
  }
  return () => {
    const again = new DatabaseSync(path);
    try {
      again.exec(`DROP TRIGGER IF EXISTS ${name}`);
    } finally {
      again.close();
    }
  };
}
