/**
 * Keeps a Lambda worker's traffic on this machine: every TCP connection (fetch, http/https,
 * the AWS SDK, raw sockets all end in `net.Socket.prototype.connect`) to a host other than
 * the loopback is refused before any DNS lookup, with an error that says why. The SDK v3 talks
 * to the gateway on 127.0.0.1; the SDK v2 ignores AWS_ENDPOINT_URL and would call real AWS.
 *
 * Plain JavaScript, like `worker-entry.mjs`.
 */
import net from 'node:net';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|\[::1\])$/i;

/** The host and port a `Socket#connect` call names, or undefined for a local (IPC) path. */
function destination(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') {
    if (first.path !== undefined && first.path !== null) return undefined;
    return { host: String(first.host ?? 'localhost'), port: first.port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined;
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first };
}

/** Refuses connections off the machine, from now on, in this worker. */
export function guardNetwork() {
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(...args) {
    const to = destination(args);
    if (to === undefined || LOOPBACK.test(to.host)) return connect.apply(this, args);
    const error = new Error(`pp-local: blocked a connection to ${to.host}:${to.port}: a local run never sends traffic off the machine (AWS SDK v3 clients follow AWS_ENDPOINT_URL; the SDK v2 does not)`);
    error.code = 'ECONNREFUSED';
    process.nextTick(() => this.destroy(error));
    return this;
  };
}
