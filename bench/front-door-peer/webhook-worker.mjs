// One process of the BullMQ webhook worker peer (delivery.mjs forks three): a BullMQ Worker of
// queue `webhooks` that POSTs each job's body to its url over keep-alive connections (an undici
// Agent), signed the Standard Webhooks way as AdvWell signs it: webhook-id, webhook-timestamp and
// webhook-signature = v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>, plus X-AdvWell-Job-Id
// and X-AdvWell-Attempt. A 2xx completes the job; anything else throws, so BullMQ retries it.
//
// Environment: REDIS_HOST, REDIS_PORT, PREFIX, CONCURRENCY [20], WEBHOOK_SIGNING_SECRET (whsec_...).
// Sends {ready: true} to its parent once connected.
import { createHash, createHmac } from 'node:crypto';
import { Worker } from 'bullmq';
import { Agent, request } from 'undici';

const env = process.env;
if (!env.WEBHOOK_SIGNING_SECRET?.startsWith('whsec_')) throw new Error('WEBHOOK_SIGNING_SECRET must be whsec_<base64>');
const secret = Buffer.from(env.WEBHOOK_SIGNING_SECRET.slice('whsec_'.length), 'base64');
const TIMEOUT_MS = 10_000; // AdvWell's WEBHOOK_TIMEOUT_MS default
const agent = new Agent({ keepAliveTimeout: 60_000, connections: 64, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });

// The same message id on every attempt of a job, like AdvWell's (a digest of queue, id and creation time).
const messageId = (job) => 'msg_' + createHash('sha256').update(`webhooks\n${job.id}\n${job.timestamp}`).digest('hex').slice(0, 32);

const deliver = async (job) => {
  const body = JSON.stringify(job.data.body ?? {});
  const id = messageId(job);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = 'v1,' + createHmac('sha256', secret).update(`${id}.${timestamp}.${body}`).digest('base64');
  const response = await request(job.data.url, {
    method: 'POST',
    dispatcher: agent,
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': signature,
      'x-advwell-job-id': job.id,
      'x-advwell-attempt': String(job.attemptsMade + 1),
    },
  });
  await response.body.dump();
  if (response.statusCode < 200 || response.statusCode > 299) throw new Error(`HTTP ${response.statusCode}`);
};

const worker = new Worker('webhooks', deliver, {
  connection: { host: env.REDIS_HOST ?? '127.0.0.1', port: Number(env.REDIS_PORT ?? 6379) },
  prefix: env.PREFIX,
  concurrency: Number(env.CONCURRENCY ?? 20),
});
worker.on('error', (e) => console.error(`webhook-worker ${process.pid}: ${e.message}`));
await worker.waitUntilReady();
process.send({ ready: true });
process.on('disconnect', async () => {
  await worker.close(true);
  await agent.close();
  process.exit(0);
});
