// The webhook receiver both delivery sides post to: answers 200 at once (no body parsing, no
// signature check) and counts deliveries by job id (header X-AdvWell-Job-Id), so that lost and
// duplicated deliveries can be told apart from slow ones.
//
// usage: node receiver.mjs --port 8291 --control-port 8292 [--workers 2]
//   port          the receiver itself: a node:cluster of --workers processes sharing the port
//   control-port  the primary only: GET /stats merges every worker's counts,
//                 POST /reset forgets them (between the ceiling check and a measured run)
// /stats answers {"requests","withId","unique","duplicates","firstMs","lastMs"}: requests counts
// everything (wrk included), withId only requests naming a job; times are epoch ms of the first
// and last request naming a job.
import cluster from 'node:cluster';
import http from 'node:http';
import { parseArgs } from 'node:util';

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '8291' },
    'control-port': { type: 'string', default: '8292' },
    workers: { type: 'string', default: '2' },
  },
});

// Epoch milliseconds with sub-millisecond resolution, comparable across the worker processes.
const nowMs = () => performance.timeOrigin + performance.now();

if (cluster.isPrimary) {
  const workers = [];
  for (let i = 0; i < Number(opts.workers); i++) workers.push(cluster.fork());
  cluster.on('exit', (worker, code, signal) => {
    if (!shuttingDown) {
      console.error(`receiver: worker ${worker.process.pid} died (${signal ?? code}); exiting`);
      process.exit(1);
    }
  });
  let shuttingDown = false;
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      shuttingDown = true;
      for (const w of workers) w.kill();
      process.exit(0);
    });
  }

  let seq = 0;
  // ask <type>: sends a request to every worker and resolves with their answers.
  const ask = (type) => Promise.all(workers.map((w) => new Promise((resolve) => {
    const id = ++seq;
    const onMessage = (msg) => {
      if (msg.reply === id) {
        w.off('message', onMessage);
        resolve(msg);
      }
    };
    w.on('message', onMessage);
    w.send({ type, id });
  })));

  const stats = async () => {
    const parts = await ask('stats');
    const counts = new Map();
    let requests = 0, withId = 0, firstMs = null, lastMs = null;
    for (const p of parts) {
      requests += p.requests;
      withId += p.withId;
      for (const [id, n] of p.ids) counts.set(id, (counts.get(id) ?? 0) + n);
      if (p.firstMs !== null && (firstMs === null || p.firstMs < firstMs)) firstMs = p.firstMs;
      if (p.lastMs !== null && (lastMs === null || p.lastMs > lastMs)) lastMs = p.lastMs;
    }
    return { requests, withId, unique: counts.size, duplicates: withId - counts.size, firstMs, lastMs };
  };

  let ready = 0;
  cluster.on('listening', () => {
    if (++ready === workers.length) {
      http.createServer(async (req, res) => {
        req.resume();
        const body = req.method === 'POST' && req.url === '/reset' ? (await ask('reset'), { reset: true })
          : req.method === 'GET' && req.url === '/stats' ? await stats() : null;
        res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body ?? { error: 'not found' }));
      }).listen(Number(opts['control-port']), '127.0.0.1', () => {
        console.error(`receiver: ${workers.length} workers on 127.0.0.1:${opts.port}, control on 127.0.0.1:${opts['control-port']}`);
      });
    }
  });
} else {
  let ids, requests, withId, firstMs, lastMs;
  const reset = () => {
    ids = new Map();
    requests = 0;
    withId = 0;
    firstMs = null;
    lastMs = null;
  };
  reset();
  process.on('message', (msg) => {
    if (msg.type === 'reset') reset();
    process.send(msg.type === 'stats'
      ? { reply: msg.id, requests, withId, ids: [...ids], firstMs, lastMs }
      : { reply: msg.id });
  });

  const server = http.createServer((req, res) => {
    requests++;
    const id = req.headers['x-advwell-job-id'];
    if (id !== undefined) {
      const t = nowMs();
      firstMs ??= t;
      lastMs = t;
      withId++;
      ids.set(id, (ids.get(id) ?? 0) + 1);
    }
    // Answer at once; the body is read and dropped so that the connection can be reused.
    req.resume();
    res.writeHead(200, { 'content-length': '0' });
    res.end();
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(opts.port), '127.0.0.1');
}
