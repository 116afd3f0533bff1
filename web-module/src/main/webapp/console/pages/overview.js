import { api } from '../api.js';
import { h, when, ago, duration, table, emptyBox, badge } from '../dom.js';

const STALE_MS = 15000;

export default {
  name: 'overview',
  title: () => 'Overview',
  roles: ['operator', 'admin'],
  async load() {
    const [cluster, capacity, queues] = await Promise.all([
      api('GET', 'cluster'),
      api('GET', 'cluster/capacity').catch((e) => ({ error: e.message })),
      api('GET', 'queues').catch(() => []),
    ]);
    // the lease ticks down on its own; round it so an unchanged cluster does not re-render every poll
    cluster.leaseRemainingMillis = Math.round(cluster.leaseRemainingMillis / 1000) * 1000;
    return { cluster, capacity, queues };
  },
  render({ cluster, capacity, queues }) {
    const rates = queues.reduce((a, q) => ({
      added: a.added + q.ratesPerSecond.added, completed: a.completed + q.ratesPerSecond.completed,
      failed: a.failed + q.ratesPerSecond.failed,
    }), { added: 0, completed: 0, failed: 0 });
    const card = (label, value, testid) => h('div', { class: 'card' }, h('div', { class: 'muted' }, label),
      h('div', { class: 'v', 'data-testid': testid }, value));
    return [
      h('div', { class: 'cards' },
        card('Leader', cluster.leader || 'none (election pending)', 'leader'),
        card('Epoch', cluster.epoch, 'epoch'),
        card('Lease left', duration(cluster.leaseRemainingMillis), 'lease'),
        card('Leadership changes seen here', cluster.self.transitions, 'transitions'),
        card('Redis master (per Sentinel)', cluster.self.redisMaster, 'redis-master'),
        card('Jobs added /s', rates.added.toFixed(1), 'rate-added'),
        card('Completed /s', rates.completed.toFixed(1), 'rate-completed'),
        card('Failed /s', rates.failed.toFixed(1), 'rate-failed')),
      h('h2', {}, 'Members'),
      cluster.members.length === 0 ? emptyBox('No replica is heart-beating. Start one (scripts/cluster up) or check Redis.')
        : table('Replicas in the cluster (a replica that stopped heart-beating is marked stale)',
          ['Instance', 'Host', 'Version', 'Cron', 'Joined', 'Last seen'],
          cluster.members.map((m) => {
            const stale = m.lastSeen && Date.now() - new Date(m.lastSeen).getTime() > STALE_MS;
            return h('tr', { 'data-testid': `member-${m.instanceId}` },
              h('td', {}, m.instanceId, m.instanceId === cluster.leader ? [' ', badge('leader', 'running')] : null,
                m.instanceId === cluster.self.instanceId ? [' ', h('span', { class: 'muted' }, '(served this page)')] : null),
              h('td', {}, `${m.host}:${m.httpPort}`),
              h('td', {}, m.version),
              h('td', {}, m.cronEnabled ? 'on' : 'off'),
              h('td', {}, when(m.joinedAt)),
              h('td', { class: stale ? 'stale' : '' }, stale ? `stale: ${ago(m.lastSeen)}` : ago(m.lastSeen)));
          }), { 'data-testid': 'members' }),
      h('h2', {}, 'PostgreSQL connection budget'),
      capacity.error ? h('p', { class: 'alert', role: 'alert' }, `Unavailable: ${capacity.error}`)
        : h('dl', { class: 'facts', 'data-testid': 'capacity' },
          h('dt', {}, 'max_connections'), h('dd', {}, `${capacity.maxConnections} (${capacity.maxConnectionsFrom})`),
          h('dt', {}, 'Reserve'), h('dd', {}, capacity.reserve),
          h('dt', {}, 'Limit for pools'), h('dd', {}, capacity.limit),
          h('dt', {}, 'Live pools (sum of maximums)'), h('dd', {}, capacity.livePoolSum),
          h('dt', {}, 'Connections in use'), h('dd', {}, capacity.connectionsInUse),
          h('dt', {}, 'Headroom'), h('dd', { class: capacity.headroomReplicas < 0 ? 'stale' : '' },
            `${capacity.headroomReplicas} more replicas of pool ${capacity.poolMax}`),
          h('dt', {}, 'This replica'), h('dd', {}, capacity.self.standing, capacity.self.reason ? ` — ${capacity.self.reason}` : '')),
    ];
  },
};
