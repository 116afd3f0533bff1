// The table of bench/front-door: AdvWell against its seed-style peers, with the targets of issue 12.
//
// usage: node report.mjs <results dir>
// Reads from the directory (written by bench/front-door): advwell-add.json, peer-add.json,
// advwell-me.json, peer-me.json (wrk, see wrk-report.lua), advwell-delivery.json,
// bullmq-delivery.json (delivery.mjs), receiver-ceiling.json (wrk against the receiver) and
// advwell-replica.json (replica-1's RSS and threads after the REST load), and cpu-<phase>-before.tsv /
// cpu-<phase>-after.tsv (each process's CPU time around each measured phase, see cpu_snapshot in bench/front-door).
// Missing files show as "-". Always exits 0; the last line is the verdict.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';

const dir = process.argv[2];
const read = (name) => (existsSync(join(dir, name)) ? JSON.parse(readFileSync(join(dir, name), 'utf8')) : null);

const int = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => (n >= 100 ? int(n) : n.toFixed(n >= 10 ? 1 : 2));
const wrkCell = (r) => (r ? `${int(r.rps)}/s, p50 ${ms(r.p50_ms)} ms, p99 ${ms(r.p99_ms)} ms` : '-');
const deliveryCell = (r) => {
  if (!r) return '-';
  const median = r.rounds?.length > 1 ? `, median of ${r.rounds.map((m) => int(m.per_second)).join(' / ')}/s` : '';
  return `${int(r.per_second)}/s (${r.seconds.toFixed(1)} s${median}), lost ${r.lost}, dup ${r.duplicates}`;
};
// A run that got errors measured something else than the path: it cannot meet a target.
const clean = (r) => r && r.non2xx === 0 && r.socket_errors === 0;

const rows = [];
let met = 0, total = 0;
const row = (path, ours, peer, ratio, target, ok, note = '') => {
  total++;
  if (ok) met++;
  rows.push([path, ours, peer, ratio === null ? '-' : `${ratio.toFixed(2)}x`, target, ok === null ? '-' : ok ? 'PASS' : 'FAIL', note]);
};

for (const [path, name, extra] of [
  ['POST /api/queues/probe/jobs', 'add', true],
  ['GET /api/me', 'me', false],
]) {
  const ours = read(`advwell-${name}.json`), peer = read(`peer-${name}.json`);
  const ratio = ours && peer ? ours.rps / peer.rps : null;
  const ok = ratio === null ? false : clean(ours) && clean(peer) && ratio >= 2 && (!extra || ours.p99_ms <= peer.p99_ms);
  const errors = [ours, peer].filter((r) => r && !clean(r)).map((r) => `${r.label}: ${r.non2xx} non-2xx, ${r.socket_errors} socket errors`);
  row(path, wrkCell(ours), wrkCell(peer), ratio, extra ? '>= 2x, p99 <= peer' : '>= 2x', ok, errors.join('; '));
}

const ours = read('advwell-delivery.json'), peer = read('bullmq-delivery.json');
const ratio = ours && peer && peer.per_second > 0 ? ours.per_second / peer.per_second : null;
const warmups = (r) => (r?.warmup?.length ? r.warmup.map((w) => `${int(w.per_second)}/s`).join(', ') : null);
const warmNote = [['AdvWell', warmups(ours)], ['peer', warmups(peer)]].filter(([, w]) => w)
  .map(([side, w]) => `${side} warm-up rounds ${w}`).join('; ');
row(`webhook delivery, ${int((ours ?? peer)?.jobs ?? 0)} jobs`, deliveryCell(ours), deliveryCell(peer), ratio,
  '>= 2x, 0 lost', ratio !== null && ratio >= 2 && ours.lost === 0, warmNote);

const headers = ['path', 'AdvWell', 'peer', 'ratio', 'target', 'result', 'note'];
const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
console.log(line(headers));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const r of rows) console.log(line(r));
console.log();
console.log('peers: REST = Fastify + pg pool of 15 + BullMQ Queue.add, 2 processes; delivery = BullMQ workers, 3 processes x concurrency 20, undici keep-alive, HMAC-SHA256');

const ceiling = read('receiver-ceiling.json');
if (ceiling) {
  const fastest = Math.max(ours?.per_second ?? 0, peer?.per_second ?? 0);
  const share = fastest / ceiling.rps;
  console.log(`receiver ceiling: ${int(ceiling.rps)} req/s (wrk, 50 connections); the fastest delivery used ${(share * 100).toFixed(0)}% of it` +
    (share > 0.5 ? ' -- WARNING: the receiver may limit the delivery figures' : ''));
}
const replica = read('advwell-replica.json');
if (replica) console.log(`replica-1 after the REST load: RSS ${int(replica.rss_kib / 1024)} MiB, ${replica.threads} threads`);

// CPU by process in each measured phase: a command's CPU as a share of one CPU, and per request or job. The
// delivery phases count every round, the warm-up ones included (the bulk adds of each round too).
const tsv = (name) => {
  if (!existsSync(join(dir, name))) return null;
  const m = new Map(); // pid (or _clock, _tck, _busy) -> [command, value]
  for (const l of readFileSync(join(dir, name), 'utf8').split('\n')) {
    const [key, comm, value] = l.split('\t');
    if (value !== undefined) m.set(key, [comm, Number(value)]);
  }
  return m;
};
const requests = (r) => r.requests;
const allRoundsJobs = (r) => r.jobs * ((r.warmup?.length ?? 0) + (r.rounds?.length ?? 1));
const phases = [
  ['advwell-add', 'request', requests], ['peer-add', 'request', requests],
  ['advwell-me', 'request', requests], ['peer-me', 'request', requests],
  ['advwell-delivery', 'job', allRoundsJobs], ['bullmq-delivery', 'job', allRoundsJobs],
];
const cpuLines = [];
for (const [phase, unit, count] of phases) {
  const before = tsv(`cpu-${phase}-before.tsv`), after = tsv(`cpu-${phase}-after.tsv`), result = read(`${phase}.json`);
  if (!before || !after || !result) continue;
  const tck = after.get('_tck')[1], seconds = after.get('_clock')[1] - before.get('_clock')[1], ops = count(result);
  const share = (ticks) => `${Math.round((100 * ticks) / tck / seconds)}%`;
  const per = (ticks) => `${int((1e6 * ticks) / tck / ops)} us/${unit}`;
  // by process: what it used since the first snapshot, or since it started; summed by command name
  const byComm = new Map();
  for (const [pid, [comm, ticks]] of after) {
    if (pid.startsWith('_')) continue;
    const was = before.get(pid);
    const d = was && was[0] === comm ? ticks - was[1] : ticks;
    byComm.set(comm, (byComm.get(comm) ?? 0) + d);
  }
  const used = [...byComm];
  const live = used.reduce((sum, [, d]) => sum + d, 0);
  const busy = after.get('_busy')[1] - before.get('_busy')[1];
  used.push(['ended', Math.max(0, busy - live)]);
  const shown = used.filter(([, d]) => d / tck / seconds >= 0.02).sort((a, b) => b[1] - a[1]);
  cpuLines.push(`  ${phase.padEnd(16)} machine ${share(busy)} of one CPU (${per(busy)}): ` +
    shown.map(([comm, d]) => `${comm} ${share(d)} (${per(d)})`).join(', '));
}
if (cpuLines.length) {
  console.log(`CPU by process in each measured phase (share of one CPU, of ${os.cpus().length}; "ended" = processes that ended within it, such as wrk and the peer's workers):`);
  for (const l of cpuLines) console.log(l);
}
console.log(`targets: ${met} of ${total} met`);
