#!/usr/bin/env node
// Compares the AdvWell and BullMQ results of one benchmark run (the JSON files written by
// com.advwell.bench.QueueBench and bullmq/bench.mjs) against the targets of issue 4:
//   enqueue and processing throughput  AdvWell >= 2 x BullMQ
//   p99 pickup latency                 AdvWell <= BullMQ (both <= 2 ms counts as met)
//   Redis memory per waiting job       AdvWell <= BullMQ
// Every ratio is written so that higher is better for AdvWell: AdvWell/BullMQ for throughput,
// BullMQ/AdvWell for latency and memory. Always exits 0; the last line says how many targets were met.
//
// usage: node compare.mjs advwell.json bullmq.json   (either order: files are told apart by "engine")

import { readFileSync } from 'node:fs';

// Below this p99, both engines pick jobs up faster than the scheduling noise of the machine
// (timer slack, GC, a context switch), so which one is ahead says nothing.
const LATENCY_NOISE_MS = 2;

function load(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    // A missing result still gets a table (all "missing", every target failed) and the verdict line.
    console.error(`compare.mjs: cannot read ${path}: ${err.message}`);
    return {};
  }
}

if (process.argv.length !== 4) {
  console.error('usage: node compare.mjs advwell.json bullmq.json');
  process.exit(0);
}
const [x, y] = process.argv.slice(2).map(load);
const [adv, bull] = x.engine === 'bullmq' && y.engine !== 'bullmq' ? [y, x] : [x, y];

const get = (obj, path) => path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);
const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

// kind: 'throughput' (higher is better, target ratio >= 2), 'latency' (lower is better, target
// ratio >= 1 unless both are under the noise floor), 'memory' (lower is better, ratio >= 1),
// 'info' (shown for context, no target).
const METRICS = [
  ['enqueue_one_by_one', 'enqueue, awaited one by one', 'jobs/s', 'throughput'],
  ['enqueue_50_in_flight', 'enqueue, 50 in flight', 'jobs/s', 'throughput'],
  ['enqueue_bulk_1000', 'enqueue, bulk of 1,000', 'jobs/s', 'throughput'],
  ['process_c1', 'process 50k, concurrency 1', 'jobs/s', 'throughput'],
  ['process_c10', 'process 50k, concurrency 10', 'jobs/s', 'throughput'],
  ['process_c100', 'process 50k, concurrency 100', 'jobs/s', 'throughput'],
  ['latency_500.p50', 'latency p50 at 500/s', 'ms', 'info'],
  ['latency_500.p95', 'latency p95 at 500/s', 'ms', 'info'],
  ['latency_500.p99', 'latency p99 at 500/s', 'ms', 'latency'],
  ['latency_500.max', 'latency max at 500/s', 'ms', 'info'],
  ['latency_2000.p50', 'latency p50 at 2,000/s', 'ms', 'info'],
  ['latency_2000.p95', 'latency p95 at 2,000/s', 'ms', 'info'],
  ['latency_2000.p99', 'latency p99 at 2,000/s', 'ms', 'latency'],
  ['latency_2000.max', 'latency max at 2,000/s', 'ms', 'info'],
  ['memory_per_waiting_job', 'Redis memory per waiting job', 'B', 'memory'],
];

function fmt(v, unit) {
  if (!isNum(v)) return 'missing';
  if (unit === 'ms') return `${v.toFixed(v < 10 ? 2 : 1)} ms`;
  if (unit === 'B') return `${v.toFixed(0)} B`;
  return `${Math.round(v).toLocaleString('en-US')}/s`;
}

const rows = [];
let met = 0;
let targets = 0;
let noiseFloorUsed = false;
for (const [key, label, unit, kind] of METRICS) {
  const a = get(adv, key);
  const b = get(bull, key);
  const both = isNum(a) && isNum(b);
  let ratio = '';
  let target = '';
  let verdict = '';
  if (kind === 'throughput') {
    ratio = both && b > 0 ? a / b : NaN;
    target = '>= 2.00x';
    verdict = ratio >= 2 ? 'PASS' : 'FAIL';
  } else if (kind === 'latency' || kind === 'memory') {
    ratio = both ? (a > 0 ? b / a : Infinity) : NaN;
    target = '>= 1.00x';
    verdict = ratio >= 1 ? 'PASS' : 'FAIL';
    if (kind === 'latency' && verdict === 'FAIL' && both && a <= LATENCY_NOISE_MS && b <= LATENCY_NOISE_MS) {
      verdict = 'PASS*';
      noiseFloorUsed = true;
    }
  } else {
    ratio = both && a > 0 ? b / a : NaN;
  }
  if (kind !== 'info') {
    targets++;
    if (verdict.startsWith('PASS')) met++;
  }
  const ratioText = typeof ratio === 'number' ? (Number.isFinite(ratio) ? `${ratio.toFixed(2)}x` : both ? 'inf' : 'n/a') : '';
  rows.push([label, fmt(a, unit), fmt(b, unit), ratioText, target, verdict]);
}

const header = ['metric', `AdvWell ${adv.version ?? ''}`.trim(), `BullMQ ${bull.version ?? ''}`.trim(), 'ratio', 'target', 'result'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
console.log();
console.log('ratio: higher is better for AdvWell (AdvWell/BullMQ for throughput, BullMQ/AdvWell for latency and memory)');
if (noiseFloorUsed) {
  console.log(`PASS*: both p99 values are <= ${LATENCY_NOISE_MS} ms, below this machine's scheduling noise, so the latency target counts as met`);
}
console.log(`targets: ${met} of ${targets} met`);
