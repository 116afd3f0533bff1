#!/usr/bin/env node
// BullMQ side of the AdvWell queue benchmark (issue 4, item 9). Measures enqueue throughput,
// processing throughput, end-to-end pickup latency and Redis memory per waiting job against one
// Redis, with no-op handlers, and writes the figures as JSON for bench/compare.mjs.
// The protocol (counts, payload, retention, warm-up) is described in bench/README.md; the Java
// side (com.advwell.bench.QueueBench) follows the same one so that the ratios mean something.
//
// usage: node bench.mjs --host 127.0.0.1 --port 6379 --prefix <random> --out result.json [--quick]

import { writeFileSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker as Thread } from 'node:worker_threads';
import { once } from 'node:events';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';

const BULLMQ_VERSION = JSON.parse(
  readFileSync(new URL('./node_modules/bullmq/package.json', import.meta.url), 'utf8'),
).version;

// A subset of phases (--phases latency) is for investigating one figure; bench/run runs all.
const PHASES = ['enqueue', 'process', 'latency', 'memory'];

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: 6379, prefix: null, out: null, quick: false, phases: PHASES };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--host') opts.host = value();
    else if (a === '--port') opts.port = Number(value());
    else if (a === '--prefix') opts.prefix = value();
    else if (a === '--out') opts.out = value();
    else if (a === '--quick') opts.quick = true;
    else if (a === '--phases') opts.phases = value().split(',');
    else usage(`unknown argument ${a}`);
  }
  if (!opts.prefix || !opts.out) usage('--prefix and --out are required');
  if (opts.phases.some((p) => !PHASES.includes(p))) usage(`--phases takes a comma-separated subset of ${PHASES}`);
  if (!/^[A-Za-z0-9_.-]+$/.test(opts.prefix)) usage('--prefix may only hold letters, digits, _ . -');
  if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) usage('invalid --port');
  return opts;
}

