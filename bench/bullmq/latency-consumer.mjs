// Consumer side of bench.mjs's latency measurement, run in a worker thread so that the BullMQ
// worker does not share an event loop with the open-loop producer (in production they are
// separate processes; on one loop each would delay the other and the figure would measure that).
// Both threads compute epoch microseconds from the same anchor and the system-wide monotonic
// clock, so the difference between the payload's `t` and the handler's start is exact.

import { parentPort, workerData } from 'node:worker_threads';
import { Worker } from 'bullmq';

const { connection, prefix, queue, concurrency, total, warmup, anchor } = workerData;
const epochMicros = () => anchor.epochMicros + (Number(process.hrtime.bigint() / 1000n) - anchor.monoMicros);

const samples = new Float64Array(total);
let n = 0;
let warmed = 0;
const worker = new Worker(
  queue,
  async (job) => {
    // Warm-up jobs (negative i) only bring this thread's fresh isolate up to speed.
    if (job.data.i < 0) {
      if (++warmed === warmup) parentPort.postMessage({ type: 'warm' });
      return;
    }
    if (n < total) samples[n++] = (epochMicros() - job.data.t) / 1000;
    if (n === total) parentPort.postMessage({ type: 'done', samples: Array.from(samples) });
  },
  { connection, prefix, concurrency },
);
worker.on('error', (err) => parentPort.postMessage({ type: 'error', message: err.message }));
await worker.waitUntilReady();
parentPort.postMessage({ type: 'ready' });
parentPort.on('message', async (msg) => {
  if (msg === 'close') {
    await worker.close();
    parentPort.postMessage({ type: 'closed', processed: n });
    parentPort.close();
  }
});
