// Webhook delivery end to end, one side at a time, against receiver.mjs: N `http` jobs are queued
// while the queue is paused, then the queue is resumed; the clock runs from the resume call to the
// last delivery the receiver counted once every job arrived (or nothing arrived for --idle-s).
//
// usage: node delivery.mjs --side advwell --api http://127.0.0.1:8281 --key-file F --admin-key-file F ...
//        node delivery.mjs --side bullmq --redis-port 6392 --prefix P [--processes 3 --concurrency 20] ...
//   common: --receiver http://127.0.0.1:8291/hooks --control http://127.0.0.1:8292 --jobs 20000
//           --out result.json [--idle-s 20] [--warmup-rounds 0] [--rounds 1]
// --warmup-rounds K runs K rounds of the same jobs first, with the same workers (the JVM's JIT and
// V8 both warm up), and reports them apart; then --rounds M measured rounds: the figure is their
// median (a round of 20,000 jobs lasts about two seconds, so one round moves by a fifth from run
// to run), and every measured round is in the output.
// The AdvWell side uses the REST API: the admin key pauses and resumes queue `webhooks`, the client
// key bulk-adds the jobs (1,000 a call), and the cluster's replicas deliver them with their own
// consumers. The BullMQ side adds the same jobs with Queue.addBulk and forks --processes
// webhook-worker.mjs, resuming the queue once every worker is connected.
// Output: {"side","jobs","seconds","per_second","received" (the median round's),"lost","duplicates"
//          (summed over the measured rounds),"failed","rounds":[{"seconds","per_second","received","lost",
//          "duplicates"}, ...],"warmup":[the same, ...]}.
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';

const { values: opts } = parseArgs({
  options: {
    side: { type: 'string' },
    receiver: { type: 'string', default: 'http://127.0.0.1:8291/hooks' },
    control: { type: 'string', default: 'http://127.0.0.1:8292' },
    jobs: { type: 'string', default: '20000' },
    out: { type: 'string' },
    'idle-s': { type: 'string', default: '20' },
    'warmup-rounds': { type: 'string', default: '0' },
    rounds: { type: 'string', default: '1' },
    api: { type: 'string' },
    'key-file': { type: 'string' },
    'admin-key-file': { type: 'string' },
    'redis-host': { type: 'string', default: '127.0.0.1' },
    'redis-port': { type: 'string', default: '6379' },
    prefix: { type: 'string' },
    processes: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '20' },
  },
});
const N = Number(opts.jobs);
const WARMUP_ROUNDS = Number(opts['warmup-rounds']);
const MEASURED_ROUNDS = Math.max(1, Number(opts.rounds));
const BULK = 1000;
const run = Date.now().toString(36);
let round = 0; // ids differ per round: a later round must not find the jobs of an earlier one
const jobId = (i) => `fd-${run}-${round}-${i}`;
const jobPayload = (i) => ({ url: opts.receiver, body: { event: 'bench.delivery', i } });
const nowMs = () => performance.timeOrigin + performance.now();
const log = (msg) => console.error(`delivery (${opts.side}): ${msg}`);

const receiverStats = async () => (await fetch(`${opts.control}/stats`)).json();

// awaitDeliveries <t0>: polls the receiver until every job arrived, or none arrived for --idle-s;
// the time is taken from the receiver's last delivery at the moment the count was complete, then
// two more seconds catch late duplicates.
const awaitDeliveries = async (t0) => {
  let stats, lastChange = nowMs(), seen = -1;
  for (;;) {
    stats = await receiverStats();
    if (stats.withId !== seen) {
      seen = stats.withId;
      lastChange = nowMs();
    }
    if (stats.unique >= N) break;
    if (nowMs() - lastChange > Number(opts['idle-s']) * 1000) {
      log(`no delivery for ${opts['idle-s']} s; ${stats.unique} of ${N} arrived`);
      break;
    }
    await sleep(50);
  }
  const seconds = ((stats.lastMs ?? t0) - t0) / 1000;
  await sleep(2000);
  const final = await receiverStats();
  return { seconds, received: final.unique, lost: N - final.unique, duplicates: final.duplicates };
};

const perSecond = (r) => (r.seconds > 0 ? r.received / r.seconds : 0);