function usage(msg) {
  console.error(`bench.mjs: ${msg}`);
  console.error('usage: node bench.mjs --host 127.0.0.1 --port 6379 --prefix <random> --out result.json [--quick] [--phases enqueue,process,latency,memory]');
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const div = opts.quick ? 10 : 1;
const N = {
  oneByOne: 10_000 / div,
  inFlight: 20_000 / div,
  inFlightWindow: 50,
  bulkSize: 1_000,
  bulkBatches: 20 / div,
  process: 50_000 / div,
  latencySeconds: 10 / div,
  latencyWarmupSeconds: 2 / div,
  memoryJobs: 100_000 / div,
  warmup: 2_000 / div,
};
const LATENCY_CONCURRENCY = 10;
const connection = { host: opts.host, port: opts.port };

// Bounded retention, as BullMQ's docs recommend for throughput and as AdvWell does by default
// (last 1,000 completed for 24 h, last 10,000 failed for 7 days): keeping every completed job
// (BullMQ's default) would make Redis grow without bound and is not what anyone should run.
const JOB_OPTIONS = {
  removeOnComplete: { count: 1000, age: 24 * 3600 },
  removeOnFail: { count: 10000, age: 7 * 24 * 3600 },
};

// Epoch time in microseconds: the wall clock read once (Date.now), advanced by the system-wide
// monotonic clock (process.hrtime), so that differences are microsecond-precise, never jump with
// NTP, and agree between this thread and the latency consumer thread (which gets the anchor).
const anchor = { epochMicros: Date.now() * 1000, monoMicros: Number(process.hrtime.bigint() / 1000n) };
const epochMicros = () => anchor.epochMicros + (Number(process.hrtime.bigint() / 1000n) - anchor.monoMicros);
const payload = (i) => ({ i, t: epochMicros() });
const log = (msg) => console.error(`[bullmq ${new Date().toISOString().slice(11, 19)}] ${msg}`);

const admin = new IORedis({ ...connection, maxRetriesPerRequest: 3, lazyConnect: false });
const openQueues = new Set();
const openWorkers = new Set();

function newQueue(name) {
  const q = new Queue(name, { connection, prefix: opts.prefix, defaultJobOptions: JOB_OPTIONS });
  openQueues.add(q);
  return q;
}

async function closeQueue(q) {
  openQueues.delete(q);
  await q.close();
}

// unlinkMatching: SCAN + UNLINK of every key matching the pattern; returns how many were removed.
async function unlinkMatching(pattern) {
  let cursor = '0';
  let removed = 0;
  do {
    const [next, keys] = await admin.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) removed += await admin.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}

// The prefix is validated to hold no glob characters, so it can go into a MATCH pattern as is.
const dropQueueKeys = (name) => unlinkMatching(`${opts.prefix}:${name}:*`);

async function usedMemory() {
  const info = await admin.info('memory');
  const m = /^used_memory:(\d+)/m.exec(info);
  if (!m) throw new Error('INFO memory has no used_memory');
  return Number(m[1]);
}

const round = (x, digits = 0) => Number(x.toFixed(digits));

// --- enqueue ---------------------------------------------------------------------------------

async function warmUpEnqueue() {
  const q = newQueue('warmup');
  await q.waitUntilReady();
  for (let i = 0; i < N.warmup / 4; i++) await q.add('bench', payload(i));
  await Promise.all(Array.from({ length: N.warmup / 4 }, (_, i) => q.add('bench', payload(i))));
  await q.addBulk(Array.from({ length: N.warmup / 2 }, (_, i) => ({ name: 'bench', data: payload(i) })));
  await closeQueue(q);
  await dropQueueKeys('warmup');
}

async function enqueueOneByOne() {
  const q = newQueue('enqueue-one');
  await q.waitUntilReady();
  const t0 = performance.now();
  for (let i = 0; i < N.oneByOne; i++) await q.add('bench', payload(i));
  const rate = N.oneByOne / ((performance.now() - t0) / 1000);
  await closeQueue(q);
  await dropQueueKeys('enqueue-one');
  return rate;
}

async function enqueueInFlight() {
  const q = newQueue('enqueue-inflight');
  await q.waitUntilReady();
  let next = 0;
  // A fixed window of outstanding adds: each lane starts its next add as soon as its last one
  // was acknowledged, so exactly N.inFlightWindow adds are in flight until the end.
  const lane = async () => {
    while (next < N.inFlight) {
      const i = next++;
      await q.add('bench', payload(i));
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: N.inFlightWindow }, lane));
  const rate = N.inFlight / ((performance.now() - t0) / 1000);
  await closeQueue(q);
  await dropQueueKeys('enqueue-inflight');
  return rate;
}

async function enqueueBulk() {
  const q = newQueue('enqueue-bulk');
  await q.waitUntilReady();
  const t0 = performance.now();
  for (let b = 0; b < N.bulkBatches; b++) {
    const jobs = Array.from({ length: N.bulkSize }, (_, k) => ({
      name: 'bench',
      data: payload(b * N.bulkSize + k),
    }));
    await q.addBulk(jobs);
  }
  const rate = (N.bulkBatches * N.bulkSize) / ((performance.now() - t0) / 1000);
  await closeQueue(q);
  await dropQueueKeys('enqueue-bulk');
  return rate;
}

// --- processing ------------------------------------------------------------------------------

async function fill(q, count) {
  for (let done = 0; done < count; done += N.bulkSize) {
    const n = Math.min(N.bulkSize, count - done);
    await q.addBulk(Array.from({ length: n }, (_, k) => ({ name: 'bench', data: payload(done + k) })));
  }
}

// processAt: jobs/s from the worker's start until the last of N.process pre-added jobs completed.
async function processAt(concurrency) {
  const name = `process-c${concurrency}`;
  const q = newQueue(name);
  await q.waitUntilReady();
  await fill(q, N.process);
  const waiting = await q.getWaitingCount();
  if (waiting !== N.process) throw new Error(`${name}: ${waiting} waiting jobs, expected ${N.process}`);

  let completed = 0;
  let t1 = 0;
  let resolveDone;
  const done = new Promise((r) => (resolveDone = r));
  const worker = new Worker(name, async () => {}, { connection, prefix: opts.prefix, concurrency, autorun: false });
  openWorkers.add(worker);
  worker.on('completed', () => {
    if (++completed === N.process) {
      t1 = performance.now();
      resolveDone();
    }
  });
  worker.on('failed', (job, err) => log(`${name}: job ${job?.id} failed: ${err?.message}`));
  worker.on('error', (err) => log(`${name}: worker error: ${err.message}`));
  await worker.waitUntilReady();
  const t0 = performance.now();
  worker.run().catch((err) => log(`${name}: run() failed: ${err.message}`));
  await done;
  const rate = N.process / ((t1 - t0) / 1000);
  await worker.close();
  openWorkers.delete(worker);
  await closeQueue(q);
  await dropQueueKeys(name);
  return rate;
}

