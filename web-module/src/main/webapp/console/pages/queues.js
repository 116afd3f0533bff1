import { api, enc } from '../api.js';
import { h, table, emptyBox } from '../dom.js';

export const STATES = ['waiting', 'active', 'delayed', 'completed', 'failed'];

// Operators list every queue; a client cannot (the API says 403), so it opens its queue by name.
export default {
  name: 'queues',
  title: () => 'Queues',
  setup(params, ctx) {
    if (ctx.caller.role !== 'client') return null;
    const input = h('input', { id: 'queue-name', name: 'queue', required: true, pattern: '[a-z0-9][a-z0-9_.\\-]{0,63}' });
    return h('form', {
      class: 'inline', on: { submit: (e) => { e.preventDefault(); location.hash = `#/jobs/${enc(input.value.trim())}?state=waiting`; } },
    }, h('label', { for: 'queue-name' }, 'Queue name', input), h('button', { type: 'submit' }, 'Show its jobs'));
  },
  async load(params, ctx) {
    if (ctx.caller.role === 'client') return null;
    return api('GET', 'queues');
  },
  render(queues, params, ctx) {
    if (ctx.caller.role === 'client') {
      return h('p', { class: 'muted' }, 'Clients see the jobs of their own tenant in a queue they name.');
    }
    if (!queues.length) return emptyBox('No queue is declared by this deployment.');
    return table('Queues: jobs per state, rates over the last minute', [
      'Queue', 'Status', ...STATES.map((s) => ({ text: s, class: 'num' })), { text: 'added/s', class: 'num hide-narrow' },
      { text: 'done/s', class: 'num hide-narrow' }, { text: 'failed/s', class: 'num hide-narrow' }],
    queues.map((q) => h('tr', { 'data-testid': `queue-${q.name}` },
      h('th', { scope: 'row' }, h('a', { href: `#/queues/${enc(q.name)}` }, q.name)),
      h('td', {}, q.paused ? 'paused' : 'running'),
      STATES.map((s) => h('td', { class: 'num', 'data-testid': `count-${s}` },
        h('a', { href: `#/jobs/${enc(q.name)}?state=${s}`, 'aria-label': `${q.counts[s]} ${s} jobs in ${q.name}` }, q.counts[s]))),
      h('td', { class: 'num hide-narrow' }, q.ratesPerSecond.added.toFixed(1)),
      h('td', { class: 'num hide-narrow' }, q.ratesPerSecond.completed.toFixed(1)),
      h('td', { class: 'num hide-narrow' }, q.ratesPerSecond.failed.toFixed(1)))));
  },
};
