import { api, enc } from '../api.js';
import { h, when, table, emptyBox, confirmAction, clear } from '../dom.js';

// Tenants → API clients → keys. A new key is shown once, in a notice outside the polled part, and never stored.
export default {
  name: 'accounts',
  title: () => 'Accounts',
  roles: ['admin'],
  setup(p, ctx) {
    const issued = h('div', { 'data-testid': 'issued-key', role: 'status', 'aria-live': 'polite' });
    ctx.showKey = (k, what) => clear(issued, h('div', { class: 'notice' },
      h('p', {}, h('strong', {}, `${what}. Copy this key now: it is shown only once.`)),
      h('p', { class: 'key', 'data-testid': 'new-key' }, k.key),
      h('button', { type: 'button', on: { click: () => clear(issued) } }, 'I have copied it')));
    const forms = [];
    if (!p.tenant) {
      const name = h('input', { id: 'tenant-name', name: 'name', required: true, maxlength: 200 });
      forms.push(h('form', {
        class: 'inline', on: {
          submit: async (e) => {
            e.preventDefault();
            try {
              await api('POST', 'tenants', { name: name.value.trim() });
              ctx.flash(`Tenant ${name.value.trim()} created.`);
              name.value = '';
              ctx.refresh();
            } catch (err) { ctx.flash(err.message, 'error'); }
          },
        },
      }, h('label', { for: 'tenant-name' }, 'New tenant name', name), h('button', { type: 'submit' }, 'Create tenant')));
    } else if (!p.client) {
      const name = h('input', { id: 'client-name', name: 'name', required: true, maxlength: 200 });
      const role = h('select', { id: 'client-role', name: 'role' }, ['client', 'operator', 'admin'].map((r) => h('option', { value: r }, r)));
      forms.push(h('form', {
        class: 'inline', on: {
          submit: async (e) => {
            e.preventDefault();
            try {
              const k = await api('POST', `tenants/${enc(p.tenant)}/clients`, { name: name.value.trim(), role: role.value });
              ctx.showKey(k, `Client ${name.value.trim()} created`);
              name.value = '';
              ctx.refresh();
            } catch (err) { ctx.flash(err.message, 'error'); }
          },
        },
      }, h('label', { for: 'client-name' }, 'New API client name', name), h('label', { for: 'client-role' }, 'Role', role),
      h('button', { type: 'submit' }, 'Create client and its first key')));
    } else {
      forms.push(h('div', { class: 'actions' }, h('button', {
        type: 'button', 'data-testid': 'key-issue', on: {
          click: async () => {
            try {
              const k = await api('POST', `clients/${enc(p.client)}/keys`);
              ctx.showKey(k, 'New key issued (rotate: give it to the client, then revoke the old one)');
              ctx.refresh();
            } catch (err) { ctx.flash(err.message, 'error'); }
          },
        },
      }, 'Issue a new key')));
    }
    return [issued, ...forms];
  },
  async load(p) {
    if (p.client) {
      const [client, keys] = await Promise.all([api('GET', `clients/${enc(p.client)}`), api('GET', `clients/${enc(p.client)}/keys`)]);
      return { client, keys };
    }
    if (p.tenant) {
      const [tenant, clients] = await Promise.all([api('GET', `tenants/${enc(p.tenant)}`), api('GET', `tenants/${enc(p.tenant)}/clients`)]);
      return { tenant, clients };
    }
    return { tenants: await api('GET', 'tenants?limit=1000') };
  },
  render(d, p, ctx) {
    if (d.keys) {
      return [
        h('p', {}, h('a', { href: `#/accounts?tenant=${enc(d.client.tenantId)}` }, 'Back to the tenant\'s clients')),
        h('p', {}, `Client ${d.client.name} (${d.client.role}) of tenant ${d.client.tenantId}`),
        d.keys.length ? table('Keys (the key itself is never shown again after it is issued)', ['Key id', 'Created', 'Status', 'Action'],
          d.keys.map((k) => h('tr', { 'data-testid': `key-${k.id}` },
            h('td', {}, h('code', {}, k.id)), h('td', {}, when(k.createdAt)),
            h('td', {}, k.revoked ? ['revoked ', when(k.revokedAt)] : 'valid'),
            h('td', {}, k.revoked || k.id === ctx.caller.keyId ? (k.id === ctx.caller.keyId ? h('span', { class: 'muted' }, 'your key') : '') : h('button', {
              type: 'button', class: 'danger', 'data-testid': 'key-revoke', 'data-focus-key': `revoke-${k.id}`,
              on: {
                click: async () => {
                  if (!(await confirmAction(`Revoke key ${k.id}? Every replica refuses it at once, and its console sessions end.`))) return;
                  try {
                    await api('DELETE', `api-keys/${enc(k.id)}`);
                    ctx.flash(`Key ${k.id} revoked.`);
                    ctx.refresh();
                  } catch (err) { ctx.flash(err.message, 'error'); }
                },
              },
            }, 'Revoke'))))) : emptyBox('This client has no keys. Issue one above.'),
      ];
    }
    if (d.clients) {
      return [
        h('p', {}, h('a', { href: '#/accounts' }, 'Back to tenants')),
        h('p', {}, `Tenant ${d.tenant.name} (${d.tenant.id}), created `, when(d.tenant.createdAt)),
        d.clients.length ? table('API clients', ['Name', 'Role', 'Created'], d.clients.map((c) => h('tr', { 'data-testid': `client-${c.id}` },
          h('th', { scope: 'row' }, h('a', { href: `#/accounts?tenant=${enc(c.tenantId)}&client=${enc(c.id)}` }, c.name)),
          h('td', {}, c.role), h('td', {}, when(c.createdAt))))) : emptyBox('No API clients in this tenant yet. Create one above.'),
      ];
    }
    return d.tenants.length ? table('Tenants', ['Name', 'Id', 'Created'], d.tenants.map((t) => h('tr', { 'data-testid': `tenant-${t.id}` },
      h('th', { scope: 'row' }, h('a', { href: `#/accounts?tenant=${enc(t.id)}` }, t.name)),
      h('td', {}, h('code', {}, t.id)), h('td', {}, when(t.createdAt))))) : emptyBox('No tenants yet. Create one above.');
  },
};
