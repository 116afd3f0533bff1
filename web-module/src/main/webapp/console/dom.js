// Building DOM without innerHTML: text is always text, so nothing a job payload or an error says can become markup.

/** h('tag', {attrs, on: {click}}, ...children) */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const inViewer = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
export const viewerZone = zone;

/** A date in the viewer's zone (with the zone's name in the tooltip); '—' when absent. */
export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return h('time', { datetime: d.toISOString(), title: `${d.toISOString()} (${zone})` }, inViewer.format(d));
}

/** A date in another zone, named. */
export function inZone(iso, timeZone) {
  try {
    // dateStyle cannot be combined with timeZoneName, so the fields are named one by one
    return new Intl.DateTimeFormat(undefined, {
      year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return `${iso} (${timeZone})`;
  }
}

export function ago(iso) {
  if (!iso) return '—';
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 0) return `in ${duration(-s * 1000)}`;
  return `${duration(s * 1000)} ago`;
}

export function duration(ms) {
  if (ms === undefined || ms === null) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
}

export function table(caption, headers, rows, attrs) {
  return h('div', { class: 'table-wrap' },
    h('table', attrs || {},
      h('caption', { class: caption.visible ? '' : 'muted' }, caption.text || caption),
      h('thead', {}, h('tr', {}, headers.map((x) => (typeof x === 'string'
        ? h('th', { scope: 'col' }, x) : h('th', { scope: 'col', class: x.class }, x.text))))),
      h('tbody', {}, rows)));
}

export function errorBox(message, hint) {
  return h('div', { class: 'alert', role: 'alert', 'data-testid': 'error' }, message, hint ? h('p', {}, hint) : null);
}

export function emptyBox(message) {
  return h('p', { class: 'empty', 'data-testid': 'empty' }, message);
}

export function json(value) {
  return value === undefined || value === null ? '—' : JSON.stringify(value, null, 2);
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind || text}` }, text);
}

/** Asks before a destructive or bulk action; resolves true on confirm. */
export function confirmAction(message) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = message;
  const back = document.activeElement;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'yes');
      if (back && back.focus) back.focus();
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    document.getElementById('confirm-no').focus();
  });
}

/**
 * Runs a state-changing call for a page's button, then flashes the outcome and refreshes the page's data.
 * `what` is the message, or a function of the call's result that makes it.
 */
export async function act(ctx, what, call) {
  try {
    const r = await call();
    ctx.flash(typeof what === 'function' ? what(r) : what);
    ctx.refresh();
  } catch (e) {
    ctx.flash(e.message, 'error');
  }
}
