'use strict';
// TCP ports on 127.0.0.1 for the try-out, the benchmarks and the tests: one place for each probe.
// CommonJS on purpose: the try-out's ES modules import it (`import { freePort } from './ports.cjs'`),
// and so do jest's tests (compiled to CommonJS, which cannot load an ES module) and the benchmarks.

const net = require('node:net');

const LOOPBACK = '127.0.0.1';

/** A TCP port on 127.0.0.1 that nothing listens on now (the system picks it). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `count` different free ports, none of them in `taken` (a Set, which gets them added). */
async function freePorts(count, taken = new Set()) {
  const ports = [];
  while (ports.length < count) {
    const port = await freePort();
    if (taken.has(port)) continue;
    taken.add(port);
    ports.push(port);
  }
  return ports;
}

/** True when this process could listen on 127.0.0.1:port now. */
function isPortFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
function acceptsConnections(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: LOOPBACK, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** True when nothing accepts TCP connections on 127.0.0.1:port. */
async function isPortClosed(port) {
  return !(await acceptsConnections(port));
}

module.exports = { LOOPBACK, freePort, freePorts, isPortFree, acceptsConnections, isPortClosed };
