import { api, enc } from '../api.js';
import { h, table, confirmAction, duration, act } from '../dom.js';
import { STATES } from './queues.js';

const LIMITS = [
  ['maxActive', 'Most active jobs at once (0 = no limit)'],
  ['rateMax', 'Most starts per window (0 = no limit)'],
  ['rateWindowMs', 'Rate window (ms)'],
  ['keepCompleted', 'Completed jobs kept'],
  ['keepCompletedMs', 'Completed jobs kept for (ms)'],
  ['keepFailed', 'Failed jobs kept'],
  ['keepFailedMs', 'Failed jobs kept for (ms)'],
  ['maxStalls', 'Stalls before a job fails'],
];

export default {
  name: 'queue',
  title: (p) => `Queue ${p.queue}`,
  roles: ['operator', 'admin'],
  setupBelow: true,
  load: (p) => api('GET', `queues/${enc(p.queue)}`),
  render(q, p, ctx) {
    const name = enc(q.name);
    return [
      h('p', {}, 'Status: ', h('strong', { 'data-testid': 'queue-paused' }, q.paused ? 'paused' : 'running'),
        q.types.length ? h('span', { class: 'muted' }, ` · job types: ${q.types.join(', ')}`) : null),
      h('div', { class: 'actions' },
        q.paused
          ? h('button', { type: 'button', 'data-testid': 'queue-resume', 'data-focus-key': 'pause', on: { click: () => act(ctx, 'Queue resumed.', () => api('POST', `queues/${name}/resume`)) } }, 'Resume')
          : h('button', { type: 'button', 'data-testid': 'queue-pause', 'data-focus-key': 'pause', on: { click: () => act(ctx, 'Queue paused: workers take no new jobs.', () => api('POST', `queues/${name}/pause`)) } }, 'Pause'),
        h('button', {
          type: 'button', class: 'danger', 'data-testid': 'queue-retry-failed', disabled: q.counts.failed === 0,
          on: { click: async () => { if (await confirmAction(`Retry every failed job of ${q.name} (${q.counts.failed})?`)) act(ctx, (r) => `${r.retried} jobs retried.`, () => api('POST', `queues/${name}/retry-failed`, {})); } },
        }, 'Retry all failed'),
        h('button', {
          type: 'button', class: 'danger', 'data-testid': 'queue-clean-completed', disabled: q.counts.completed === 0,
          on: { click: async () => { if (await confirmAction(`Remove every completed job of ${q.name} (${q.counts.completed})? This cannot be undone.`)) act(ctx, (r) => `${r.removed} completed jobs removed.`, () => api('POST', `queues/${name}/clean`, { state: 'completed' })); } },
        }, 'Clean completed'),
        h('button', {
          type: 'button', class: 'danger', 'data-testid': 'queue-clean-failed', disabled: q.counts.failed === 0,
          on: { click: async () => { if (await confirmAction(`Remove every failed job of ${q.name} (${q.counts.failed})? This cannot be undone.`)) act(ctx, (r) => `${r.removed} failed jobs removed.`, () => api('POST', `queues/${name}/clean`, { state: 'failed' })); } },
        }, 'Clean failed')),
      table('Jobs per state', STATES.map((s) => ({ text: s, class: 'num' })),
        [h('tr', { 'data-testid': `queue-${q.name}` }, STATES.map((s) => h('td', { class: 'num', 'data-testid': `count-${s}` },
          h('a', { href: `#/jobs/${name}?state=${s}` }, q.counts[s]))))]),
      table('Totals since the queue was created, and rates over the last minute',
        ['Figure', ...['added', 'completed', 'failed', 'retried', 'stalled'].map((t) => ({ text: t, class: 'num' }))],
        [h('tr', {}, h('th', { scope: 'row' }, 'total'), ['added', 'completed', 'failed', 'retried', 'stalled'].map((t) => h('td', { class: 'num' }, q.totals[t]))),
          h('tr', {}, h('th', { scope: 'row' }, 'per second'), ['added', 'completed', 'failed'].map((t) => h('td', { class: 'num' }, q.ratesPerSecond[t].toFixed(2))), h('td'), h('td'))]),
    ];
  },
  // the limits form is outside the polled part, so a poll never overwrites what the operator is typing
  setup(p, ctx) {
    const box = h('section', { 'aria-labelledby': 'limits-h' }, h('h2', { id: 'limits-h' }, 'Limits'));
    api('GET', `queues/${enc(p.queue)}/limits`)
      .then((limits) => box.append(limitsForm(p.queue, limits, ctx)))
      .catch((e) => box.append(h('p', { class: 'muted' }, `Limits unavailable: ${e.message}`)));
    return h('div', { class: 'limits-slot' }, box);
  },
};

function limitsForm(queueName, limits, ctx) {
  const inputs = {};
  const form = h('form', {
    class: 'inline', on: {
      submit: (e) => {
        e.preventDefault();
        const body = {};
        for (const [k, input] of Object.entries(inputs)) body[k] = Number(input.value);
        act(ctx, 'Limits saved.', () => api('PUT', `queues/${enc(queueName)}/limits`, body));
      },
    },
  }, LIMITS.map(([k, label]) => {
    inputs[k] = h('input', { id: `limit-${k}`, name: k, type: 'number', min: 0, value: limits[k] });
    return h('label', { for: `limit-${k}` }, label, inputs[k],
      k.endsWith('Ms') ? h('span', { class: 'muted' }, duration(limits[k])) : null);
  }), h('button', { type: 'submit', 'data-testid': 'limits-save' }, 'Save limits'));
  return form;
}