// rounds <once>: WARMUP_ROUNDS unmeasured rounds, then MEASURED_ROUNDS measured ones, answered as
// their median with every round listed; once() runs one round (queue, reset the receiver, resume,
// await the deliveries) and answers awaitDeliveries' figures.
const rounds = async (once) => {
  const warmup = [], measured = [];
  for (round = 0; round < WARMUP_ROUNDS + MEASURED_ROUNDS; round++) {
    const r = await once();
    const figures = { seconds: r.seconds, per_second: perSecond(r), received: r.received, lost: r.lost, duplicates: r.duplicates };
    const warm = round < WARMUP_ROUNDS;
    const what = warm ? `warm-up round ${round + 1} of ${WARMUP_ROUNDS}` : `measured round ${round - WARMUP_ROUNDS + 1} of ${MEASURED_ROUNDS}`;
    log(`${what}: ${figures.per_second.toFixed(0)}/s, lost ${r.lost}, dup ${r.duplicates}`);
    (warm ? warmup : measured).push(figures);
  }
  const median = [...measured].sort((a, b) => a.per_second - b.per_second)[Math.floor((measured.length - 1) / 2)];
  const sum = (key) => measured.reduce((total, r) => total + r[key], 0);
  return { seconds: median.seconds, received: median.received, lost: sum('lost'), duplicates: sum('duplicates'), rounds: measured, warmup };
};

const api = async (path, keyFile, body, method = 'POST') => {
  const response = await fetch(`${opts.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${readFileSync(keyFile, 'utf8').trim()}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
};

const advwell = async () => {
  const admin = opts['admin-key-file'];
  const result = await rounds(async () => {
    await api('/api/queues/webhooks/pause', admin);
    for (let start = 0; start < N; start += BULK) {
      const jobs = [];
      for (let i = start; i < Math.min(N, start + BULK); i++) jobs.push({ id: jobId(i), type: 'http', payload: jobPayload(i) });
      await api('/api/queues/webhooks/jobs/bulk', opts['key-file'], { jobs });
    }
    log(`${N} jobs queued (paused); resuming`);
    await fetch(`${opts.control}/reset`, { method: 'POST' });
    const t0 = nowMs();
    await api('/api/queues/webhooks/resume', admin);
    return awaitDeliveries(t0);
  });
  const queue = await api('/api/queues/webhooks', admin, undefined, 'GET');
  return { ...result, failed: queue.counts?.failed ?? null };
};

const bullmq = async () => {
  const connection = { host: opts['redis-host'], port: Number(opts['redis-port']) };
  const defaultJobOptions = {
    attempts: 3,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: { count: 1000, age: 86400 },
    removeOnFail: { count: 10000, age: 604800 },
  };
  const queue = new Queue('webhooks', { connection, prefix: opts.prefix, defaultJobOptions });
  const queueAll = async () => {
    await queue.pause();
    for (let start = 0; start < N; start += BULK) {
      const jobs = [];
      for (let i = start; i < Math.min(N, start + BULK); i++) jobs.push({ name: 'http', data: jobPayload(i), opts: { jobId: jobId(i) } });
      await queue.addBulk(jobs);
    }
  };
  const env = {
    ...process.env,
    REDIS_HOST: connection.host,
    REDIS_PORT: String(connection.port),
    PREFIX: opts.prefix,
    CONCURRENCY: opts.concurrency,
  };
  const workers = Array.from({ length: Number(opts.processes) }, () =>
    fork(new URL('./webhook-worker.mjs', import.meta.url), { env }));
  try {
    await Promise.all(workers.map((w) => new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('exit', (code) => reject(new Error(`a webhook worker exited (${code}) before it was ready`)));
    })));
    log(`${workers.length} workers ready`);
    const result = await rounds(async () => {
      await queueAll();
      log(`${N} jobs queued (paused); resuming`);
      await fetch(`${opts.control}/reset`, { method: 'POST' });
      const t0 = nowMs();
      await queue.resume();
      return awaitDeliveries(t0);
    });
    return { ...result, failed: await queue.getFailedCount() };
  } finally {
    for (const w of workers) w.disconnect();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
  }
};

if (!['advwell', 'bullmq'].includes(opts.side)) throw new Error('--side must be advwell or bullmq');
const result = await (opts.side === 'advwell' ? advwell() : bullmq());
const out = { side: opts.side, jobs: N, ...result, per_second: perSecond(result) };
log(JSON.stringify(out));
if (opts.out) writeFileSync(opts.out, JSON.stringify(out) + '\n');
process.exit(0);
