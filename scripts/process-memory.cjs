// The memory a process keeps, read after a full garbage collection: without one, a busy Node
// process's resident memory moves by hundreds of MB of garbage not yet collected. Sends the process
// SIGUSR1 (Node opens its inspector on the --inspect-port it was started with; queue mode gives each
// n8n instance one on 127.0.0.1), asks the inspector for a full collection and the JavaScript heap's
// size, then reads the resident memory from /proc. Memory outside the heap (isolated-vm isolates,
// native buffers) shows in `rss` and not in `heapUsed`.
const fs = require('node:fs');

const LOOPBACK = '127.0.0.1';

/** Current and peak resident memory of a process, from /proc (bytes). */
function residentMemory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** @param {{pid: number, inspectPort: number, timeoutMs?: number}} options */
async function memoryAfterGc({ pid, inspectPort, timeoutMs = 30_000 }) {
  process.kill(pid, 'SIGUSR1');
  const deadline = Date.now() + timeoutMs;
  let targets;
  while (!targets?.length) {
    targets = await fetch(`http://${LOOPBACK}:${inspectPort}/json/list`).then((r) => r.json(), () => undefined);
    if (targets?.length) break;
    if (Date.now() > deadline) throw new Error(`process ${pid} opened no inspector on ${LOOPBACK}:${inspectPort} within ${timeoutMs} ms after SIGUSR1`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl);
  try {
    await new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve);
      ws.addEventListener('error', () => reject(new Error(`could not connect to the inspector of process ${pid}`)));
    });
    let seq = 0;
    const pending = new Map();
    ws.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data));
      const settle = pending.get(message.id);
      pending.delete(message.id);
      if (!settle) return;
      if (message.error) settle.reject(new Error(`inspector: ${message.error.message}`));
      else settle.resolve(message.result);
    });
    const call = (method, params = {}) =>
      new Promise((resolve, reject) => {
        pending.set(++seq, { resolve, reject });
        ws.send(JSON.stringify({ id: seq, method, params }));
      });
    await call('HeapProfiler.collectGarbage');
    const answer = await call('Runtime.evaluate', { expression: 'process.memoryUsage().heapUsed', returnByValue: true });
    return { rss: residentMemory(pid).rss, heapUsed: Number(answer.result.value) };
  } finally {
    ws.close();
  }
}

module.exports = { memoryAfterGc, residentMemory };
