import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { failRequestOutcome } from '../support/store-faults';
import { waitFor } from '../support/wait';
import { deliverToPrivacyMailbox, ledgerCli, n8nLogTail, sampleWorkflow, startTryOut, type TryOut } from './support/try-out';

// "Never stop" inside a real n8n: a published workflow's Consent Mailbox Trigger meets a mail whose
// handling fails. n8n (2.40, production mode) records that as a failed execution of the workflow
// and runs the workflow's error workflow (the trigger reports it with saveFailedExecution: n8n's
// TriggerExecutionContextFactory.recordTriggerFailure -> ExecutionService.createErrorExecution,
// then executeErrorWorkflow), while the trigger goes on: the next request mail is handled, and
// the failing mail goes to the Review folder after Max Attempts.
//
// What fails: every mail the fuzzing and the fixtures know (a poison MIME part, an over-long
// References) is read into a Review item now, so the failure is the one the trigger's node test
// uses (test/support/store-faults.ts): the ledger's database refuses to record this one mail's
// outcome, as a full disk or a broken database would.

const ERROR_WORKFLOW_ID = 'consentTriggerErrors';
const BAD = '<tf-bad@example.test>';
const GOOD = '<tf-good@example.test>';

function unsubscribeMail(from: string, messageId: string): string {
  return (
    `From: ${from}\r\nTo: privacy@example-shop.test\r\nSubject: Afmelden\r\nMessage-ID: ${messageId}\r\n` +
    `Date: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
    'Graag afmelden voor de nieuwsbrief.\r\n'
  );
}

/** The inbox-erasure sample with an error workflow set (Workflow settings → Error workflow) and Max Attempts 2. */
function erasureWithErrorWorkflow() {
  const workflow = sampleWorkflow('inbox-erasure.json') as ReturnType<typeof sampleWorkflow> & { settings?: Record<string, unknown> };
  const nodes = workflow.nodes.map((node) =>
    String(node.type).endsWith('.consentMailboxTrigger')
      ? { ...node, parameters: { ...(node.parameters as object), options: { ...((node.parameters as { options?: object }).options ?? {}), maxAttempts: 2 } } }
      : node,
  );
  return { ...workflow, nodes, settings: { ...workflow.settings, errorWorkflow: ERROR_WORKFLOW_ID } };
}

/** What a user builds for failures: n8n's Error Trigger, then whatever tells the team (a placeholder here). */
const errorWorkflow = {
  id: ERROR_WORKFLOW_ID,
  name: 'Consent: tell the team about failures',
  nodes: [
    { id: 'e0a1b2c3-0001-4000-8000-000000000001', name: 'Error Trigger', type: 'n8n-nodes-base.errorTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
    { id: 'e0a1b2c3-0001-4000-8000-000000000002', name: 'Tell the team (placeholder)', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
  ],
  connections: { 'Error Trigger': { main: [[{ node: 'Tell the team (placeholder)', type: 'main', index: 0 }]] } },
  settings: { executionOrder: 'v1', callerPolicy: 'workflowsFromSameOwner' },
};

/** n8n stores execution data in the "flatted" form: an array of values, strings in objects are indexes into it. */
function unflatten(text: string): unknown {
  const values = JSON.parse(text) as unknown[];
  const built = new Map<number, unknown>();
  const at = (index: number): unknown => {
    const value = values[index];
    if (typeof value !== 'object' || value === null) return value;
    if (built.has(index)) return built.get(index);
    const out: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
    built.set(index, out);
    for (const [key, inner] of Object.entries(value)) (out as Record<string, unknown>)[key] = typeof inner === 'string' ? at(Number(inner)) : inner;
    return out;
  };
  return at(0);
}

interface ExecutionSummary {
  id: string;
  workflowId: string;
  status: string;
  mode: string;
}

interface RunData {
  resultData: {
    error?: { message: string; description?: string };
    runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>>;
  };
}

describe('a mail the Consent Mailbox Trigger cannot handle, in a published workflow on a real n8n', () => {
  let tryOut: TryOut;
  let imap: ImapFlow;
  let cookie: string;
  const erasure = erasureWithErrorWorkflow();

  beforeAll(async () => {
    tryOut = await startTryOut({ workflows: [], extraWorkflows: [erasure, errorWorkflow] });
    const csv = path.join(tryOut.dir, 'people.csv');
    writeFileSync(csv, 'email,name,external_id,previously_mailed\nanna@example.test,Anna,CRM-1001,1\nbob@example.test,Bob,CRM-1002,1\n');
    await ledgerCli(tryOut, ['import', csv]);
    if (tryOut.ledger.kind !== 'sqlite') throw new Error('this test breaks the SQLite ledger file');
    failRequestOutcome(tryOut.ledger.path, BAD, 'unsubscribed');
    const box = tryOut.sandbox.imap!;
    imap = new ImapFlow({ host: box.host, port: box.port, secure: false, auth: { user: box.user, pass: box.password }, logger: false });
    imap.on('error', () => undefined);
    await imap.connect();
    const login = await fetch(`${tryOut.n8n.baseUrl}/rest/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ emailOrLdapLoginId: tryOut.owner.email, password: tryOut.owner.password }),
    });
    if (!login.ok) throw new Error(`n8n refused the owner's login (${login.status})`);
    cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  }, 20 * 60_000);

  afterAll(async () => {
    await imap?.logout().catch(() => undefined);
    await tryOut?.stop();
  }, 120_000);

  async function rest<T>(route: string): Promise<T> {
    const response = await fetch(`${tryOut.n8n.baseUrl}/rest${route}`, { headers: { cookie } });
    if (!response.ok) throw new Error(`GET /rest${route} answered ${response.status}: ${await response.text()}`);
    return ((await response.json()) as { data: T }).data;
  }

  /** The finished executions of a workflow, as the editor's Executions tab lists them. */
  async function executions(workflowId: string): Promise<ExecutionSummary[]> {
    const filter = encodeURIComponent(JSON.stringify({ workflowId }));
    const { results } = await rest<{ results: ExecutionSummary[] }>(`/executions?filter=${filter}&limit=100`);
    return results.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
  }

  async function runOf(id: string): Promise<RunData> {
    return unflatten((await rest<{ data: string }>(`/executions/${id}`)).data) as RunData;
  }

  /** The items a node gave on each of its outputs in a run. */
  function outputsOf(run: RunData, node: string): Array<Array<Record<string, unknown>>> {
    return (run.resultData.runData[node]?.[0]?.data?.main ?? []).map((items) => (items ?? []).map((i) => i.json));
  }

  /** Where the trigger moved the mail (this connection's INBOX view may lag behind the trigger's moves). */
  async function folderOf(messageId: string): Promise<string | undefined> {
    for (const folder of ['Processed', 'Review']) {
      const lock = await imap.getMailboxLock(folder);
      try {
        const found = await imap.search({ header: { 'message-id': messageId } });
        if (found && found.length > 0) return folder;
      } finally {
        lock.release();
      }
    }
    return undefined;
  }

  test('n8n records a failed execution with the error, runs the error workflow, and the trigger goes on with the next mail', async () => {
    const trigger = erasure.nodes.find((n) => String(n.type).endsWith('.consentMailboxTrigger'))!.name as string;
    await deliverToPrivacyMailbox(tryOut, unsubscribeMail('anna@example.test', BAD), 'pass');

    // (a) A failed execution of the workflow, showing why (as in its Executions tab).
    const failed = await waitFor(async () => (await executions(erasure.id)).find((e) => e.status === 'error'), {
      what: () => `a failed execution of "${erasure.name}"; n8n log: ${n8nLogTail(tryOut, 1500)}`,
      intervalMs: 500,
    });
    expect(failed.mode).toBe('trigger');
    const failedRun = await runOf(failed.id);
    const expectedMessage = `Consent Mailbox Trigger "${trigger}" could not handle the mail ${BAD}: the disk said no`;
    expect(failedRun.resultData.error?.message).toBe(expectedMessage);
    expect(failedRun.resultData.error?.description).toMatch(/tried again|review folder/);

    // (b) The error workflow ran, with the failed workflow's name and the error in its Error Trigger's item.
    const errorRun = await waitFor(async () => (await executions(ERROR_WORKFLOW_ID)).find((e) => e.status === 'success'), {
      what: () => `an execution of the error workflow; n8n log: ${n8nLogTail(tryOut, 1500)}`,
      intervalMs: 500,
    });
    expect(errorRun.mode).toBe('error');
    const [[told]] = outputsOf(await runOf(errorRun.id), 'Error Trigger');
    expect(told).toMatchObject({
      workflow: { id: erasure.id, name: erasure.name },
      trigger: { mode: 'trigger', error: expect.objectContaining({ message: expectedMessage }) },
    });

    // (c) The trigger goes on: a request mail sent after the bad one is handled and moved to Processed.
    await deliverToPrivacyMailbox(tryOut, unsubscribeMail('bob@example.test', GOOD), 'pass');
    await waitFor(async () => (await folderOf(GOOD)) === 'Processed', { what: () => `${GOOD} in Processed; n8n log: ${n8nLogTail(tryOut, 3000)}`, intervalMs: 250 });
    const handled = await waitFor(
      async () => {
        for (const e of (await executions(erasure.id)).filter((x) => x.status === 'success')) {
          const item = outputsOf(await runOf(e.id), trigger)[0]?.find((i) => i.messageId === GOOD);
          if (item) return item;
        }
        return undefined;
      },
      { what: `the run with ${GOOD} on the trigger's Handled output`, intervalMs: 500 },
    );
    expect(handled).toMatchObject({ intent: 'unsubscribe', outcome: 'unsubscribed', folder: 'processed' });
    expect((await ledgerCli(tryOut, ['check', 'bob@example.test']))[0]).toMatchObject({ allowed: false });

    // After Max Attempts (2) the bad mail goes to the Review folder, flagged as failed, for a person
    // (moved by the worker itself: no item on the Review output).
    await waitFor(async () => (await folderOf(BAD)) === 'Review', { what: () => `${BAD} in Review; n8n log: ${n8nLogTail(tryOut, 3000)}`, intervalMs: 250 });
    const lock = await imap.getMailboxLock('Review');
    try {
      const [uid] = (await imap.search({ header: { 'message-id': BAD } }, { uid: true })) || [];
      const fetched = await imap.fetchOne(String(uid), { flags: true }, { uid: true });
      expect(fetched ? [...(fetched.flags ?? [])] : []).toContain('$ConsentFailed');
    } finally {
      lock.release();
    }
    // Each failed attempt was one failed execution and one run of the error workflow (n8n saves them after the trigger's report).
    await waitFor(async () => (await executions(erasure.id)).filter((e) => e.status === 'error').length >= 2, { what: 'the second failed execution', intervalMs: 500 });
    expect((await executions(erasure.id)).filter((e) => e.status === 'error')).toHaveLength(2);
    await waitFor(async () => (await executions(ERROR_WORKFLOW_ID)).length >= 2, { what: 'the second run of the error workflow', intervalMs: 500 });
    expect(await executions(ERROR_WORKFLOW_ID)).toHaveLength(2);
  });
});
