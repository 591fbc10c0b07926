/**
 * Preloaded with `node --require` to prove a process needs no network: every way Node offers to open a
 * connection or resolve a name throws, and the attempt is printed to stderr as "NETWORK BLOCKED: ...".
 */
const net = require('node:net');
const tls = require('node:tls');
const http = require('node:http');
const https = require('node:https');
const dns = require('node:dns');
const dgram = require('node:dgram');

function blocked(what) {
  return function () {
    process.stderr.write(`NETWORK BLOCKED: ${what}\n`);
    throw new Error(`network access blocked: ${what}`);
  };
}

net.connect = net.createConnection = blocked('net.connect');
net.Socket.prototype.connect = blocked('net.Socket.connect');
tls.connect = blocked('tls.connect');
for (const [name, mod] of [
  ['http', http],
  ['https', https],
]) {
  mod.request = blocked(`${name}.request`);
  mod.get = blocked(`${name}.get`);
}
dns.lookup = blocked('dns.lookup');
dns.resolve = blocked('dns.resolve');
dns.promises.lookup = blocked('dns.promises.lookup');
dgram.createSocket = blocked('dgram.createSocket');
globalThis.fetch = blocked('fetch');
globalThis.WebSocket = blocked('WebSocket');
