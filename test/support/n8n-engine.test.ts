import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type {
  ICredentialType,
  IExecuteFunctions,
  INode,
  INodeExecutionData,
  INodeType,
  INodeTypeDescription,
  IPollFunctions,
} from 'n8n-workflow';

import { HARNESS_START_TYPE, disposeEngine, ensureN8nHostForEngine, runWorkflow } from './n8n-engine';
import type { WorkflowJson } from './n8n-engine';

// A node the way a node author writes one: two outputs, a parameter read per item (usually an
// expression), credentials, and the n8n error convention (throw, or an error item when the user
// chose to continue on fail).
class ProbeApi implements ICredentialType {
  name = 'probeApi';
  displayName = 'Probe API';
  properties = [
    { displayName: 'Tenant', name: 'tenant', type: 'string' as const, default: '' },
    { displayName: 'Region', name: 'region', type: 'string' as const, default: 'eu-west' },
  ];
}

class Probe implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Probe',
    name: 'probe',
    group: ['transform'],
    version: 1,
    description: 'Sorts items by whether their address looks valid',
    defaults: { name: 'Probe' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
    outputNames: ['Valid', 'Invalid'],
    credentials: [{ name: 'probeApi', required: true }],
    properties: [
      { displayName: 'Email', name: 'email', type: 'string', default: '', description: 'Address to check' },
      { displayName: 'Refuse', name: 'refuse', type: 'string', default: '', description: 'Address that makes the node fail' },
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const { tenant, region } = await this.getCredentials<{ tenant: string; region: string }>('probeApi');
    const valid: INodeExecutionData[] = [];
    const invalid: INodeExecutionData[] = [];
    const items = this.getInputData();
    for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
      try {
        const email = this.getNodeParameter('email', itemIndex) as string;
        if (email === this.getNodeParameter('refuse', itemIndex)) {
          throw new NodeOperationError(this.getNode(), `Refusing ${email}`, { itemIndex });
        }
        const out = { json: { email, tenant, region }, pairedItem: { item: itemIndex } };
        (/^[^@\s]+@[^@\s]+$/.test(email) ? valid : invalid).push(out);
      } catch (error) {
        if (!this.continueOnFail()) throw error;
        valid.push({ json: { error: (error as Error).message }, pairedItem: { item: itemIndex } });
      }
    }
    return [valid, invalid];
  }
}

// A polling trigger that keeps a cursor in the workflow's static data, as n8n's own pollers do.
class Counter implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Counter Trigger',
    name: 'counterTrigger',
    group: ['trigger'],
    version: 1,
    polling: true,
    description: 'Emits the next number on every poll',
    defaults: { name: 'Counter Trigger' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    properties: [],
  };

  async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
    const state = this.getWorkflowStaticData('node');
    state.last = ((state.last as number | undefined) ?? 0) + 1;
    return [[{ json: { n: state.last, mode: this.getMode() } }]];
  }
}

const PROBE_TYPE = 'n8n-nodes-test.probe';

