// Runs a workflow (nodes + connections, as n8n exports it) inside the real n8n engine, in the
// jest process: n8n-core's WorkflowExecute with ExecutionLifecycleHooks, the same execution path a
// trigger or webhook takes in n8n 2.40. Our node classes come from a registry by type name; n8n's
// own nodes (n8n-nodes-base.*) are loaded from the n8n host install (scripts/n8n-host.mjs).
//
// What stands in for n8n's server: the credentials helper (plain data by credential type name,
// no database), and the additional data (no sub-workflows, no Code-node task runner).
// Expressions are evaluated by the engine n8n 2.40 uses by default ('vm', on isolated-vm).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type {
  ExecutionStatus,
  ICredentialDataDecryptedObject,
  ICredentialType,
  ICredentials,
  IDataObject,
  IExecuteResponsePromiseData,
  IHttpRequestOptions,
  INode,
  INodeCredentialsDetails,
  INodeExecutionData,
  INodeProperties,
  INodeType,
  INodeTypeDescription,
  INodeTypes,
  IPinData,
  IRequestOptionsSimplified,
  IRun,
  IConnections,
  ITriggerResponse,
  IVersionedNodeType,
  IWorkflowBase,
  IWorkflowExecuteAdditionalData,
  IWorkflowSettings,
  WorkflowExecuteMode,
} from 'n8n-workflow';

import { ExpressionEvaluator, IsolatedVmBridge } from '@n8n/expression-runtime';
import { Credentials, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { Expression, ICredentialsHelper, NodeConnectionTypes, NodeHelpers, Workflow, createRunExecutionData } from 'n8n-workflow';
import { expressionSandboxHooks } from 'n8n-workflow/dist/cjs/expression-sandboxing.js';

import { ensureN8nHost } from './n8n-host';
import type { N8nHost } from './n8n-host';

// n8n-core creates its instance settings (encryption key, .n8n folder) in N8N_USER_FOLDER on first
// use, not on import: point it at a throwaway folder before any run, never at ~/.n8n.
let temporaryUserFolder: string | undefined;
if (!process.env.N8N_USER_FOLDER) {
  temporaryUserFolder = mkdtempSync(path.join(tmpdir(), 'n8n-engine-'));
  process.env.N8N_USER_FOLDER = temporaryUserFolder;
}
// n8n's logger would print every node error a test provokes on purpose; the run result carries
// them. Set N8N_LOG_LEVEL=debug to see n8n's own log while debugging.
process.env.N8N_LOG_LEVEL ??= 'silent';

/** A node class (constructed once per run) or an instance, by type name. */
export type NodeTypeEntry = INodeType | IVersionedNodeType | (new () => INodeType | IVersionedNodeType);

/** A workflow as n8n exports it: nodes and connections; the rest is optional. */
export interface WorkflowJson {
  id?: string;
  name?: string;
  nodes: INode[];
  connections: IConnections;
  settings?: IWorkflowSettings;
  pinData?: IPinData;
  staticData?: IDataObject;
}

export interface RunWorkflowOptions {
  /** Our node types by full type name, e.g. { 'n8n-nodes-consent.checkOptIn': CheckOptIn }. */
  nodeTypes?: Record<string, NodeTypeEntry>;
  /** Decrypted credential data by credential type name, e.g. { consentLedgerApi: { ... } }. */
  credentials?: Record<string, ICredentialDataDecryptedObject>;
  /** Credential type classes: their property defaults are applied and their authenticate() used. */
  credentialTypes?: Array<ICredentialType | (new () => ICredentialType)>;
  /** Items the start node emits (as a trigger or webhook that fired). Default: one empty item. */
  items?: Array<INodeExecutionData | IDataObject>;
  /** Name of the node the run starts at. Default: the only node without incoming connections. */
  startNode?: string;
  /**
   * Execution mode. Default 'webhook' when the start node is a webhook node, else 'trigger': the
   * start node passes `items` on, as when n8n starts a run for a trigger that fired. In 'manual'
   * mode n8n calls the start node's own trigger() (its manualTriggerFunction) or poll() instead,
   * which is how a trigger or polling node of ours is tested.
   */
  mode?: WorkflowExecuteMode;
}

export interface WorkflowRunResult {
  status: ExecutionStatus;
  /** The error that stopped the run (undefined when it succeeded). */
  error?: Error & { description?: string | null; node?: INode };
  /** Node names in the order they finished. */
  executionOrder: string[];
  /** Items a node sent to one output branch (0 = first output) in one of its runs. */
  output(nodeName: string, branch?: number, runIndex?: number): INodeExecutionData[];
  /** The json of those items. */
  json(nodeName: string, branch?: number, runIndex?: number): IDataObject[];
  /** Number of output branches a node produced (including n8n's error branch when enabled). */
  branchCount(nodeName: string, runIndex?: number): number;
  /** The error a node's run ended with, if any. */
  nodeError(nodeName: string, runIndex?: number): (Error & { description?: string | null }) | undefined;
  /** Responses sent through the engine's sendResponse hook (Respond to Webhook). */
  responses: IExecuteResponsePromiseData[];
  /** Credential data that nodes stored back (e.g. refreshed tokens), by credential type name. */
  updatedCredentials: Record<string, ICredentialDataDecryptedObject>;
  /** The workflow's static data after the run (pass it back as workflowJson.staticData to chain runs). */
  staticData: IDataObject;
  /** The full IRun from n8n-core. */
  run: IRun;
}

/** Type name of the harness's own start node: a trigger that emits `options.items`. */
export const HARNESS_START_TYPE = 'n8nEngineHarness.start';

/** A trigger node that only emits the items it was given; it stands for "a trigger fired". */
class HarnessStart implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Harness Start',
    name: 'start',
    group: ['trigger'],
    version: 1,
    description: 'Emits the items the test passes to runWorkflow()',
    defaults: { name: 'Start' },
    inputs: [],
    outputs: [NodeConnectionTypes.Main],
    properties: [],
  };

  async trigger(): Promise<ITriggerResponse> {
    return {};
  }
}

