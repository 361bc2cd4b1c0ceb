import { escapeHtml } from '../../core/html';

/**
 * The docs page at /docs: the OpenAPI document as one small HTML page, rendered here on the server
 * (no script, no external asset, every value escaped), so it works offline and under a strict CSP.
 */

type Json = Record<string, unknown>;

const e = (v: unknown) => escapeHtml(String(v ?? ''));

/** A schema as a short type: string, integer 1..500, one of a | b, list of …, object. */
function typeOf(s: Json | undefined): string {
  if (!s) return '';
  if (Array.isArray(s.enum)) return `one of ${(s.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ')}`;
  if (s.const !== undefined) return JSON.stringify(s.const);
  const variants = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (variants) return variants.map(typeOf).filter(Boolean).join(' or ');
  if (s.type === 'array') return `list of ${typeOf(s.items as Json) || 'values'}${s.maxItems !== undefined ? ` (at most ${String(s.maxItems)})` : ''}`;
  const huge = (v: unknown) => typeof v === 'number' && Math.abs(v) >= Number.MAX_SAFE_INTEGER;
  const range = (s.minimum !== undefined || s.maximum !== undefined) && !huge(s.minimum) && !huge(s.maximum) ? ` ${String(s.minimum ?? '')}..${String(s.maximum ?? '')}` : '';
  return `${Array.isArray(s.type) ? s.type.join(' | ') : String(s.type ?? 'object')}${range}`;
}

function fieldRows(schema: Json | undefined, prefix = '', depth = 0): string {
  if (!schema || depth > 2) return '';
  const variants = (schema.oneOf ?? schema.anyOf ?? schema.allOf) as Json[] | undefined;
  if (variants && !schema.properties) return variants.map((v) => fieldRows(v, prefix, depth)).join('');
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties)
    .map(([name, s]) => {
      const row = `<tr><td><code>${e(prefix + name)}</code>${required.has(name) ? ' *' : ''}</td><td>${e(typeOf(s))}</td><td>${e(s.description)}</td></tr>`;
      const inner = s.type === 'array' ? (s.items as Json) : s.type === 'object' ? s : undefined;
      return row + (inner?.properties ? fieldRows(inner, `${prefix}${name}${s.type === 'array' ? '[]' : ''}.`, depth + 1) : '');
    })
    .join('');
}

const table = (rows: string) => (rows ? `<table><tr><th>field</th><th>type</th><th></th></tr>${rows}</table>` : '');

export function docsPage(doc: Json): string {
  const info = doc.info as Json;
  const sections = Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => {
      const params = ((op.parameters ?? []) as Json[]).map((p) => `<tr><td><code>${e(p.name)}</code> (${e(p.in)})${p.required ? ' *' : ''}</td><td>${e(typeOf(p.schema as Json))}</td><td>${e((p.schema as Json)?.description)}</td></tr>`).join('');
      const content = ((op.requestBody as Json | undefined)?.content ?? {}) as Record<string, Json>;
      const bodies = Object.entries(content).map(([type, c]) => `<p>Body (<code>${e(type)}</code>): ${e((c.schema as Json)?.description)}</p>${table(fieldRows(c.schema as Json))}`).join('');
      const responses = Object.entries((op.responses ?? {}) as Record<string, Json>).map(([status, r]) => `<li><b>${e(status)}</b> ${e(r.description)}</li>`).join('');
      const answer = Object.values((op.responses ?? {}) as Record<string, Json>).find((r) => (r.content as Json | undefined)?.['application/json'] && !String(r.description).startsWith('bad'));
      const answerSchema = ((answer?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema as Json | undefined;
      return `<section id="${e(op.operationId)}"><h2><span class="m">${e(method.toUpperCase())}</span> <code>${e(path)}</code></h2>
<p>${e(op.summary)}. ${e(op.description)}</p>${params ? `<p>Parameters</p>${table(params)}` : ''}${bodies}<p>Answers</p><ul>${responses}</ul>${answerSchema?.properties ? table(fieldRows(answerSchema)) : ''}</section>`;
    }),
  );
  const toc = sections.length ? Object.entries(doc.paths as Record<string, Record<string, Json>>).flatMap(([path, ops]) => Object.entries(ops).map(([m, op]) => `<li><a href="#${e(op.operationId)}">${e(m.toUpperCase())} ${e(path)}</a></li>`)).join('') : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(info.title)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}code{background:#f3f3f3;padding:0 .2em}
table{border-collapse:collapse;margin:.3rem 0 1rem}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}
section{border-top:1px solid #ccc;margin-top:1.5rem}.m{font-family:monospace;background:#224;color:#fff;padding:0 .4em;border-radius:3px}</style></head>
<body><h1>${e(info.title)}</h1><p>${e(info.description)}</p>
<p>Every <code>/v1/</code> call needs <code>Authorization: Bearer &lt;key&gt;</code> (<code>n8n-consent keys create --scope …</code>); fields marked * are required. The machine-readable document: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${e(doc.openapi)}).</p>
<ul>${toc}</ul>
${sections.join('\n')}
</body></html>`;
}