function probeWorkflow(probe: Partial<INode> = {}): WorkflowJson {
  return {
    name: 'probe',
    nodes: [
      { id: 'n1', name: 'Start', type: HARNESS_START_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
      {
        id: 'n2',
        name: 'Probe',
        type: PROBE_TYPE,
        typeVersion: 1,
        position: [200, 0],
        parameters: { email: '={{ $json.email }}', refuse: 'boom@example.test' },
        credentials: { probeApi: { id: 'c1', name: 'Probe account' } },
        ...probe,
      },
    ],
    connections: { Start: { main: [[{ node: 'Probe', type: NodeConnectionTypes.Main, index: 0 }]] } },
  };
}

const options = {
  nodeTypes: { [PROBE_TYPE]: Probe },
  credentials: { probeApi: { tenant: 'acme' } },
  credentialTypes: [ProbeApi],
};

afterAll(disposeEngine);

describe('runWorkflow (our nodes in n8n-core)', () => {
  test('routes items to both outputs, resolving the expression per item and reading credentials', async () => {
    const result = await runWorkflow(probeWorkflow(), {
      ...options,
      items: [{ email: 'anna@example.test' }, { email: 'not-an-address' }, { email: 'bob@example.test' }],
    });

    expect(result.status).toBe('success');
    expect(result.error).toBeUndefined();
    expect(result.executionOrder).toEqual(['Start', 'Probe']);
    expect(result.branchCount('Probe')).toBe(2);
    // region comes from the credential type's default: the stored data has only the tenant.
    expect(result.json('Probe', 0)).toEqual([
      { email: 'anna@example.test', tenant: 'acme', region: 'eu-west' },
      { email: 'bob@example.test', tenant: 'acme', region: 'eu-west' },
    ]);
    expect(result.json('Probe', 1)).toEqual([{ email: 'not-an-address', tenant: 'acme', region: 'eu-west' }]);
    expect(result.output('Probe', 1)[0].pairedItem).toEqual({ item: 1 });
  });

  test('a node error stops the run and names the node', async () => {
    const result = await runWorkflow(probeWorkflow(), {
      ...options,
      items: [{ email: 'anna@example.test' }, { email: 'boom@example.test' }],
    });

    expect(result.status).toBe('error');
    expect(result.error?.message).toBe('Refusing boom@example.test');
    expect(result.error?.node?.name).toBe('Probe');
    expect(result.nodeError('Probe')?.message).toBe('Refusing boom@example.test');
  });

  test('continue on fail (regular output) turns the failing item into an error item', async () => {
    const result = await runWorkflow(probeWorkflow({ onError: 'continueRegularOutput' }), {
      ...options,
      items: [{ email: 'boom@example.test' }, { email: 'anna@example.test' }],
    });

    expect(result.status).toBe('success');
    expect(result.json('Probe', 0)).toEqual([
      { error: 'Refusing boom@example.test' },
      { email: 'anna@example.test', tenant: 'acme', region: 'eu-west' },
    ]);
  });

  test('continue on fail (error output) sends the failing item, with its input, to an extra branch', async () => {
    const result = await runWorkflow(probeWorkflow({ onError: 'continueErrorOutput' }), {
      ...options,
      items: [{ email: 'boom@example.test' }, { email: 'anna@example.test' }],
    });

    expect(result.status).toBe('success');
    expect(result.branchCount('Probe')).toBe(3);
    expect(result.json('Probe', 0)).toEqual([{ email: 'anna@example.test', tenant: 'acme', region: 'eu-west' }]);
    expect(result.json('Probe', 2)).toEqual([{ email: 'boom@example.test', error: 'Refusing boom@example.test' }]);
  });

  test('missing credentials fail the run with a message that says what to pass', async () => {
    const result = await runWorkflow(probeWorkflow(), { nodeTypes: options.nodeTypes, items: [{ email: 'a@b.test' }] });

    expect(result.status).toBe('error');
    expect(result.error?.message).toContain('options.credentials.probeApi');
  });

  test("in manual mode a trigger of ours runs its own poll(), and its static data carries over", async () => {
    const workflow: WorkflowJson = {
      nodes: [{ id: 'n1', name: 'Counter', type: 'n8n-nodes-test.counterTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
      connections: {},
    };
    const nodeTypes = { 'n8n-nodes-test.counterTrigger': Counter };

    const first = await runWorkflow(workflow, { nodeTypes, mode: 'manual' });
    const second = await runWorkflow({ ...workflow, staticData: first.staticData }, { nodeTypes, mode: 'manual' });

    expect(first.json('Counter')).toEqual([{ n: 1, mode: 'manual' }]);
    expect(second.json('Counter')).toEqual([{ n: 2, mode: 'manual' }]);
  });

  test('an unknown node type is refused before the run', async () => {
    await expect(runWorkflow(probeWorkflow(), { credentials: options.credentials })).rejects.toThrow(
      `Unknown node type "${PROBE_TYPE}"`,
    );
  });
});

describe("runWorkflow with n8n's own nodes from the n8n host install", () => {
  beforeAll(async () => {
    await ensureN8nHostForEngine();
  }, 20 * 60_000); // first run on a clean machine installs n8n

  test('Manual Trigger -> Probe -> No Operation passes 10,000 items through NoOp unchanged', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ email: `person${i}@example.test` }));
    const workflow: WorkflowJson = {
      nodes: [
        { id: 'n1', name: 'When clicking', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
        {
          id: 'n2',
          name: 'Probe',
          type: PROBE_TYPE,
          typeVersion: 1,
          position: [200, 0],
          parameters: { email: '={{ $json.email }}' },
          credentials: { probeApi: { id: 'c1', name: 'Probe account' } },
        },
        { id: 'n3', name: 'No Operation, do nothing', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [400, 0], parameters: {} },
      ],
      connections: {
        'When clicking': { main: [[{ node: 'Probe', type: NodeConnectionTypes.Main, index: 0 }]] },
        Probe: { main: [[{ node: 'No Operation, do nothing', type: NodeConnectionTypes.Main, index: 0 }]] },
      },
    };

    const result = await runWorkflow(workflow, { ...options, items });

    expect(result.status).toBe('success');
    expect(result.executionOrder).toEqual(['When clicking', 'Probe', 'No Operation, do nothing']);
    const passed = result.json('No Operation, do nothing');
    expect(passed).toHaveLength(10_000);
    expect(passed[9_999]).toEqual({ email: 'person9999@example.test', tenant: 'acme', region: 'eu-west' });
  });

  test('Webhook -> Probe -> Respond to Webhook answers with what the node produced', async () => {
    const workflow: WorkflowJson = {
      nodes: [
        {
          id: 'n1',
          name: 'Webhook',
          type: 'n8n-nodes-base.webhook',
          typeVersion: 2.1,
          position: [0, 0],
          webhookId: 'b6a1c1e2-0000-4000-8000-000000000001',
          parameters: { httpMethod: 'POST', path: 'probe', responseMode: 'responseNode', options: {} },
        },
        {
          id: 'n2',
          name: 'Probe',
          type: PROBE_TYPE,
          typeVersion: 1,
          position: [200, 0],
          parameters: { email: '={{ $json.body.email }}' },
          credentials: { probeApi: { id: 'c1', name: 'Probe account' } },
        },
        {
          id: 'n3',
          name: 'Respond to Webhook',
          type: 'n8n-nodes-base.respondToWebhook',
          typeVersion: 1.5,
          position: [400, 0],
          parameters: { respondWith: 'firstIncomingItem', options: { responseCode: 202 } },
        },
      ],
      connections: {
        Webhook: { main: [[{ node: 'Probe', type: NodeConnectionTypes.Main, index: 0 }]] },
        Probe: { main: [[{ node: 'Respond to Webhook', type: NodeConnectionTypes.Main, index: 0 }]] },
      },
    };

    const result = await runWorkflow(workflow, {
      ...options,
      items: [{ headers: { 'content-type': 'application/json' }, params: {}, query: {}, body: { email: 'anna@example.test' } }],
    });

    expect(result.status).toBe('success');
    expect(result.run.mode).toBe('webhook');
    expect(result.responses).toHaveLength(1);
    expect(result.responses[0].body).toEqual({ email: 'anna@example.test', tenant: 'acme', region: 'eu-west' });
    expect(result.responses[0].statusCode).toBe(202);
  });
});
