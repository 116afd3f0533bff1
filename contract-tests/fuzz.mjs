#!/usr/bin/env node
// Generative contract fuzzer for the AdvWell API (the role schemathesis plays elsewhere; PyPI is not reachable here).
//
//   node fuzz.mjs --base http://127.0.0.1:18080 --admin-key KEY [--spec openapi.yaml] [--requests 10000]
//                 [--allow-container-pages]   (development only: the servlet container's own error pages do not fail)
//                 [--seed N] [--concurrency 8] [--max-seconds 300] [--report report.json]
//
// Reads the OpenAPI document (the file given, else GET <base>/openapi), dereferences it, and sends requests to every
// operation with an administrator's, an operator's and a client's key (the last two created through the API, which
// is the first stateful sequence: tenant -> client -> key), and without a key. Most requests are valid, generated
// from the request schemas; the others are deliberate mutations (missing required members, wrong types, out-of-range
// numbers, extra members, odd strings with unicode, NUL and percent-encodings, malformed JSON, wrong media type, bad
// path and query parameters). Every response is checked against the document: its status is documented for the
// operation, its content type is documented for that status, its body matches that status's schema, a problem
// document's status equals the HTTP status. Besides: no 5xx at all, no 2xx without a key, no 2xx for a body or query
// parameter the document says is invalid, and a few sequences whose outcome is known (a job added is readable by its
// tenant and 404 for another tenant, a schedule's life cycle, a revoked key is refused).
//
// Exit status 0 when every check passed, 1 when any failed (each failure is printed with a curl that reproduces it),
// 2 for a usage error. Only loopback addresses are accepted as --base.
import fs from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

// ---------------------------------------------------------------- arguments
const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true']);
  return acc;
}, []));
const base = (args.base || process.env.ADVWELL_BASE || '').replace(/\/$/, '');
const adminKey = args['admin-key'] || process.env.ADVWELL_ADMIN_KEY;
const total = Number(args.requests || 10000);
const concurrency = Number(args.concurrency || 8);
const maxSeconds = Number(args['max-seconds'] || 300);
const seed = Number(args.seed || Date.now() % 1000000);
if (!base || !adminKey) {
  console.error('usage: node fuzz.mjs --base http://127.0.0.1:PORT --admin-key KEY [--spec FILE] [--requests N] [--seed N]');
  process.exit(2);
}
const baseHost = new URL(base).hostname;
if (!['127.0.0.1', 'localhost', '[::1]'].includes(baseHost)) {
  console.error(`fuzz: refusing to send requests to ${baseHost}: only a replica on this machine (127.0.0.1) is fuzzed`);
  process.exit(2);
}

