import { api } from '../api.js';
import { h, when, table, emptyBox } from '../dom.js';

const QUEUE = 'webhooks';

// Deliveries are the jobs of the built-in webhooks queue: failed ones gave up, delayed ones with attempts wait for
// their next try (their runAt).
export default {
  name: 'webhooks',
  title: () => 'Webhook deliveries',
  roles: ['operator', 'admin'],
  async load() {
    const [failed, delayed] = await Promise.all([
      api('GET', `queues/${QUEUE}/jobs?state=failed&limit=100`),
      api('GET', `queues/${QUEUE}/jobs?state=delayed&limit=100`),
    ]);
    return { failed: failed.jobs, retrying: delayed.jobs.filter((j) => j.attempts > 0) };
  },
  render({ failed, retrying }, p, ctx) {
    const rows = (jobs, canRetry) => jobs.map((j) => h('tr', { 'data-testid': `delivery-${QUEUE}-${j.id}` },
      h('th', { scope: 'row' }, h('a', { href: `#/jobs/${QUEUE}/${encodeURIComponent(j.id)}${j.tenant ? `?tenant=${encodeURIComponent(j.tenant)}` : ''}` }, j.id)),
      h('td', {}, destination(j)),
      h('td', {}, j.error || '—'),
      h('td', { class: 'num' }, `${j.attempts}/${j.maxAttempts}`),
      h('td', {}, canRetry ? '—' : when(j.runAt)),
      h('td', {}, canRetry ? h('button', {
        type: 'button', 'data-testid': 'delivery-retry', 'data-focus-key': `retry-${j.tenant || ''}/${j.id}`,
        on: { click: () => retry(ctx, j) },
      }, 'Retry') : '')));
    const headers = ['Job', 'Destination', 'Status or error', { text: 'Attempts', class: 'num' }, 'Next attempt', 'Action'];
    return [
      h('h2', {}, 'Failed'),
      failed.length ? table('Deliveries that used up their attempts', headers, rows(failed, true), { 'data-testid': 'deliveries-failed' })
        : emptyBox('No failed deliveries.'),
      h('h2', {}, 'Retrying'),
      retrying.length ? table('Deliveries waiting for their next attempt', headers, rows(retrying, false), { 'data-testid': 'deliveries-retrying' })
        : emptyBox('No delivery is waiting for a retry.'),
    ];
  },
};

function destination(j) {
  const p = j.payload || {};
  return p.url ? `${p.method || 'POST'} ${p.url}` : '—';
}

async function retry(ctx, j) {
  try {
    await api('POST', `queues/${QUEUE}/jobs/${encodeURIComponent(j.id)}/retry${j.tenant ? `?tenant=${encodeURIComponent(j.tenant)}` : ''}`);
    ctx.flash(`Delivery ${j.id} retried: it is waiting again.`);
    ctx.refresh();
  } catch (e) {
    ctx.flash(e.message, 'error');
  }
}
