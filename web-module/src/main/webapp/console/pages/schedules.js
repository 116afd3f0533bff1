import { api, enc } from '../api.js';
import { h, when, inZone, table, emptyBox, badge, viewerZone } from '../dom.js';

export default {
  name: 'schedules',
  title: () => 'Schedules',
  roles: ['client', 'admin'],
  load: () => api('GET', 'schedules?limit=200'),
  render(list) {
    if (!list.length) {
      return emptyBox('No schedules yet. Create one with POST /api/schedules (see docs/api.md); it shows up here.');
    }
    return table(`Your tenant's schedules (times in the schedule's zone and yours, ${viewerZone})`,
      ['Name', 'Cron', 'Zone', 'Queue', 'Status', 'Next fire (schedule zone)', { text: 'Next fire (yours)', class: 'hide-narrow' }],
      list.map((s) => h('tr', { 'data-testid': `schedule-${s.id}` },
        h('th', { scope: 'row' }, h('a', { href: `#/schedules/${enc(s.id)}` }, s.name)),
        h('td', {}, h('code', {}, s.cron), ' ', h('span', { class: 'muted' }, s.dialect)),
        h('td', {}, s.timeZone),
        h('td', {}, s.queue),
        h('td', {}, badge(s.paused ? 'paused' : 'running')),
        h('td', {}, s.nextFireAt && !s.paused ? inZone(s.nextFireAt, s.timeZone) : '—'),
        h('td', { class: 'hide-narrow' }, s.nextFireAt && !s.paused ? when(s.nextFireAt) : '—'))));
  },
};