const N8N_BASE_PREFIX = 'n8n-nodes-base.';

let hostPromise: Promise<N8nHost> | undefined;

/**
 * The n8n host install (installed on first use, minutes; cached afterwards, well under a second).
 * Call it in beforeAll with a long timeout when a test uses n8n's own nodes.
 */
export function ensureN8nHostForEngine(): Promise<N8nHost> {
  hostPromise ??= ensureN8nHost();
  return hostPromise;
}

const builtinCache = new Map<string, INodeType | IVersionedNodeType>();

/** Loads n8n's own node types (e.g. 'n8n-nodes-base.noOp') from the n8n host install. */
export async function loadN8nNodeTypes(typeNames: string[]): Promise<Record<string, INodeType | IVersionedNodeType>> {
  const result: Record<string, INodeType | IVersionedNodeType> = {};
  const missing = typeNames.filter((name) => !builtinCache.has(name));
  if (missing.length > 0) {
    const host = await ensureN8nHostForEngine();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const known = require(path.join(host.nodesBaseDir, 'dist', 'known', 'nodes.json')) as Record<string, { className: string; sourcePath: string }>;
    for (const typeName of missing) {
      if (!typeName.startsWith(N8N_BASE_PREFIX)) throw new Error(`Not one of n8n's own node types: ${typeName}`);
      const entry = known[typeName.slice(N8N_BASE_PREFIX.length)];
      if (!entry) throw new Error(`n8n ${host.n8nVersion} has no node type ${typeName}`);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const moduleExports = require(path.join(host.nodesBaseDir, entry.sourcePath)) as Record<string, new () => INodeType | IVersionedNodeType>;
      builtinCache.set(typeName, new moduleExports[entry.className]());
    }
  }
  for (const name of typeNames) result[name] = builtinCache.get(name)!;
  return result;
}

function instantiate<T extends object>(entry: T | (new () => T)): T {
  return typeof entry === 'function' ? new (entry as new () => T)() : entry;
}

class RegistryNodeTypes implements INodeTypes {
  constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

  getByName(nodeType: string): INodeType | IVersionedNodeType {
    const type = this.types[nodeType];
    if (!type) {
      throw new Error(`Unknown node type "${nodeType}": pass its class in runWorkflow's options.nodeTypes`);
    }
    return type;
  }

  getByNameAndVersion(nodeType: string, version?: number): INodeType {
    return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
  }

  getKnownTypes(): IDataObject {
    return Object.fromEntries(Object.keys(this.types).map((name) => [name, {}]));
  }
}

