// The operator console: hash routing, the session, and a 2-second poll of the visible page. Vanilla ES modules,
// no framework: the pages are tables and buttons over a JSON API, which the platform does well by itself.
import { api, on, setCsrf, ApiError } from './api.js';
import { h, clear, errorBox } from './dom.js';
import signIn from './pages/sign-in.js';
import overview from './pages/overview.js';
import queues from './pages/queues.js';
import queue from './pages/queue.js';
import jobs from './pages/jobs.js';
import job from './pages/job.js';
import schedules from './pages/schedules.js';
import schedule from './pages/schedule.js';
import webhooks from './pages/webhooks.js';
import accounts from './pages/accounts.js';

const POLL_MS = 2000;
const main = document.getElementById('main');
const offline = document.getElementById('offline');
let session = null;
let current = null; // {page, params, live, lastJson, timer, generation}
let generation = 0;

/** Route → page and its parameters. */
function route() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const q = new URLSearchParams(query || '');
  switch (parts[0]) {
    case 'sign-in': return [signIn, {}];
    case 'overview': return [overview, {}];
    case 'queues': return parts[1] ? [queue, { queue: parts[1] }] : [queues, {}];
    case 'jobs':
      if (parts[2]) return [job, { queue: parts[1], id: parts.slice(2).join('/'), tenant: q.get('tenant') }];
      return [jobs, { queue: parts[1], state: q.get('state') || 'waiting', cursor: q.get('cursor') || '0', tenant: q.get('tenant') }];
    case 'schedules': return parts[1] ? [schedule, { id: parts[1] }] : [schedules, {}];
    case 'webhooks': return [webhooks, { state: q.get('state') || 'failed' }];
    case 'accounts': return [accounts, { tenant: q.get('tenant'), client: q.get('client') }];
    default: return [null, {}];
  }
}

function home() {
  if (!session) return '#/sign-in';
  return session.caller.role === 'client' ? '#/queues' : '#/overview';
}

function allowed(page) {
  return !page.roles || (session && page.roles.includes(session.caller.role));
}

function showChrome() {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  nav.hidden = !session;
  who.hidden = !session;
  if (!session) return;
  for (const li of nav.querySelectorAll('li[data-roles]')) {
    li.hidden = !li.dataset.roles.split(' ').includes(session.caller.role);
  }
  const c = session.caller;
  document.getElementById('whoami').textContent = `${c.clientName} (${c.role}, tenant ${c.tenantId})`;
  const section = (location.hash.match(/^#\/([^/?]+)/) || [])[1];
  const navFor = { queues: 'queues', jobs: 'queues', schedules: 'schedules', overview: 'overview', webhooks: 'webhooks', accounts: 'accounts' };
  for (const a of nav.querySelectorAll('a')) {
    if (a.getAttribute('href') === `#/${navFor[section]}`) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function render() {
  stop();
  let [page, params] = route();
  if (!page) { location.replace(home()); return; }
  if (page !== signIn && !session) {
    // come back here after signing in (the hash only: never anything secret)
    sessionStorage.setItem('advwell-wanted', location.hash);
    location.replace('#/sign-in');
    return;
  }
  if (page === signIn && session) { location.replace(home()); return; }
  showChrome();
  const gen = ++generation;
  main.dataset.testid = `page-${page.name}`;
  main.setAttribute('aria-busy', 'true');
  document.title = `${page.title(params)} · AdvWell console`;
  if (!allowed(page)) {
    clear(main, h('h1', {}, page.title(params)),
      errorBox(`Your role (${session.caller.role}) cannot use this page.`, 'Sign in with a key of a role that can, or go back.'));
    main.setAttribute('aria-busy', 'false');
    return;
  }
  const live = h('div', { 'aria-live': 'off' });
  const flash = h('div', { role: 'status', 'aria-live': 'polite' });
  const ctx = {
    caller: session?.caller,
    refresh: () => poll(gen, true),
    flash: (text, kind) => clear(flash, text ? h('p', { class: kind === 'error' ? 'alert' : 'notice', role: kind === 'error' ? 'alert' : null }, text) : null),
    signedIn: (s) => {
      session = s;
      setCsrf(s.csrfToken);
      const wanted = sessionStorage.getItem('advwell-wanted');
      sessionStorage.removeItem('advwell-wanted');
      location.hash = wanted && !wanted.startsWith('#/sign-in') ? wanted : home();
    },
  };
  const top = page.setup ? page.setup(params, ctx) : null;
  clear(main, h('h1', {}, page.title(params)), flash, page.setupBelow ? null : top, live, page.setupBelow ? top : null);
  current = { page, params, live, ctx, lastJson: null, gen };
  if (page.load) await poll(gen, true);
  else main.setAttribute('aria-busy', 'false');
}

async function poll(gen, force) {
  if (!current || current.gen !== gen) return;
  const { page, params, live, ctx } = current;
  clearTimeout(current.timer);
  try {
    const data = await page.load(params, ctx);
    if (!current || current.gen !== gen) return;
    const text = JSON.stringify(data);
    if (force || text !== current.lastJson) {
      current.lastJson = text;
      // keep keyboard focus where it was when a re-render replaces the focused element
      const focusedId = document.activeElement?.dataset?.focusKey;
      clear(live, page.render(data, params, ctx));
      if (focusedId) live.querySelector(`[data-focus-key="${CSS.escape(focusedId)}"]`)?.focus();
    }
  } catch (e) {
    if (!current || current.gen !== gen) return;
    if (e instanceof ApiError && e.status !== 0 && e.status !== 401) {
      current.lastJson = null;
      clear(live, errorBox(e.message, hintFor(e)));
    }
  } finally {
    if (current && current.gen === gen) {
      main.setAttribute('aria-busy', 'false');
      if (page.live !== false) current.timer = setTimeout(() => nextPoll(gen), POLL_MS);
    }
  }
}

function nextPoll(gen) {
  if (document.hidden) { current.timer = setTimeout(() => nextPoll(gen), POLL_MS); return; }
  poll(gen, false);
}

function hintFor(e) {
  if (e.status === 403) return 'Your role may not see this. Sign in with another key, or ask an administrator.';
  if (e.status === 404) return 'It may have been removed, or it belongs to another tenant. Check the address.';
  if (e.status === 503) return 'Redis or PostgreSQL is not answering; the page retries by itself.';
  return 'The page retries every 2 seconds.';
}

function stop() {
  if (current) clearTimeout(current.timer);
  current = null;
}

on('offline', () => { offline.hidden = false; });
on('online', () => { offline.hidden = true; });
on('unauthenticated', () => {
  if (!session) return;
  session = null;
  setCsrf(null);
  sessionStorage.setItem('advwell-ended', 'Your session ended (signed out, expired or its key was revoked). Sign in again.');
  location.hash = '#/sign-in';
});

document.getElementById('sign-out').addEventListener('click', async () => {
  try { await api('DELETE', 'session'); } catch { /* the cookie is cleared either way below */ }
  session = null;
  setCsrf(null);
  location.hash = '#/sign-in';
});

document.getElementById('skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});

window.addEventListener('hashchange', render);

async function start() {
  for (;;) {
    try {
      session = await api('GET', 'session');
      setCsrf(session.csrfToken);
      break;
    } catch (e) {
      if (e.status === 401) { session = null; break; }
      clear(main, errorBox(`The console cannot reach the server: ${e.message}`, 'Retrying every 2 seconds.'));
      main.setAttribute('aria-busy', 'false');
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  render();
}

start();
