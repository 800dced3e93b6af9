/**
 * The SQS emulator's thread: fauxqs, with the thread's `Date` on the runtime clock (when the
 * runtime runs on a manual or scaled clock).
 *
 * fauxqs reads `Date.now()` for every timer it keeps — visibility deadlines, delays, receive
 * timestamps, the FIFO deduplication window — so in this thread they all follow the runtime
 * clock without touching fauxqs. Its long-poll waits are wall `setTimeout`s: the gateway turns
 * a receive's wait (clock time) into wall waits (see `gateway/backends.ts`).
 *
 * The runtime's requests come as messages on the thread's port and are answered with fastify's
 * `inject` — no socket, no HTTP parsing — correlated by id; a long poll waits here without
 * holding up the others. fauxqs also listens on 127.0.0.1 and an ephemeral port (its start
 * helper would bind every interface), for callers that speak HTTP to the emulator itself.
 *
 * Plain JavaScript, like the Lambda workers: the thread starts without a TypeScript loader (the
 * package's build copies it beside the bundled command, as it does the Lambda workers' files).
 * Messages: the parent posts `{ id, method, url, headers, body }` and gets
 * `{ id, status, headers, body }` (the body's buffer transferred) or `{ id, error }`; it posts
 * `'close'` and gets `{ closed: true }` once fauxqs has released its long polls and stopped.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { region, clock, preamble } = workerData;
// The Lambda workers' preamble, by URL: its place differs between the sources and the bundle.
if (clock) (await import(preamble)).installClock(clock);
// Loaded after the clock is installed, so no module of fauxqs holds on to the wall clock.
const { buildApp } = await import('fauxqs');
const app = buildApp({ logger: false, defaultRegion: region });
await app.listen({ host: '127.0.0.1', port: 0 });
parentPort.postMessage({ port: app.server.address().port });

/** A buffer whose memory can be transferred: pooled small buffers share theirs, so they are copied. */
function ownBuffer(raw) {
  if (raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength) return raw;
  const copy = new Uint8Array(raw.byteLength);
  copy.set(raw);
  return copy;
}

async function answer({ id, method, url, headers, body }) {
  try {
    const res = await app.inject({ method, url, headers, payload: Buffer.from(body.buffer, body.byteOffset, body.byteLength) });
    const out = ownBuffer(res.rawPayload);
    parentPort.postMessage({ id, status: res.statusCode, headers: res.headers, body: out }, [out.buffer]);
  } catch (err) {
    parentPort.postMessage({ id, error: String(err?.message ?? err) });
  }
}

/** Requests being answered: closing waits for them, so a released long poll is answered, not dropped. */
const pending = new Set();

parentPort.on('message', async (message) => {
  if (message !== 'close') {
    const answering = answer(message);
    pending.add(answering);
    void answering.finally(() => pending.delete(answering));
    return;
  }
  await app.close();
  await Promise.allSettled([...pending]);
  parentPort.postMessage({ closed: true });
});