/** Credentials by type name, as plain data: what n8n's CredentialsHelper returns after decrypting. */
class PlainCredentialsHelper extends ICredentialsHelper {
  readonly updated: Record<string, ICredentialDataDecryptedObject> = {};

  constructor(
    private readonly data: Record<string, ICredentialDataDecryptedObject>,
    private readonly types: Record<string, ICredentialType>,
  ) {
    super();
  }

  getParentTypes(name: string): string[] {
    const parents = this.types[name]?.extends ?? [];
    return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
  }

  isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
    const type = this.types[credentialType] as (ICredentialType & { restrictToSupportedNodes?: boolean; supportedNodes?: string[] }) | undefined;
    if (!type?.restrictToSupportedNodes) return true;
    return (type.supportedNodes ?? []).some((name) => nodeType === name || nodeType.endsWith(`.${name}`));
  }

  async authenticate(
    credentials: ICredentialDataDecryptedObject,
    typeName: string,
    requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
  ): Promise<IHttpRequestOptions> {
    const authenticate = this.types[typeName]?.authenticate;
    if (authenticate === undefined) return requestOptions as IHttpRequestOptions;
    if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions as IHttpRequestOptions);
    throw new Error(`Credential type "${typeName}" uses declarative (generic) authentication, which this harness does not evaluate`);
  }

  async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
    return undefined;
  }

  async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
    return undefined;
  }

  async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
    const credentials = new Credentials(nodeCredentials, type);
    await credentials.setData(this.decrypted(type));
    return credentials;
  }

  async getDecrypted(
    _additionalData: IWorkflowExecuteAdditionalData,
    _nodeCredentials: INodeCredentialsDetails,
    type: string,
  ): Promise<ICredentialDataDecryptedObject> {
    return this.decrypted(type);
  }

  async updateCredentials(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
    this.updated[type] = data;
    this.data[type] = data;
  }

  async updateCredentialsOauthTokenData(
    _nodeCredentials: INodeCredentialsDetails,
    type: string,
    data: ICredentialDataDecryptedObject,
  ): Promise<void> {
    this.updated[type] = { ...this.data[type], ...data };
    this.data[type] = this.updated[type];
  }

  getCredentialsProperties(type: string): INodeProperties[] {
    return this.types[type]?.properties ?? [];
  }

  private decrypted(type: string): ICredentialDataDecryptedObject {
    const data = this.data[type];
    if (data === undefined) {
      throw new Error(`No credentials of type "${type}": pass them in runWorkflow's options.credentials.${type}`);
    }
    const credentialType = this.types[type];
    if (!credentialType) return { ...data };
    // Like n8n: properties the stored data lacks get their defaults from the credential type.
    const withDefaults = NodeHelpers.getNodeParameters(credentialType.properties, data as never, true, false, null, null);
    return { ...(withDefaults as ICredentialDataDecryptedObject), ...data };
  }
}

let engineReady: Promise<void> | undefined;

/**
 * Starts the expression engine n8n 2.40 runs by default ('vm': expressions evaluated in an
 * isolated-vm isolate), once per jest module. Expression.initExpressionEngine() would build the
 * evaluator itself, but through a dynamic import() that jest (CommonJS, no VM modules) cannot run;
 * so the same evaluator is built here from the same packages and handed to n8n-workflow, whose
 * initExpressionEngine() then only switches the engine on.
 */
function ensureExpressionEngine(): Promise<void> {
  engineReady ??= (async () => {
    const settings = { engine: 'vm' as const, poolSize: 1, maxCodeCacheSize: 1024, bridgeTimeout: 5000, bridgeMemoryLimit: 128 };
    const evaluator = new ExpressionEvaluator({
      createBridge: () => new IsolatedVmBridge({ timeout: settings.bridgeTimeout, memoryLimit: settings.bridgeMemoryLimit }),
      hooks: expressionSandboxHooks,
      maxCodeCacheSize: settings.maxCodeCacheSize,
      poolSize: settings.poolSize,
    });
    await evaluator.initialize();
    Reflect.set(Expression, 'vmEvaluator', evaluator);
    await Expression.initExpressionEngine(settings);
    if (Expression.getActiveImplementation() !== 'vm') {
      throw new Error(`n8n's expression engine did not switch to 'vm' (active: ${Expression.getActiveImplementation()})`);
    }
  })();
  return engineReady;
}

