// nodes/shared/parameters.ts reads a plain `={{ $json.field }}` from the item itself instead of
// asking n8n's expression engine (per item and parameter that engine costs about a millisecond).
// That is only allowed if it gives what n8n gives: here every shape runs through both ItemParameters
// and n8n's own getNodeParameter, in n8n's real engine, on items with every kind of value.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { fieldReference, ItemParameters } from '../../nodes/shared/parameters';
import { disposeEngine, runWorkflow } from '../support/n8n-engine';
import { node, start, workflow } from './support';

jest.setTimeout(120_000);

/** Shapes ItemParameters reads from the item itself, with the field they read. */
const TAKEN: Array<[string, string]> = [
  ['={{ $json.x }}', 'x'],
  ['={{$json.x}}', 'x'],
  ['={{   $json.x   }}', 'x'],
  ['={{\t$json.x\n}}', 'x'],
  ['={{ $json.n }}', 'n'],
  ['={{ $json.zero }}', 'zero'],
  ['={{ $json.yes }}', 'yes'],
  ['={{ $json.no }}', 'no'],
  ['={{ $json.nothing }}', 'nothing'],
  ['={{ $json.empty }}', 'empty'],
  ['={{ $json.obj }}', 'obj'],
  ['={{ $json.list }}', 'list'],
  ['={{ $json.missing }}', 'missing'],
  ['={{ $json._under }}', '_under'],
  ['={{ $json.$dollar }}', '$dollar'],
  ['={{ $json["e-mail"] }}', 'e-mail'],
  ["={{ $json['e-mail'] }}", 'e-mail'],
  ['={{ $json[ "x" ] }}', 'x'],
  ['={{ $json["with space"] }}', 'with space'],
  ['={{ $json["missing"] }}', 'missing'],
];

/** Shapes it must leave to n8n: anything more than one field of the item, text around it, guarded names. */
const LEFT_TO_N8N = [
  '={{ $json.x + 1 }}',
  '={{ $json.n + 1 }}',
  '={{ $json.obj.k }}',
  '={{ $json.deep.a.b }}',
  '={{ $json["obj"]["k"] }}',
  '={{ $json.x.toUpperCase() }}',
  '={{ $json.x ?? "none" }}',
  '={{ $json.missing ?? "none" }}',
  '={{ $node["Start"].json.x }}',
  '={{ $("Start").item.json.x }}',
  '={{ $input.item.json.x }}',
  '={{ $json.x }} and {{ $json.n }}',
  '={{ $json.x }}{{ $json.n }}',
  '=to: {{ $json.x }}',
  '={{ $json.x }} ',
  '={{ $json.x }}\n',
  '={{ $json.constructor }}',
  '={{ $json.__proto__ }}',
  '={{ $json.toString }}',
  '={{ $json["constructor"] }}',
  '={{ $json[`x`] }}',
  '={{ $json["a\\"b"] }}',
  '= {{ $json.x }}',
  '={{ JSON.stringify($json) }}',
  '={{ (() => $json.x)() }}',
  '={{ $json.x; }}',
  '={{ $json.x }',
  '=$json.x',
  '{{ $json.x }}',
  '$json.x',
  'plain text',
  '',
];

const ITEMS: IDataObject[] = [
  {
    x: 'anna@example.test',
    n: 42,
    zero: 0,
    yes: true,
    no: false,
    nothing: null,
    empty: '',
    obj: { k: 'v' },
    list: [1, 'two', { three: 3 }],
    deep: { a: { b: 'deep' } },
    _under: 'u',
    $dollar: 'd',
    'e-mail': 'dash@example.test',
    'with space': 'spaced',
  },
  { x: '  spaces kept  ', n: -1.5, yes: false, obj: {}, list: [] },
  {},
];

const SHAPES = [...TAKEN.map(([shape]) => shape), ...LEFT_TO_N8N];
// Each shape as a string, a number and a JSON parameter: n8n's getNodeParameter treats them alike.
const TYPES: Array<INodeProperties['type']> = ['string', 'number', 'json'];
const name = (s: number, t: number) => `p${s}_${TYPES[t]}`;

type Reading = { value: unknown } | { error: string };
const read = (get: () => unknown): Reading => {
  try {
    return { value: get() };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
};

/** Per parameter and item: what ItemParameters gave, and what n8n gave. */
const readings = new Map<string, Array<{ ours: Reading; n8n: Reading }>>();

class ParameterProbe implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Parameter Probe',
    name: 'parameterProbe',
    group: ['transform'],
    version: 1,
    description: 'Reads every parameter per item through ItemParameters and through n8n',
    defaults: { name: 'Parameter Probe' },
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    properties: SHAPES.flatMap((_, s) => TYPES.map((type, t) => ({ displayName: name(s, t), name: name(s, t), type, default: '' }) as INodeProperties)),
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const params = new ItemParameters(this, items);
    for (const parameter of Object.keys(this.getNode().parameters)) {
      readings.set(
        parameter,
        items.map((_, i) => ({ ours: read(() => params.get(parameter, i)), n8n: read(() => this.getNodeParameter(parameter, i)) })),
      );
    }
    return [items];
  }
}

beforeAll(async () => {
  const parameters = Object.fromEntries(SHAPES.flatMap((shape, s) => TYPES.map((_, t) => [name(s, t), shape])));
  const result = await runWorkflow(workflow([start(), node('Probe', 'test.parameterProbe', parameters)], [['Start', 'Probe']]), {
    nodeTypes: { 'test.parameterProbe': ParameterProbe },
    items: ITEMS,
  });
  expect(result.status).toBe('success');
});

afterAll(async () => {
  await disposeEngine();
});

test('the fast path takes exactly the plain field references, and leaves every other shape to n8n', () => {
  expect(TAKEN.map(([shape]) => fieldReference(shape))).toEqual(TAKEN.map(([, field]) => field));
  expect(LEFT_TO_N8N.filter((shape) => fieldReference(shape) !== null)).toEqual([]);
});

test.each(SHAPES.map((shape, s) => [shape, s] as const))('%j gives what n8n gives, on every item and parameter type', (_shape, s) => {
  for (let t = 0; t < TYPES.length; t++) {
    const got = readings.get(name(s, t));
    expect(got).toHaveLength(ITEMS.length);
    for (const { ours, n8n } of got!) {
      if ('error' in n8n) expect(ours).toEqual({ error: expect.any(String) });
      else expect(ours).toEqual(n8n);
    }
  }
});
