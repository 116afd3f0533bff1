// The seed-style REST peer of one AdvWell replica: Fastify, a `pg` pool of 15 per process and
// BullMQ, in a node:cluster of 2 processes sharing one port. Every /api request looks its bearer key
// up the way AdvWell does (SHA-256 digest, indexed lookup by the key's public id joined with its
// client, constant-time comparison), with no cache, as the seed did.
//
// usage: node rest-peer.mjs --port 8290 --schema bench_fd_<hex> --redis-port 6392 --prefix P
//        [--workers 2] [--pool 15]
//   GET  /api/me                   who the key belongs to
//   POST /api/queues/:queue/jobs   {"type","payload"}: BullMQ Queue.add of queue probe (paused by
//                                  the primary before the workers start, so jobs pile up)
//   GET  /health/live              no key
// PostgreSQL through the libpq variables (PGHOST, PGDATABASE, ...); the tables come from peer-db.mjs.
import cluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { Queue } from 'bullmq';
import Fastify from 'fastify';
import pg from 'pg';
import { keyId, matches, schemaName } from './peer-auth.mjs';

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '8290' },
    schema: { type: 'string' },
    'redis-host': { type: 'string', default: '127.0.0.1' },
    'redis-port': { type: 'string', default: '6379' },
    prefix: { type: 'string' },
    workers: { type: 'string', default: '2' },
    pool: { type: 'string', default: '15' },
  },
});
const schema = schemaName(opts.schema);
if (!opts.prefix) throw new Error('--prefix is required');
const QUEUE = 'probe';
const connection = { host: opts['redis-host'], port: Number(opts['redis-port']) };
// AdvWell's retention (bench/README.md): bounded, as BullMQ's documentation recommends.
const defaultJobOptions = { removeOnComplete: { count: 1000, age: 86400 }, removeOnFail: { count: 10000, age: 604800 } };

if (cluster.isPrimary) {
  const queue = new Queue(QUEUE, { connection, prefix: opts.prefix });
  await queue.pause();
  await queue.close();
  const workers = Array.from({ length: Number(opts.workers) }, () => cluster.fork());
  let stopping = false;
  cluster.on('exit', (w, code, signal) => {
    if (!stopping) {
      console.error(`rest-peer: worker ${w.process.pid} died (${signal ?? code}); exiting`);
      process.exit(1);
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      stopping = true;
      for (const w of workers) w.kill();
      process.exit(0);
    });
  }
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === workers.length) console.error(`rest-peer: ${workers.length} workers on 127.0.0.1:${opts.port}`);
  });
} else {
  const pool = new pg.Pool({ max: Number(opts.pool) });
  const queue = new Queue(QUEUE, { connection, prefix: opts.prefix, defaultJobOptions });
  const lookup = `SELECT k.id, k.digest, k.revoked_at, c.id AS client_id, c.name, c.tenant_id, c.role
                    FROM ${schema}.api_keys k JOIN ${schema}.api_clients c ON c.id = k.client_id WHERE k.id = $1`;

  const app = Fastify({ logger: false });
  const problem = (reply, status, title, detail) =>
    reply.code(status).type('application/problem+json').send({ type: 'about:blank', title, status, detail });

  app.addHook('preHandler', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const header = request.headers.authorization ?? '';
    const key = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (key.length < 16) return problem(reply, 401, 'Unauthorized', 'a bearer API key is required');
    const { rows: [row] } = await pool.query(lookup, [keyId(key)]);
    if (!row || row.revoked_at !== null || !matches(key, row.digest)) {
      return problem(reply, 401, 'Unauthorized', 'unknown or revoked API key');
    }
    request.caller = { clientId: row.client_id, clientName: row.name, tenantId: row.tenant_id, role: row.role.toLowerCase(), keyId: row.id };
  });

  app.get('/health/live', async () => ({ status: 'UP' }));
  app.get('/api/me', async (request) => request.caller);
  app.post('/api/queues/:queue/jobs', async (request, reply) => {
    const { type, payload = {} } = request.body ?? {};
    if (request.params.queue !== QUEUE) return problem(reply, 404, 'Not Found', `no queue ${request.params.queue}`);
    if (type !== 'probe') return problem(reply, 400, 'Bad Request', 'type: the queue takes probe jobs');
    const job = await queue.add(type, { tenant: request.caller.tenantId, payload });
    reply.code(201).header('location', `/api/queues/${QUEUE}/jobs/${job.id}`);
    return { id: job.id, queue: QUEUE, created: true };
  });

  await app.listen({ port: Number(opts.port), host: '127.0.0.1' });
}