/**
 * Releases the expression engine's isolates and the temporary user folder; call it in afterAll
 * (after it, runWorkflow starts a new engine but n8n-core keeps using the removed folder).
 */
export async function disposeEngine(): Promise<void> {
  if (engineReady !== undefined) {
    await engineReady.catch(() => undefined);
    engineReady = undefined;
    await Expression.disposeExpressionEngine();
    Expression.setExpressionEngine('legacy');
  }
  if (temporaryUserFolder !== undefined) rmSync(temporaryUserFolder, { recursive: true, force: true });
}

function findStartNode(workflow: WorkflowJson, requested?: string): INode {
  if (requested !== undefined) {
    const node = workflow.nodes.find((n) => n.name === requested);
    if (!node) throw new Error(`startNode "${requested}" is not a node of the workflow`);
    return node;
  }
  const hasInput = new Set<string>();
  for (const outputs of Object.values(workflow.connections)) {
    for (const branches of Object.values(outputs)) {
      for (const branch of branches ?? []) for (const connection of branch ?? []) hasInput.add(connection.node);
    }
  }
  const candidates = workflow.nodes.filter((n) => !hasInput.has(n.name) && !n.disabled);
  if (candidates.length !== 1) {
    throw new Error(
      `Cannot tell where the workflow starts (nodes without input: ${candidates.map((n) => n.name).join(', ') || 'none'}); set options.startNode`,
    );
  }
  return candidates[0];
}

function toItems(items: Array<INodeExecutionData | IDataObject> | undefined): INodeExecutionData[] {
  if (items === undefined) return [{ json: {} }];
  return items.map((item, index) => {
    const isExecutionData = typeof item.json === 'object' && item.json !== null && !Array.isArray(item.json);
    const json = (isExecutionData ? (item as INodeExecutionData).json : item) as IDataObject;
    const binary = isExecutionData ? (item as INodeExecutionData).binary : undefined;
    return { json, ...(binary ? { binary } : {}), pairedItem: { item: index } };
  });
}

let executionCounter = 0;

/**
 * Runs a workflow in n8n-core's engine and returns what each node output.
 *
 * @example
 *   const result = await runWorkflow(workflowJson, {
 *     nodeTypes: { 'n8n-nodes-consent.checkOptIn': CheckOptIn },
 *     credentials: { consentLedgerApi: { databasePath: file } },
 *     items: [{ email: 'a@example.test' }],
 *   });
 *   expect(result.status).toBe('success');
 *   expect(result.json('Check Opt-In', 0)).toEqual([...]);
 */
