/**
 * The SQS emulator's thread: fauxqs on 127.0.0.1 and an ephemeral port, with the thread's
 * `Date` on the runtime clock (when the runtime runs on a manual or scaled clock).
 *
 * fauxqs reads `Date.now()` for every timer it keeps — visibility deadlines, delays, receive
 * timestamps, the FIFO deduplication window — so in this thread they all follow the runtime
 * clock without touching fauxqs. Its long-poll waits are wall `setTimeout`s: the gateway turns
 * a receive's wait (clock time) into wall waits (see `gateway/backends.ts`).
 *
 * Plain JavaScript, like the Lambda workers: the thread starts without a TypeScript loader (the
 * package's build copies it beside the bundled command, as it does the Lambda workers' files).
 * Messages: the parent posts `'close'`; the thread answers `{ closed: true }` once fauxqs has
 * released its long polls and stopped listening.
 */
import { parentPort, workerData } from 'node:worker_threads';

const { region, clock, preamble } = workerData;
// The Lambda workers' preamble, by URL: its place differs between the sources and the bundle.
if (clock) (await import(preamble)).installClock(clock);
// Loaded after the clock is installed, so no module of fauxqs holds on to the wall clock.
const { buildApp } = await import('fauxqs');
// fauxqs's own start helper would bind every interface.
const app = buildApp({ logger: false, defaultRegion: region });
await app.listen({ host: '127.0.0.1', port: 0 });
parentPort.postMessage({ port: app.server.address().port });
parentPort.on('message', async (message) => {
  if (message !== 'close') return;
  await app.close();
  parentPort.postMessage({ closed: true });
});
