// The console's only way to the server: the REST API under /api, authenticated by the session cookie, with the
// session's CSRF token on every state-changing call. No other path around the API's checks.

let csrfToken = null;
const listeners = { unauthenticated: [], online: [], offline: [] };

export function on(event, fn) { listeners[event].push(fn); }
function emit(event, arg) { for (const fn of listeners[event]) fn(arg); }

export function setCsrf(token) { csrfToken = token; }

/** A failed call: the problem document's detail (or what went wrong on the way), its status and field. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `request failed (${status})`);
    this.status = status;
    this.problem = problem;
    this.field = problem?.field;
  }
}

/** Calls the API; resolves with the JSON body (or null), rejects with ApiError. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res;
  try {
    res = await fetch(`/api/${path}`, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin', cache: 'no-store',
    });
  } catch (e) {
    emit('offline');
    throw new ApiError(0, { detail: 'the server did not answer; the console keeps retrying' });
  }
  // 502/503/504 from a proxy or a replica going away: the next poll may reach another replica
  if (res.status === 502 || res.status === 504 || (res.status === 503 && !isProblem(res))) emit('offline');
  else emit('online');
  const text = await res.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (res.status === 401 && path !== 'session') emit('unauthenticated', json);
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

function isProblem(res) {
  return (res.headers.get('Content-Type') || '').startsWith('application/problem+json');
}

export const enc = encodeURIComponent;