export async function runWorkflow(workflowJson: WorkflowJson, options: RunWorkflowOptions = {}): Promise<WorkflowRunResult> {
  // A copy, as n8n loads a workflow from its JSON: the engine writes into it (parameter defaults).
  const workflowData = JSON.parse(JSON.stringify(workflowJson)) as WorkflowJson;

  const registry: Record<string, INodeType | IVersionedNodeType> = { [HARNESS_START_TYPE]: new HarnessStart() };
  for (const [name, entry] of Object.entries(options.nodeTypes ?? {})) registry[name] = instantiate(entry);
  const n8nTypes = [...new Set(workflowData.nodes.map((n) => n.type))].filter((t) => !(t in registry) && t.startsWith(N8N_BASE_PREFIX));
  Object.assign(registry, await loadN8nNodeTypes(n8nTypes));
  const nodeTypes = new RegistryNodeTypes(registry);

  const credentialTypes: Record<string, ICredentialType> = {};
  for (const entry of options.credentialTypes ?? []) {
    const type = instantiate(entry);
    credentialTypes[type.name] = type;
  }
  const credentialsHelper = new PlainCredentialsHelper({ ...(options.credentials ?? {}) }, credentialTypes);

  await ensureExpressionEngine();

  const workflowId = workflowData.id ?? 'harness-workflow';
  const workflow = new Workflow({
    id: workflowId,
    name: workflowData.name ?? 'Harness workflow',
    nodes: workflowData.nodes,
    connections: workflowData.connections,
    active: false,
    nodeTypes,
    staticData: workflowData.staticData,
    // n8n has saved every workflow with the v1 execution order since 1.0.
    settings: { executionOrder: 'v1', ...(workflowData.settings ?? {}) },
    pinData: workflowData.pinData,
  });

  const start = workflow.getNode(findStartNode(workflowData, options.startNode).name)!;
  const startType = nodeTypes.getByNameAndVersion(start.type, start.typeVersion);
  const mode: WorkflowExecuteMode = options.mode ?? (startType.webhook ? 'webhook' : 'trigger');

  const executionId = String(++executionCounter);
  const baseData: IWorkflowBase = {
    id: workflowId,
    name: workflow.name ?? 'Harness workflow',
    active: false,
    isArchived: false,
    activeVersionId: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    nodes: workflowData.nodes,
    connections: workflowData.connections,
    settings: workflow.settings,
  };
  const hooks = new ExecutionLifecycleHooks(mode, executionId, baseData);
  const executionOrder: string[] = [];
  const responses: IExecuteResponsePromiseData[] = [];
  let finished: IRun | undefined;
  hooks.addHandler('nodeExecuteAfter', (nodeName) => {
    executionOrder.push(nodeName);
  });
  hooks.addHandler('sendResponse', (response) => {
    responses.push(response);
  });
  hooks.addHandler('workflowExecuteAfter', (fullRunData) => {
    finished = fullRunData;
  });

  const unsupported = (what: string) => () => {
    throw new Error(`${what} is not available in the in-process engine harness; use the n8n host (scripts/n8n-host.mjs)`);
  };
  const localUrl = 'http://127.0.0.1:5678';
  const additionalData = {
    hooks,
    credentialsHelper,
    executionId,
    workflowId,
    currentNodeExecutionIndex: 0,
    variables: {},
    restApiUrl: `${localUrl}/rest`,
    instanceBaseUrl: `${localUrl}/`,
    formBaseUrl: `${localUrl}/form`,
    formWaitingBaseUrl: `${localUrl}/form-waiting`,
    formTestBaseUrl: `${localUrl}/form-test`,
    webhookBaseUrl: `${localUrl}/webhook`,
    webhookWaitingBaseUrl: `${localUrl}/webhook-waiting`,
    webhookTestBaseUrl: `${localUrl}/webhook-test`,
    mcpBaseUrl: `${localUrl}/mcp`,
    mcpTestBaseUrl: `${localUrl}/mcp-test`,
    executeWorkflow: unsupported('Running sub-workflows'),
    startRunnerTask: unsupported('The Code node task runner'),
    getRunExecutionData: async () => undefined,
    getRuntimeCredential: async () => undefined,
    logAiEvent: () => undefined,
  } as unknown as IWorkflowExecuteAdditionalData;

  const runExecutionData = createRunExecutionData({
    resultData: { runData: {}, pinData: workflowData.pinData },
    executionData: {
      nodeExecutionStack: [{ node: start, data: { main: [toItems(options.items)] }, source: null }],
    },
  });

  const workflowExecute = new WorkflowExecute(additionalData, mode, runExecutionData);
  const returned = await workflowExecute.processRunExecutionData(workflow);
  const run = finished ?? returned;
  const { runData } = run.data.resultData;

  const taskData = (nodeName: string, runIndex: number) => {
    const runs = runData[nodeName];
    if (!runs) {
      throw new Error(`Node "${nodeName}" did not run (ran: ${executionOrder.join(', ') || 'none'})`);
    }
    const task = runs[runIndex];
    if (!task) throw new Error(`Node "${nodeName}" has no run ${runIndex} (it ran ${runs.length} time(s))`);
    return task;
  };
  const output = (nodeName: string, branch = 0, runIndex = 0): INodeExecutionData[] =>
    taskData(nodeName, runIndex).data?.[NodeConnectionTypes.Main]?.[branch] ?? [];

  return {
    status: run.status,
    error: run.data.resultData.error as WorkflowRunResult['error'],
    executionOrder,
    output,
    json: (nodeName, branch = 0, runIndex = 0) => output(nodeName, branch, runIndex).map((item) => item.json),
    branchCount: (nodeName, runIndex = 0) => taskData(nodeName, runIndex).data?.[NodeConnectionTypes.Main]?.length ?? 0,
    nodeError: (nodeName, runIndex = 0) => taskData(nodeName, runIndex).error as WorkflowRunResult['error'],
    responses,
    updatedCredentials: credentialsHelper.updated,
    // n8n stores static data as JSON between runs.
    staticData: JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
    run,
  };
}
