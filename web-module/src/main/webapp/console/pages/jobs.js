import { api, enc } from '../api.js';
import { h, when, table, emptyBox, badge } from '../dom.js';
import { STATES } from './queues.js';

const PAGE = 50;

function href(p, changes) {
  const q = { state: p.state, cursor: p.cursor, tenant: p.tenant, ...changes };
  const query = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== null && v !== undefined && v !== '' && v !== '0'));
  return `#/jobs/${enc(p.queue)}?${query}`;
}

export function jobHref(queue, job) {
  return `#/jobs/${enc(queue)}/${enc(job.id)}${job.tenant ? `?tenant=${enc(job.tenant)}` : ''}`;
}

export default {
  name: 'jobs',
  title: (p) => `Jobs in ${p.queue}: ${p.state}`,
  setup(p) {
    const states = h('nav', { 'aria-label': 'Job states' }, h('ul', { class: 'actions', style: null },
      STATES.map((s) => h('li', { class: 'plain' }, h('a', { href: href(p, { state: s, cursor: null }), 'aria-current': s === p.state ? 'page' : null, 'data-testid': `state-${s}` }, s)))));
    const input = h('input', { id: 'job-search', name: 'id', required: true, 'data-testid': 'job-search' });
    const search = h('form', {
      class: 'inline', role: 'search', on: {
        submit: (e) => { e.preventDefault(); location.hash = jobHref(p.queue, { id: input.value.trim(), tenant: p.tenant }); },
      },
    }, h('label', { for: 'job-search' }, 'Find a job by id', input), h('button', { type: 'submit' }, 'Open'));
    return [states, search];
  },
  load: (p) => api('GET', `queues/${enc(p.queue)}/jobs?state=${enc(p.state)}&limit=${PAGE}&cursor=${enc(p.cursor)}${p.tenant ? `&tenant=${enc(p.tenant)}` : ''}`),
  render(page, p, ctx) {
    const operator = ctx.caller.role !== 'client';
    const rows = page.jobs.map((j) => h('tr', { 'data-testid': `job-${j.id}`, 'data-state': j.state },
      h('th', { scope: 'row' }, h('a', { href: jobHref(p.queue, j) }, j.id)),
      operator ? h('td', { class: 'hide-narrow' }, j.tenant || 'system') : null,
      h('td', {}, j.type),
      h('td', {}, badge(j.state)),
      h('td', { class: 'num' }, `${j.attempts}/${j.maxAttempts}`),
      h('td', { class: 'hide-narrow' }, when(j.createdAt)),
      h('td', { class: 'hide-narrow' }, j.error ? j.error.slice(0, 120) : '')));
    const pager = h('div', { class: 'actions' },
      p.cursor !== '0' ? h('a', { href: href(p, { cursor: null }) }, 'First page') : null,
      page.nextCursor !== null && page.nextCursor !== undefined ? h('a', { href: href(p, { cursor: String(page.nextCursor) }), 'data-testid': 'next-page' }, 'Next page') : null);
    if (!rows.length) {
      return [emptyBox(p.cursor !== '0' ? 'No more jobs on this page. Go back to the first page.'
        : `No ${p.state} jobs in ${p.queue} right now. Jobs appear here as they are added; pick another state above.`), pager];
    }
    return [table(`${p.state} jobs (${rows.length} on this page)`,
      ['Id', operator ? { text: 'Tenant', class: 'hide-narrow' } : null, 'Type', 'State', { text: 'Attempts', class: 'num' },
        { text: 'Created', class: 'hide-narrow' }, { text: 'Error', class: 'hide-narrow' }].filter(Boolean), rows,
      { 'data-testid': 'jobs' }), pager];
  },
};