// --- latency ---------------------------------------------------------------------------------

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, idx)];
}

// produceAt: adds `count` jobs open-loop at `rate` per second: each add starts when the clock
// says it is due, whether or not earlier adds have been acknowledged; a late timer makes a small
// burst, as a real open-loop producer would, instead of silently lowering the rate.
async function produceAt(q, rate, count, index) {
  const pending = [];
  const start = performance.now();
  const interval = 1000 / rate;
  let sent = 0;
  let maxLagMs = 0;
  while (sent < count) {
    const now = performance.now();
    while (sent < count && start + sent * interval <= now) {
      maxLagMs = Math.max(maxLagMs, now - (start + sent * interval));
      pending.push(q.add('bench', payload(index(sent))));
      sent++;
    }
    if (sent < count) {
      const wait = start + sent * interval - performance.now();
      if (wait >= 1) await sleep(Math.floor(wait));
      else await new Promise((r) => setImmediate(r));
    }
  }
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(pending);
  return { seconds, maxLagMs };
}

// latencyAt: adds jobs open-loop at `rate` per second for N.latencySeconds (each add is started
// when the clock says it is due, whether or not earlier adds have been acknowledged) and records,
// in the handler, the time since that job's add call started (the `t` in its payload). The
// BullMQ worker runs in a worker thread (latency-consumer.mjs) so producer and consumer do not
// share one event loop.
async function latencyAt(rate) {
  const name = `latency-${rate}`;
  const total = Math.round(rate * N.latencySeconds);
  const warmup = Math.round(rate * N.latencyWarmupSeconds);
  const q = newQueue(name);
  await q.waitUntilReady();
  const consumer = new Thread(new URL('./latency-consumer.mjs', import.meta.url), {
    workerData: { connection, prefix: opts.prefix, queue: name, concurrency: LATENCY_CONCURRENCY, total, warmup, anchor },
  });
  let resolveDone, rejectDone;
  const done = new Promise((res, rej) => ((resolveDone = res), (rejectDone = rej)));
  let resolveReady, resolveWarm;
  const ready = new Promise((r) => (resolveReady = r));
  const warm = new Promise((r) => (resolveWarm = r));
  consumer.on('message', (msg) => {
    if (msg.type === 'ready') resolveReady();
    else if (msg.type === 'warm') resolveWarm();
    else if (msg.type === 'done') resolveDone(msg.samples);
    else if (msg.type === 'error') log(`${name}: worker error: ${msg.message}`);
  });
  consumer.on('error', (err) => rejectDone(err));
  // `done` rejects if the thread dies, so a broken consumer ends the run instead of hanging it.
  await Promise.race([ready, done]);
  // Warm-up at the same rate (jobs with negative i, not measured), then let the worker reach
  // its idle blocking wait, as a long-running consumer would be.
  await produceAt(q, rate, warmup, (k) => -1 - k);
  await Promise.race([warm, done]);
  await sleep(500);

  const { seconds: sendSeconds, maxLagMs } = await produceAt(q, rate, total, (k) => k);
  const timeout = sleep(30_000).then(() => 'timeout');
  const samples = await Promise.race([done, timeout]);
  consumer.postMessage('close');
  await once(consumer, 'exit');
  if (samples === 'timeout') throw new Error(`${name}: not all of ${total} jobs were processed within 30 s`);
  await closeQueue(q);
  await dropQueueKeys(name);

  samples.sort((a, b) => a - b);
  log(`${name}: sent ${total} in ${sendSeconds.toFixed(2)} s (${(total / sendSeconds).toFixed(0)}/s), max schedule lag ${maxLagMs.toFixed(1)} ms`);
  return {
    p50: round(percentile(samples, 50), 3),
    p95: round(percentile(samples, 95), 3),
    p99: round(percentile(samples, 99), 3),
    max: round(samples[samples.length - 1], 3),
  };
}

