import { z } from 'zod/v4';
import { CheckItemSchema, FeedQuerySchema, HookCreateSchema } from '../../core/ledger';
import { IMPORT_COLUMNS } from '../../core/import';
import { CheckBodySchema, EraseBodySchema, ErrorSchema, ExportBodySchema, HoldBodySchema, ImportQuerySchema, FeedPageSchema, HookCreatedSchema, RequestBodySchema, RequestsQuerySchema, UnsubscribeBodySchema } from './schemas';

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the service parses with
 * (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses). Refinements (e.g. "give an email, a
 * phone number, …") are not expressible there; the 400 answer names them.
 */

const schema = (s: z.ZodType) => {
  const { $schema: _drop, ...rest } = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

const BODIES: Record<string, Record<string, unknown>> = {
  'post /v1/request': schema(RequestBodySchema),
  'post /v1/check': { oneOf: [schema(CheckItemSchema.and(z.object({ strict: z.boolean().optional() }))), schema(CheckBodySchema)] },
  'post /v1/unsubscribe': schema(UnsubscribeBodySchema),
  'post /v1/erase': schema(EraseBodySchema),
  'post /v1/hooks': schema(HookCreateSchema),
  'post /v1/hold': schema(HoldBodySchema),
  'post /v1/export': schema(ExportBodySchema),
};

/** Bodies that are not JSON. */
const RAW_BODIES: Record<string, Record<string, unknown>> = {
  'post /v1/import': { 'text/csv': { schema: { type: 'string', description: `a contacts CSV with a header row (, or ;): ${IMPORT_COLUMNS.join(', ')}; at most 1 MB` } } },
};

const QUERIES: Record<string, Record<string, unknown>> = {
  'get /v1/requests': schema(RequestsQuerySchema),
  'get /v1/events': schema(FeedQuerySchema),
  'post /v1/import': schema(ImportQuerySchema),
};

const OPERATION_IDS: Record<string, string> = { 'get /v1/hooks': 'listHooks', 'post /v1/hooks': 'createHook', 'delete /v1/hooks/{id}': 'deleteHook' };

/** What a 2xx answer holds, where more than "an object" is worth saying. */
const ANSWERS: Record<string, { status: number; description: string; schema?: Record<string, unknown> }> = {
  'get /v1/events': { status: 200, description: 'the events after the cursor, and the cursor to pass next', schema: schema(FeedPageSchema) },
  'post /v1/hooks': { status: 201, description: 'subscribed; the signing secret is shown this once', schema: schema(HookCreatedSchema) },
  'delete /v1/hooks/{id}': { status: 204, description: 'unsubscribed' },
};

export function openApiDocument(operations: { method: 'get' | 'post' | 'delete'; path: string; scope: string; summary: string }[]) {
  const error = { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const key = `${op.method} ${op.path}`;
    const body = BODIES[key];
    const query = QUERIES[key];
    const answer = ANSWERS[key] ?? { status: 200, description: 'done', schema: { type: 'object' } };
    const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
        operationId: OPERATION_IDS[key] ?? op.path.slice(4),
        summary: op.summary,
        description: `Needs an API key with the scope "${op.scope}".`,
        security: [{ apiKey: [] }],
        'x-scope': op.scope,
        ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
        ...(RAW_BODIES[key] ? { requestBody: { required: true, content: RAW_BODIES[key] } } : {}),
        ...(query || pathParams.length
          ? { parameters: [...pathParams, ...Object.entries((query?.properties ?? {}) as Record<string, unknown>).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }))] }
          : {}),
        responses: {
          [answer.status]: { description: answer.description, ...(answer.schema ? { content: { 'application/json': { schema: answer.schema } } } : {}) },
          400: { ...error, description: 'bad input: the message names the field' },
          401: { ...error, description: 'no valid API key' },
          403: { ...error, description: `the key lacks the scope "${op.scope}"` },
          413: { ...error, description: 'the body is over 1 MB' },
          429: { ...error, description: op.path === '/v1/request' ? "too many calls for this key, or signups from this client address; see Retry-After" : "too many calls for this key (its --rate); see Retry-After" },
          ...(op.method === 'delete' ? { 404: { ...error, description: 'no such hook' } } : {}),
        },
    };
  }
  paths['/v1/key'] = {
    get: {
      operationId: 'key',
      summary: "The calling key's id and scopes (any valid key): a client's credential test",
      security: [{ apiKey: [] }],
      responses: { 200: { description: '{ id, scopes }', content: { 'application/json': { schema: { type: 'object' } } } }, 401: { ...error, description: 'no valid API key' } },
    },
  };
  return {
    openapi: '3.1.0',
    info: { title: 'n8n-consent service', version: '1', description: 'The consent ledger over HTTP. The link pages (confirm, unsubscribe, preferences, erase, access) are served under /consent/ and need no key.' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'n8n-consent keys create --scope check,request' } },
      schemas: { Error: schema(ErrorSchema) },
    },
    paths,
  };
}
