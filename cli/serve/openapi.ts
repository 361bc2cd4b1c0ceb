import { z } from 'zod/v4';
import { CheckItemSchema } from '../../core/ledger';
import { CheckBodySchema, EraseBodySchema, ErrorSchema, RequestBodySchema, RequestsQuerySchema, UnsubscribeBodySchema } from './schemas';

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
  '/v1/request': schema(RequestBodySchema),
  '/v1/check': { oneOf: [schema(CheckItemSchema.and(z.object({ strict: z.boolean().optional() }))), schema(CheckBodySchema)] },
  '/v1/unsubscribe': schema(UnsubscribeBodySchema),
  '/v1/erase': schema(EraseBodySchema),
};

export function openApiDocument(operations: { method: 'get' | 'post'; path: string; scope: string; summary: string }[]) {
  const error = { description: '', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const body = BODIES[op.path];
    const query = op.path === '/v1/requests' ? schema(RequestsQuerySchema) : undefined;
    paths[op.path] = {
      [op.method]: {
        operationId: op.path.slice(4),
        summary: op.summary,
        description: `Needs an API key with the scope "${op.scope}".`,
        security: [{ apiKey: [] }],
        'x-scope': op.scope,
        ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
        ...(query
          ? { parameters: Object.entries(query.properties as Record<string, unknown>).map(([name, s]) => ({ name, in: 'query', required: false, schema: s })) }
          : {}),
        responses: {
          200: { description: 'done', content: { 'application/json': { schema: { type: 'object' } } } },
          400: { ...error, description: 'bad input: the message names the field' },
          401: { ...error, description: 'no valid API key' },
          403: { ...error, description: `the key lacks the scope "${op.scope}"` },
          ...(op.path === '/v1/request' ? { 429: { ...error, description: 'too many signups from this client address' } } : {}),
        },
      },
    };
  }
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