// --- memory ----------------------------------------------------------------------------------

// memoryPerWaitingJob: growth of Redis used_memory while N.memoryJobs jobs wait (no worker),
// divided by their number. The queue's fixed keys (meta, id counter, events stream) are created
// before the first reading, so only per-job memory is counted; BullMQ's events stream (trimmed
// to about 10,000 entries) is BullMQ's own cost and stays in.
//
// The figure reported uses jobs without options, BullMQ's leanest job hash: BullMQ stores each
// job's options in the job, so the bounded-retention options used everywhere else would add
// their JSON to every waiting job. Measuring BullMQ at its leanest keeps the target
// "AdvWell <= BullMQ" conservative; the figure with the options is logged for reference.
async function memoryPerWaitingJob(name, jobOptions) {
  const q = new Queue(name, { connection, prefix: opts.prefix, defaultJobOptions: jobOptions });
  openQueues.add(q);
  await q.waitUntilReady();
  await q.add('bench', payload(-1));
  await q.drain();
  await sleep(200);
  const before = await usedMemory();
  await fill(q, N.memoryJobs);
  await sleep(200);
  const after = await usedMemory();
  const waiting = await q.getWaitingCount();
  if (waiting !== N.memoryJobs) throw new Error(`${name}: ${waiting} waiting jobs, expected ${N.memoryJobs}`);
  await closeQueue(q);
  await dropQueueKeys(name);
  return (after - before) / N.memoryJobs;
}

// --- main ------------------------------------------------------------------------------------

async function cleanup() {
  for (const w of openWorkers) await w.close(true).catch(() => {});
  for (const q of openQueues) await q.close().catch(() => {});
  const removed = await unlinkMatching(`${opts.prefix}:*`);
  if (removed > 0) log(`removed ${removed} leftover keys under ${opts.prefix}:`);
  await admin.quit();
}

async function main() {
  log(`BullMQ ${BULLMQ_VERSION} against ${opts.host}:${opts.port}, prefix ${opts.prefix}${opts.quick ? ' (quick: counts / 10)' : ''}`);
  await admin.ping();
  const result = { engine: 'bullmq', version: BULLMQ_VERSION };

  const runs = (phase) => opts.phases.includes(phase);
  if (runs('enqueue')) {
    await warmUpEnqueue();
    result.enqueue_one_by_one = round(await enqueueOneByOne());
    log(`enqueue one by one: ${result.enqueue_one_by_one} jobs/s`);
    result.enqueue_50_in_flight = round(await enqueueInFlight());
    log(`enqueue 50 in flight: ${result.enqueue_50_in_flight} jobs/s`);
    result.enqueue_bulk_1000 = round(await enqueueBulk());
    log(`enqueue bulk of 1000: ${result.enqueue_bulk_1000} jobs/s`);
  }

  for (const c of runs('process') ? [1, 10, 100] : []) {
    result[`process_c${c}`] = round(await processAt(c));
    log(`process ${N.process} at concurrency ${c}: ${result[`process_c${c}`]} jobs/s`);
  }

  for (const rate of runs('latency') ? [500, 2000] : []) {
    result[`latency_${rate}`] = await latencyAt(rate);
    log(`latency at ${rate}/s: ${JSON.stringify(result[`latency_${rate}`])} ms`);
  }

  if (runs('memory')) {
    result.memory_per_waiting_job = round(await memoryPerWaitingJob('memory', {}), 1);
    log(`memory per waiting job: ${result.memory_per_waiting_job} B (jobs without options)`);
    const withOptions = round(await memoryPerWaitingJob('memory-retention', JOB_OPTIONS), 1);
    log(`memory per waiting job with the bounded-retention options: ${withOptions} B (reference only)`);
  }

  writeFileSync(opts.out, JSON.stringify(result, null, 2) + '\n');
  log(`wrote ${opts.out}`);
}

let failed = false;
process.on('SIGINT', () => {
  log('interrupted; cleaning up');
  cleanup().finally(() => process.exit(130));
});
try {
  await main();
} catch (err) {
  failed = true;
  console.error(err);
} finally {
  await cleanup();
}
process.exit(failed ? 1 : 0);
