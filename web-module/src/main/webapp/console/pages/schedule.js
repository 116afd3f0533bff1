import { api, enc } from '../api.js';
import { h, when, inZone, table, emptyBox, badge, json, viewerZone, act } from '../dom.js';

export default {
  name: 'schedule',
  title: () => 'Schedule',
  roles: ['client', 'admin'],
  async load(p) {
    const [s, runs] = await Promise.all([api('GET', `schedules/${enc(p.id)}`), api('GET', `schedules/${enc(p.id)}/runs?limit=50`)]);
    return { s, runs };
  },
  render({ s, runs }, p, ctx) {
    const id = enc(s.id);
    const fires = s.nextFireTimes || (s.nextFireAt ? [s.nextFireAt] : []);
    return [
      h('p', {}, h('strong', {}, s.name), ' ', badge(s.paused ? 'paused' : 'running'), ' · ', h('code', {}, s.cron),
        ` (${s.dialect}) in ${s.timeZone}, adds a job to queue ${s.queue}`),
      h('div', { class: 'actions' },
        h('button', { type: 'button', 'data-testid': 'schedule-run-now', 'data-focus-key': 'run', on: { click: () => act(ctx, 'Run requested: one job is added now.', () => api('POST', `schedules/${id}/run`)) } }, 'Run now'),
        s.paused
          ? h('button', { type: 'button', 'data-testid': 'schedule-resume', 'data-focus-key': 'pause', on: { click: () => act(ctx, 'Schedule resumed.', () => api('POST', `schedules/${id}/resume`)) } }, 'Resume')
          : h('button', { type: 'button', 'data-testid': 'schedule-pause', 'data-focus-key': 'pause', on: { click: () => act(ctx, 'Schedule paused.', () => api('POST', `schedules/${id}/pause`)) } }, 'Pause')),
      h('h2', {}, 'Next fire times'),
      s.paused ? h('p', { class: 'empty' }, 'Paused: no fire times until it is resumed.') : null,
      h('ol', { 'data-testid': 'next-fires' }, s.paused ? [] : fires.map((f) => h('li', {},
        inZone(f, s.timeZone), h('span', { class: 'muted' }, ' — yours: '), when(f), h('span', { class: 'muted' }, ` (${viewerZone})`)))),
      h('h2', {}, 'Run history'),
      runs.length === 0 ? emptyBox('No runs yet. The leader runs the schedule at its next fire time, or press Run now.') : null,
      table('Most recent runs first', ['Slot', 'Trigger', 'Outcome', 'Replica', 'Epoch', 'Started', 'Error'],
        runs.map((r) => h('tr', {},
          h('td', {}, when(r.slot)), h('td', {}, r.trigger), h('td', {}, badge(r.outcome, r.error ? 'failed' : 'completed')),
          h('td', {}, r.instanceId), h('td', { class: 'num' }, r.epoch), h('td', {}, when(r.startedAt)),
          h('td', {}, r.error || r.detail || ''))), { 'data-testid': 'runs' }),
      h('h2', {}, 'Payload of the jobs it adds'), h('pre', {}, json(s.payload)),
    ];
  },
};
