// Lints code as if it were a given file of the project, with the project's own ESLint config (the
// one `npm run lint` uses), in one ESLint for many probes. Reads [{ path, code }] as JSON on stdin,
// prints [{ path, errorCount, restricted: [message] }]. Run by test/lint/boundaries.test.ts (jest
// cannot load ESLint's ESM config itself).
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const probes = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const eslint = new ESLint({ cwd: root });
const out = [];
for (const { path: file, code } of probes) {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  out.push({ path: file, errorCount: result.errorCount, restricted: result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message) });
}
process.stdout.write(JSON.stringify(out));
