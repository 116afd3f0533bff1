import { api, enc } from '../api.js';
import { h, when, json, badge, act } from '../dom.js';

function path(p, suffix) {
  return `queues/${enc(p.queue)}/jobs/${enc(p.id)}${suffix || ''}${p.tenant ? `?tenant=${enc(p.tenant)}` : ''}`;
}

export default {
  name: 'job',
  title: (p) => `Job ${p.id} in ${p.queue}`,
  load: (p) => api('GET', path(p)),
  render(j, p, ctx) {
    const fact = (k, v) => [h('dt', {}, k), h('dd', {}, v)];
    const progress = j.progress === null || j.progress === undefined ? '—'
      : typeof j.progress === 'number' ? h('progress', { max: 100, value: j.progress, 'aria-label': 'progress' }, `${j.progress}%`) : JSON.stringify(j.progress);
    return [
      h('p', {}, h('a', { href: `#/jobs/${enc(p.queue)}?state=${j.state}${p.tenant ? `&tenant=${enc(p.tenant)}` : ''}` }, `Back to ${j.state} jobs`)),
      h('div', { class: 'actions' },
        j.state === 'failed' ? h('button', { type: 'button', 'data-testid': 'job-retry', 'data-focus-key': 'retry', on: { click: () => act(ctx, 'Job retried: it is waiting again.', () => api('POST', path(p, '/retry'))) } }, 'Retry') : null,
        j.state === 'delayed' ? h('button', { type: 'button', 'data-testid': 'job-promote', 'data-focus-key': 'promote', on: { click: () => act(ctx, 'Job promoted: it runs next.', () => api('POST', path(p, '/promote'))) } }, 'Run now (promote)') : null,
        j.state === 'waiting' || j.state === 'delayed' ? h('button', { type: 'button', class: 'danger', 'data-testid': 'job-cancel', 'data-focus-key': 'cancel', on: { click: () => act(ctx, 'Job cancelled.', () => api('DELETE', path(p))) } }, 'Cancel') : null),
      h('dl', { class: 'facts' },
        fact('State', h('span', { 'data-testid': 'job-state' }, badge(j.state))),
        fact('Type', j.type),
        fact('Tenant', j.tenant || (ctx.caller.role === 'client' ? ctx.caller.tenantId : 'system')),
        fact('Priority', j.priority),
        fact('Attempts', `${j.attempts} of ${j.maxAttempts}${j.stalls ? `, ${j.stalls} stalls` : ''}`),
        fact('Progress', progress),
        fact('Worker', j.worker || '—'),
        fact('Created', when(j.createdAt)),
        fact('Runs at', when(j.runAt)),
        fact('Started', when(j.startedAt)),
        fact('Finished', when(j.finishedAt))),
      j.error ? [h('h2', {}, 'Error'), h('pre', { 'data-testid': 'job-error' }, j.error)] : null,
      j.stackTrace ? [h('h2', {}, 'Stack trace'), h('pre', {}, j.stackTrace)] : null,
      h('h2', {}, 'Payload'), h('pre', { 'data-testid': 'job-payload' }, json(j.payload)),
      h('h2', {}, 'Result'), h('pre', {}, json(j.result)),
      h('h2', {}, 'Logs'), j.logs.length ? h('pre', {}, j.logs.join('\n')) : h('p', { class: 'empty' }, 'No log lines.'),
    ];
  },
};