// ---------------------------------------------------------------- seeded randomness (a failure can be replayed)
let state = seed >>> 0 || 1;
function rnd() { // mulberry32
  state = (state + 0x6D2B79F5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
const chance = (p) => rnd() < p;

// ---------------------------------------------------------------- the document
const specSource = args.spec || `${base}/openapi`;
let rawSpec;
if (args.spec) {
  rawSpec = args.spec;
} else {
  const r = await fetch(`${base}/openapi`, { headers: { Accept: 'application/json' } });
  if (r.status !== 200) { console.error(`fuzz: GET /openapi answered ${r.status}`); process.exit(1); }
  const tmp = `${process.env.TMPDIR || '/tmp'}/advwell-openapi-${process.pid}.json`;
  fs.writeFileSync(tmp, await r.text());
  rawSpec = tmp;
}
const api = await SwaggerParser.dereference(rawSpec);

const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
addFormats(ajv);
ajv.addFormat('int32', { type: 'number', validate: (n) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
ajv.addFormat('int64', { type: 'number', validate: (n) => Number.isInteger(n) });
const validators = new Map();
function validator(schema) {
  let v = validators.get(schema);
  if (!v) { v = ajv.compile(schema); validators.set(schema, v); }
  return v;
}

const operations = [];
for (const [path, item] of Object.entries(api.paths)) {
  for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
    const op = item[method];
    if (!op) continue;
    const parameters = [...(item.parameters || []), ...(op.parameters || [])];
    operations.push({ id: op.operationId, method: method.toUpperCase(), path, op, parameters,
      secured: !(op.security && (op.security.length === 0 || op.security.some((r) => Object.keys(r).length === 0))) });
  }
}

// ---------------------------------------------------------------- what the fuzzer knows of the server's state
const known = {
  tenant: new Set(['system']), client: new Set(['bootstrap-admin']), keyToRevoke: new Set(), schedule: new Set(),
  queue: new Set(['probe', 'webhooks']), job: new Set(),
};
const keys = { admin: adminKey, operator: null, client: null, client2: null };
const JOB_TYPES = ['probe', 'http'];
const CRONS = ['*/5 * * * *', '30 2 * * *', '0 0/15 * ? * MON-FRI', '0 0 1 1 *', '15 10 ? * 6L', '@daily', '61 * * * *',
  '* * *', '0 0 30 2 *'];
const ZONES = ['America/Sao_Paulo', 'UTC', 'Europe/Lisbon', 'Asia/Kolkata', 'Mars/Olympus', '+03:00', 'GMT+1', ''];
const DOT_SEGMENTS = ['.', '..', '%2e%2e'];
const ODD = ['', ' ', '\u0000', 'a\u0000b', '%00', '%2F', '%', '%zz', '..', '.', '/', '\\', 'é', '☃', '𝄞', '\u202e',
  '\uFEFF', '\uD800', '%ED%A0%80', '%C3%28', '%2e%2e', 'a'.repeat(300), "'; DROP TABLE tenants; --", '<script>', '${jndi:ldap://x}', '0', '-1',
  '99999999999999999999', 'null', 'true', '{}', '[]', 'NaN', ' padded '];

// Values per member name where a random string would never be accepted; used by valid requests.
function hint(name, schema) {
  switch (name) {
    case 'type': return schema.enum ? pick(schema.enum) : pick(JOB_TYPES.concat(['probe', 'probe']));
    case 'cron': return pick(CRONS);
    case 'timeZone': return pick(ZONES.slice(0, 4));
    case 'queue': return pick([...known.queue]);
    case 'runAt': return new Date(Date.now() + int(-3600, 3600 * 24 * 30) * 1000).toISOString();
    case 'id': return `job-${int(0, 400)}`;
    case 'role': return pick(['client', 'operator', 'client', 'admin']);
    default: return undefined;
  }
}

// ---------------------------------------------------------------- schema-driven generation
function randomString(schema) {
  if (schema.enum) return pick(schema.enum);
  if (schema.format === 'date-time') return new Date(Date.now() + int(-1e9, 1e9)).toISOString();
  const max = Math.min(schema.maxLength ?? 24, 40);
  const min = schema.minLength ?? 0;
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-_.';
  for (let attempt = 0; attempt < 20; attempt++) {
    const n = int(Math.max(min, 1), Math.max(min, Math.min(max, 16)));
    let s = pick('abcdefghijklmnopqrstuvwxyz');
    while (s.length < n) s += alphabet[int(0, alphabet.length - 1)];
    if (!schema.pattern || new RegExp(schema.pattern, 'u').test(s)) return s;
  }
  return 'a';
}
function randomNumber(schema) {
  const lo = schema.minimum ?? (chance(0.5) ? 0 : -1000);
  const hi = schema.maximum ?? lo + (chance(0.7) ? 1000 : 1e9);
  if (schema.type === 'integer') {
    if (chance(0.15)) return lo;
    if (chance(0.15)) return hi;
    return Math.min(hi, lo + Math.floor(rnd() * Math.min(hi - lo + 1, 1e12)));
  }
  return lo + rnd() * (hi - lo);
}
function randomJson(depth = 0) {
  const k = int(0, depth > 2 ? 3 : 5);
  if (k === 0) return int(-1e6, 1e6);
  if (k === 1) return pick(['x', 'é☃', 'a\u0000b', '']);
  if (k === 2) return chance(0.5);
  if (k === 3) return null;
  if (k === 4) return Array.from({ length: int(0, 3) }, () => randomJson(depth + 1));
  const o = {};
  for (let i = int(0, 3); i > 0; i--) o[pick(['a', 'b', 'invoice', 'url', 'é'])] = randomJson(depth + 1);
  return o;
}
function generate(schema, name, depth = 0) {
  if (!schema) return undefined;
  const hinted = name ? hint(name, schema) : undefined;
  if (hinted !== undefined && (schema.type === 'string' || schema.enum)) return hinted;
  switch (schema.type) {
    case 'object': {
      const out = {};
      for (const [prop, sub] of Object.entries(schema.properties || {})) {
        if ((schema.required || []).includes(prop) || chance(0.45)) {
          if (prop === 'delayMs' && out.runAt !== undefined) continue;
          if (prop === 'runAt' && out.delayMs !== undefined) continue;
          out[prop] = generate(sub, prop, depth + 1);
        }
      }
      if (!schema.properties && depth < 3) return randomJson(1);
      return out;
    }
    case 'array': {
      const n = int(schema.minItems ?? 0, Math.min(schema.maxItems ?? 4, 4));
      return Array.from({ length: Math.max(n, schema.minItems ?? 0) }, () => generate(schema.items, null, depth + 1));
    }
    case 'string': return randomString(schema);
    case 'integer':
    case 'number': return randomNumber(schema);
    case 'boolean': return chance(0.5);
    default: return randomJson(depth);
  }
}

// Mutations of a valid body; each says whether the result is still meant to be valid (then nothing is asserted).
function mutateBody(schema, body) {
  const kinds = ['missing', 'wrongType', 'range', 'extra', 'odd', 'notObject', 'nullMember', 'float', 'huge', 'nested'];
  const kind = pick(kinds);
  const b = structuredClone(body ?? {});
  const props = Object.entries(schema?.properties || {});
  const target = props.length ? pick(props) : null;
  switch (kind) {
    case 'missing': {
      const req = schema?.required || [];
      if (req.length) delete b[pick(req)]; else if (target) delete b[target[0]];
      return { kind, body: b };
    }
    case 'wrongType':
      if (target) b[target[0]] = target[1].type === 'string' ? pick([42, true, {}, [1]]) : pick(['abc', '5', true, {}, []]);
      return { kind, body: b };
    case 'range':
      if (target) {
        const s = target[1];
        if (s.type === 'integer' || s.type === 'number') b[target[0]] = chance(0.5) ? (s.minimum ?? 0) - int(1, 1000) : (s.maximum ?? 2 ** 53) + int(1, 1000);
        else if (s.type === 'string') b[target[0]] = 'x'.repeat((s.maxLength ?? 4096) + int(1, 50));
        else if (s.type === 'array') b[target[0]] = [];
      }
      return { kind, body: b };
    case 'extra': b[pick(['unknown', 'Type', 'prioritty', '__proto__x', 'é'])] = pick([1, 'x', null, {}]); return { kind, body: b };
    case 'odd': if (target) b[target[0]] = pick(ODD); return { kind, body: b };
    case 'notObject': return { kind, body: pick([[], [b], 'text', 42, null, true]) };
    case 'nullMember': if (target) b[target[0]] = null; return { kind, body: b };
    case 'float': if (target) b[target[0]] = pick([1.5, -0.0001, 1e-7, 3.14]); return { kind, body: b };
    case 'huge': if (target) b[target[0]] = pick([1e300, -1e300, 2 ** 63, 9007199254740993]); return { kind, body: b };
    case 'nested': if (target) b[target[0]] = { deep: [[[[[{ x: '\u0000' }]]]]] }; return { kind, body: b };
    default: return { kind, body: b };
  }
}
// The API reads a member given as null as one left out, and a null body as no body where the body is optional (the
// document says so); such a mutation is still a valid request.
function withoutNulls(schema, body, required) {
  if (body === null && !required) return {};
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const out = { ...body };
  for (const [k, v] of Object.entries(out)) {
    if (v === null && !(schema.required || []).includes(k)) delete out[k];
  }
  return out;
}

// Raw (not JSON-serialisable by design) bodies: malformed JSON, wrong media type, nothing at all.
function rawMutation() {
  return pick([
    { kind: 'malformedJson', text: '{"type": "probe",', type: 'application/json' },
    { kind: 'malformedJson', text: '{"a":1}}', type: 'application/json' },
    { kind: 'malformedJson', text: '\u0000', type: 'application/json' },
    { kind: 'malformedJson', text: '{"type": NaN}', type: 'application/json' },
    { kind: 'emptyBody', text: '', type: 'application/json' },
    { kind: 'wrongMediaType', text: 'type=probe', type: 'application/x-www-form-urlencoded' },
    { kind: 'wrongMediaType', text: '{"type":"probe"}', type: 'text/plain' },
    { kind: 'deepJson', text: '['.repeat(5000) + ']'.repeat(5000), type: 'application/json' },
  ]);
}

// ---------------------------------------------------------------- requests and checks
const stats = new Map(); // operationId -> {count, statuses}
const failures = [];
const containerPages = []; // error pages from outside JAX-RS (HTML/plain text), reported apart, still failures
let sent = 0;

function curlFor(req) {
  const who = req.as ? `"Authorization: Bearer $${req.as.toUpperCase()}_KEY"` : null;
  const parts = ['curl -si', '-X', req.method];
  if (who) parts.push('-H', who);
  if (req.rawAuth !== undefined) parts.push('-H', `'Authorization: ${req.rawAuth}'`);
  if (req.contentType) parts.push('-H', `'Content-Type: ${req.contentType}'`);
  if (req.body !== undefined) parts.push('--data-binary', `'${req.body.replace(/'/g, "'\\''").replace(/\u0000/g, '\\u0000')}'`);
  parts.push(`'${req.url.replace(/'/g, "'\\''")}'`);
  return parts.join(' ');
}

function fail(req, res, why, container = false) {
  const entry = { operation: req.opId, mode: req.mode, status: res?.status, why, curl: curlFor(req),
    response: res?.text?.slice(0, 400), container };
  failures.push(entry);
}

function mediaBase(ct) { return (ct || '').split(';')[0].trim().toLowerCase(); }

// Requests the HTTP connector (Grizzly, inside Payara) refuses before any servlet or filter runs, so no application
// code can answer them with a problem document: a request target with NUL, an encoded backslash, bytes that are not
// UTF-8, or a '%' not followed by two hex digits; an Authorization header with non-ASCII bytes. ReplicaApiIT
// (requestsRefusedBeforeAnyServletNameNoServerAndLeakNothing) pins down what the connector answers to each.
function connectorRefusable(req) {
  const target = req.url.replace(/^https?:\/\/[^/]+/, '');
  if (/%(?![0-9A-Fa-f]{2})/.test(target)) return 'malformed percent-encoding';
  if (/%00|%5c/i.test(target)) return 'NUL or encoded backslash in the request target';
  try { decodeURIComponent(target.replace(/\+/g, ' ')); } catch { return 'request target not UTF-8'; }
  if (req.rawAuth !== undefined && /[^\x00-\x7f]/.test(req.rawAuth)) return 'non-ASCII Authorization header';
  return null;
}
const connectorRefusals = {}; // reason -> {status -> count}

// What the connector may answer to such a request: no body, no product-naming header. 400 is what it answers; a
// malformed percent-encoding gets 200 with no body (Payara's URL decoder fails, logs, and the request goes nowhere:
// no resource runs, nothing is changed or read). Anything else from such a request is judged like any response.
function connectorRefusal(req, res, ct) {
  const reason = connectorRefusable(req);
  if (!reason || ct !== '' || res.text.length > 0) return false;
  if (res.headers.get('server') || res.headers.get('x-powered-by')) return false;
  if (res.status !== 400 && !(res.status === 200 && reason === 'malformed percent-encoding')) return false;
  const byStatus = (connectorRefusals[reason] ||= {});
  byStatus[res.status] = (byStatus[res.status] || 0) + 1;
  return true;
}

function checkResponse(req, res) {
  const s = stats.get(req.opId) || { count: 0, statuses: {} };
  s.count++;
  s.statuses[res.status] = (s.statuses[res.status] || 0) + 1;
  stats.set(req.opId, s);
  const ct = mediaBase(res.headers.get('content-type'));
  if (connectorRefusal(req, res, ct)) return;
  const documentedEmpty = (req.op.responses[String(res.status)] && !req.op.responses[String(res.status)].content);
  if ((res.status >= 400 && (ct === 'text/html' || ct === 'text/plain' || ct === '')) || (ct === '' && !documentedEmpty)) {
    // Grizzly/servlet error page, not the application's: another change makes these problem documents
    containerPages.push({ operation: req.opId, status: res.status, contentType: ct, curl: curlFor(req) });
    fail(req, res, `container error page (${res.status} ${ct || 'no content type'}) instead of the application's answer`, true);
    return;
  }
  if (res.status >= 500) fail(req, res, `server error ${res.status}`);
  const documented = req.op.responses[String(res.status)] || req.op.responses.default;
  if (!documented) {
    fail(req, res, `status ${res.status} is not documented for ${req.opId}`);
    return;
  }
  if (req.op !== undefined && req.secured && !req.as && res.status < 300) fail(req, res, 'succeeded without an API key');
  if (req.invalid && res.status < 300) fail(req, res, `accepted an invalid request (${req.invalid})`);
  const content = documented.content;
  if (!content) {
    if (res.text.length > 0) fail(req, res, `status ${res.status} is documented without a body, but one came`);
    return;
  }
  const media = content[ct];
  if (!media) {
    fail(req, res, `content type '${ct}' not documented for ${res.status} (documented: ${Object.keys(content).join(', ')})`);
    return;
  }
  if (ct.endsWith('json')) {
    let body;
    try { body = JSON.parse(res.text); } catch (e) { fail(req, res, `body is not JSON: ${e.message}`); return; }
    res.json = body;
    if (media.schema) {
      const v = validator(media.schema);
      if (!v(body)) fail(req, res, `body does not match the schema for ${res.status}: ${ajv.errorsText(v.errors)}`);
    }
    if (ct === 'application/problem+json' && body.status !== res.status) fail(req, res, `problem status ${body.status} != HTTP ${res.status}`);
  }
  if (res.status === 201 && documented.headers?.Location) {
    const loc = res.headers.get('location');
    if (!loc || !/^https?:\/\//.test(loc)) fail(req, res, `201 without an absolute Location (${loc})`);
  }
}

async function send(req) {
  sent++;
  const headers = {};
  if (req.as) headers.Authorization = `Bearer ${keys[req.as] ?? 'aw_' + 'x'.repeat(43)}`;
  if (req.rawAuth !== undefined) headers.Authorization = req.rawAuth;
  if (req.contentType) headers['Content-Type'] = req.contentType;
  let res;
  try {
    const r = await fetch(req.url, { method: req.method, headers, body: req.body, redirect: 'manual',
      signal: AbortSignal.timeout(30000) });
    res = { status: r.status, headers: r.headers, text: await r.text() };
  } catch (e) {
    fail(req, null, `no response: ${e.cause?.code || e.message}`);
    return null;
  }
  if (req.op) checkResponse(req, res);
  return res;
}

function encodePathValue(v, raw) {
  if (raw) return v;
  try { return encodeURIComponent(v); } catch { return '%ED%A0%80'; } // a lone surrogate: its UTF-8-like bytes, invalid
}

function pathValue(name, path, valid) {
  if (!valid && chance(0.5)) {
    const v = pick(ODD.filter((x) => x.length > 0 && !DOT_SEGMENTS.includes(x)));
    return { value: v, raw: chance(0.3) && /^[\x21-\x7e]+$/.test(v) && !/[?#]/.test(v) };
  }
  let pool;
  if (name === 'queue') pool = known.queue;
  else if (name === 'keyId') pool = known.keyToRevoke;
  else if (path.startsWith('/api/tenants')) pool = known.tenant;
  else if (path.startsWith('/api/clients')) pool = known.client;
  else if (path.startsWith('/api/schedules')) pool = known.schedule;
  else if (path.includes('/jobs/')) pool = known.job;
  const values = pool ? [...pool] : [];
  if (values.length && chance(0.85)) return { value: pick(values), raw: false };
  return { value: randomString({ maxLength: 20 }), raw: false };
}

function buildRequest(o, as, mode) {
  const req = { opId: o.id, op: o.op, method: o.method, secured: o.secured, as, mode };
  let url = o.path;
  for (const p of o.parameters.filter((x) => x.in === 'path')) {
    const { value, raw } = pathValue(p.name, o.path, mode === 'valid');
    url = url.replace(`{${p.name}}`, encodePathValue(value, raw));
  }
  const query = [];
  for (const p of o.parameters.filter((x) => x.in === 'query')) {
    if (mode === 'valid') {
      if (chance(0.5)) query.push([p.name, String(generate(p.schema, p.name))]);
    } else if (chance(0.6)) {
      const bad = pick(['-1', '0', '1e10', 'abc', '', '1.5', '%00', '99999999999999999999', '2147483648', 'é', ' 5']);
      query.push([p.name, bad]);
      // the document says what is valid: only a value it forbids must be refused (an empty value is the parameter
      // left out, and %00 is the container's to refuse)
      const v = validator(p.schema);
      const n = /^-?\d+$/.test(bad) ? Number(bad) : bad;
      if (bad !== '%00' && bad !== '' && ((p.schema.type === 'integer' && (typeof n !== 'number' || !v(n))) || (p.schema.enum && !p.schema.enum.includes(bad)))) {
        req.invalid = `query ${p.name}=${JSON.stringify(bad)}`;
      }
    } else if (chance(0.3)) {
      query.push([p.name, String(generate(p.schema, p.name))]);
    }
  }
  if (mode !== 'valid' && chance(0.1)) query.push(['unknownParam', 'x']);
  if (query.length) {
    url += '?' + query.map(([k, v]) => `${encodeURIComponent(k)}=${v === '%00' ? v : encodeURIComponent(v)}`).join('&');
  }
  req.url = base + url;
  const rb = o.op.requestBody;
  if (rb) {
    const media = rb.content['application/json'];
    let body = generate(media.schema, null);
    if (o.id === 'addJobs' && body?.jobs) body.jobs.forEach((j) => { j.type = chance(0.9) ? 'probe' : j.type; });
    if (o.id === 'addJob' && chance(0.9)) body.type = 'probe';
    if (mode === 'valid') {
      if (!rb.required && chance(0.2)) return req; // the body may be left out
      req.contentType = 'application/json';
      req.body = JSON.stringify(body);
    } else if (chance(0.25)) {
      const m = rawMutation();
      req.mode = `mutation:${m.kind}`;
      req.contentType = m.type;
      req.body = m.text;
      if (m.kind !== 'emptyBody' || rb.required) req.invalid = m.kind;
    } else {
      const m = mutateBody(media.schema, body);
      req.mode = `mutation:${m.kind}`;
      req.contentType = 'application/json';
      req.body = JSON.stringify(m.body);
      if (!validator(media.schema)(withoutNulls(media.schema, m.body, rb.required))) req.invalid = `body ${m.kind}`;
    }
  }
  return req;
}

// ---------------------------------------------------------------- stateful set-up and sequences
function expect(what, res, status) {
  if (!res || res.status !== status) {
    failures.push({ operation: 'sequence', why: `${what}: expected ${status}, got ${res?.status}`, response: res?.text?.slice(0, 400) });
    return false;
  }
  return true;
}
const byId = Object.fromEntries(operations.map((o) => [o.id, o]));
function call(opId, as, path, body) {
  const o = byId[opId];
  return send({ opId, op: o.op, method: o.method, secured: o.secured, as, mode: 'sequence', url: base + path,
    contentType: body === undefined ? undefined : 'application/json', body: body === undefined ? undefined : JSON.stringify(body) });
}

async function setUp() {
  const runId = `fz${runStamp}`;
  const tenants = [];
  for (const n of [1, 2]) {
    const t = await call('createTenant', 'admin', '/api/tenants', { name: `${runId}-tenant-${n}` });
    if (!expect('create tenant', t, 201)) throw new Error('cannot create a tenant; is the admin key right?');
    tenants.push(t.json.id);
    known.tenant.add(t.json.id);
  }
  const clientKey = async (tenant, role, name) => {
    const r = await call('createClient', 'admin', `/api/tenants/${tenant}/clients`, { name, role });
    if (!expect(`create ${role} client`, r, 201)) throw new Error(`cannot create a ${role} client`);
    known.client.add(r.json.clientId);
    return r.json;
  };
  keys.client = (await clientKey(tenants[0], 'client', `${runId}-client`)).key;
  keys.client2 = (await clientKey(tenants[1], 'client', `${runId}-client-2`)).key;
  const op = await clientKey(tenants[0], 'operator', `${runId}-operator`);
  keys.operator = op.key;
  // a key issued to be revoked: rotation, then revocation refused everywhere at once
  const spare = await call('issueClientKey', 'admin', `/api/clients/${op.clientId}/keys`);
  expect('issue a second key', spare, 201);
  const me = await call('getMe', 'client', '/api/me');
  if (expect('GET /api/me as the new client', me, 200) && me.json.role !== 'client') {
    failures.push({ operation: 'sequence', why: `me.role is ${me.json.role}, not client` });
  }
  keys.spare = spare.json.key;
  const spareMe = await call('getMe', 'spare', '/api/me');
  expect('the issued key works', spareMe, 200);
  const revoked = await call('revokeKey', 'admin', `/api/api-keys/${spare.json.keyId}`);
  expect('revoke the key', revoked, 200);
  expect('a revoked key is refused', await call('getMe', 'spare', '/api/me'), 401);
  const list = await call('listClientKeys', 'admin', `/api/clients/${op.clientId}/keys`);
  expect('list keys', list, 200);
  // further spare keys for the fuzzer's own DELETE /api/api-keys/{keyId}
  for (let i = 0; i < 3; i++) {
    const k = await call('issueClientKey', 'admin', `/api/clients/${op.clientId}/keys`);
    if (k?.status === 201) known.keyToRevoke.add(k.json.keyId);
  }
}

async function jobSequence() {
  const id = `seq-${runStamp}-${int(0, 1e9)}`;
  const add = await call('addJob', 'client', '/api/queues/probe/jobs', { id, type: 'probe', payload: { n: 1 }, delayMs: 600000 });
  if (!expect('add a job', add, 201)) return;
  expect('add the same job again (idempotent)', await call('addJob', 'client', '/api/queues/probe/jobs', { id, type: 'probe' }), 200);
  const got = await call('getJob', 'client', `/api/queues/probe/jobs/${id}`);
  if (expect('its tenant reads the job', got, 200) && (got.json.id !== id || got.json.state !== 'delayed')) {
    failures.push({ operation: 'sequence', why: `job read back as ${got.text.slice(0, 200)}` });
  }
  expect('another tenant gets 404 for the job', await call('getJob', 'client2', `/api/queues/probe/jobs/${id}`), 404);
  expect('promote the delayed job', await call('promoteJob', 'client', `/api/queues/probe/jobs/${id}/promote`), 204);
  const bulk = await call('addJobs', 'operator', '/api/queues/probe/jobs/bulk',
    { jobs: [{ id: `${id}-b1`, type: 'probe' }, { id: `${id}-b2`, type: 'probe', delayMs: 600000 }] });
  expect('bulk add', bulk, 201);
  expect('cancel a delayed job', await call('cancelJob', 'operator', `/api/queues/probe/jobs/${id}-b2`), 204);
  expect('a cancelled job is gone', await call('getJob', 'operator', `/api/queues/probe/jobs/${id}-b2`), 404);
  // only now may the random traffic use these ids: earlier, its cancels and deletes would race the steps above
  known.job.add(id);
  known.job.add(`${id}-b1`);
}

async function scheduleSequence() {
  const created = await call('createSchedule', 'client', '/api/schedules',
    { name: `seq-${int(0, 1e9)}`, cron: '30 2 * * *', timeZone: 'UTC', queue: 'probe', payload: { n: 1 } });
  if (!expect('create a schedule', created, 201)) return;
  const id = created.json.id;
  expect('read it', await call('getSchedule', 'client', `/api/schedules/${id}`), 200);
  expect('another tenant gets 404', await call('getSchedule', 'client2', `/api/schedules/${id}`), 404);
  expect('pause it', await call('pauseSchedule', 'client', `/api/schedules/${id}/pause`), 200);
  expect('resume it', await call('resumeSchedule', 'client', `/api/schedules/${id}/resume`), 200);
  expect('run it now', await call('runSchedule', 'client', `/api/schedules/${id}/run`), 202);
  const runs = await call('listScheduleRuns', 'client', `/api/schedules/${id}/runs`);
  if (expect('its runs', runs, 200) && !runs.json.some((r) => r.trigger === 'RUN_NOW')) {
    failures.push({ operation: 'sequence', why: 'the run-now run is not in the history' });
  }
  if (chance(0.5)) {
    expect('delete it', await call('deleteSchedule', 'client', `/api/schedules/${id}`), 204);
    expect('a deleted schedule is 404', await call('getSchedule', 'client', `/api/schedules/${id}`), 404);
  } else {
    known.schedule.add(id); // after the sequence: the random traffic's pauses and deletes would race its steps
  }
}

// ---------------------------------------------------------------- main loop
const started = Date.now();
const runStamp = started.toString(36);
await setUp();
for (let i = 0; i < 3; i++) { await jobSequence(); await scheduleSequence(); }

let next = 0;
let timedOut = false;
async function worker() {
  while (sent < total) {
    if ((Date.now() - started) / 1000 > maxSeconds) { timedOut = true; return; }
    const n = next++;
    if (n % 500 === 499) { await jobSequence(); await scheduleSequence(); continue; }
    const o = operations[n % operations.length];
    const as = pick(['admin', 'operator', 'client', 'client', 'operator', null, 'bogus']);
    const mode = chance(0.6) ? 'valid' : 'mutation';
    const req = buildRequest(o, as === 'bogus' ? 'bogus' : as, mode);
    if (as === null && chance(0.3)) req.rawAuth = pick(['Basic YTpi', 'Bearer', 'Bearer ', 'bearer  ' + 'é', 'Token x']);
    const res = await send(req);
    // learn ids the server made so that later requests reach existing resources
    if (res?.json && res.status < 300) {
      if (o.id === 'createTenant') known.tenant.add(res.json.id);
      if (o.id === 'createClient') known.client.add(res.json.clientId);
      if (o.id === 'createSchedule') known.schedule.add(res.json.id);
      if (o.id === 'addJob') known.job.add(res.json.id);
      if (o.id === 'addJobs') res.json.jobs.forEach((j) => known.job.add(j.id));
      if (o.id === 'issueClientKey') known.keyToRevoke.add(res.json.keyId);
      if (o.id === 'deleteSchedule') known.schedule.delete(url2id(req.url));
    }
    if (known.job.size > 2000) known.job.clear();
  }
}
function url2id(url) { return decodeURIComponent(url.split('/').pop().split('?')[0]); }
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = ((Date.now() - started) / 1000).toFixed(1);

// ---------------------------------------------------------------- report
const pad = (s, n) => String(s).padEnd(n);
console.log(`\ncontract fuzz: ${sent} requests in ${seconds} s against ${base} (document ${specSource}, seed ${seed})`);
console.log(`${pad('operation', 26)} ${pad('requests', 9)} statuses`);
for (const o of operations) {
  const s = stats.get(o.id) || { count: 0, statuses: {} };
  console.log(`${pad(o.id, 26)} ${pad(s.count, 9)} ${Object.entries(s.statuses).map(([k, v]) => `${k}:${v}`).join(' ')}`);
}
const untested = operations.filter((o) => !stats.get(o.id)?.count);
if (untested.length) failures.push({ operation: 'coverage', why: `never called: ${untested.map((o) => o.id).join(', ')}` });
if (timedOut) failures.push({ operation: 'budget', why: `stopped after ${maxSeconds} s with ${sent} of ${total} requests` });
if (containerPages.length) {
  const byStatus = {};
  containerPages.forEach((c) => { byStatus[`${c.status} ${c.contentType}`] = (byStatus[`${c.status} ${c.contentType}`] || 0) + 1; });
  console.log(`\ncontainer error pages (outside JAX-RS, not problem documents): ${containerPages.length} ${JSON.stringify(byStatus)}`);
}
const refused = Object.values(connectorRefusals).flatMap((b) => Object.values(b)).reduce((a, b) => a + b, 0);
if (refused) {
  console.log(`\nrefused by the HTTP connector before the application (empty body, no server header; not failures): ${refused} ${JSON.stringify(connectorRefusals)}`);
}
// one line per distinct failure (operation + reason without the volatile parts), with its first reproduction
const distinct = new Map();
for (const f of failures) {
  const key = `${f.operation} ${String(f.why).replace(/[0-9a-f-]{36}|\d+/g, 'N').slice(0, 160)}`;
  const d = distinct.get(key);
  if (d) d.count++; else distinct.set(key, { ...f, count: 1 });
}
if (args.report) fs.writeFileSync(args.report, JSON.stringify({ seed, sent, seconds, stats: Object.fromEntries(stats), failures }, null, 1));
const counted = args['allow-container-pages'] === 'true' ? failures.filter((f) => !f.container) : failures;
if (counted.length === 0) {
  console.log(`\ncontract fuzz: 0 failures${failures.length ? ` (${failures.length} container error pages allowed by --allow-container-pages)` : ''}`);
  process.exit(0);
}
console.log(`\ncontract fuzz: ${failures.length} failures, ${distinct.size} distinct (keys: $ADMIN_KEY, $OPERATOR_KEY, $CLIENT_KEY, $CLIENT2_KEY; replay with --seed ${seed})`);
for (const d of distinct.values()) {
  console.log(`\n[${d.count}x]${d.container ? ' [container]' : ''} ${d.operation} (${d.mode ?? 'sequence'}): ${d.why}`);
  if (d.curl) console.log(`  ${d.curl}`);
  if (d.response) console.log(`  -> ${d.response.replace(/\s+/g, ' ').slice(0, 300)}`);
}
process.exit(1);
