#!/usr/bin/env node
// Fetches the document a replica serves at GET /openapi and checks that it is the hand-maintained one
// (web-module/src/main/resources/META-INF/openapi.yaml), member for member; writes it for the linter and the fuzzer.
//
//   node served.mjs --base http://127.0.0.1:PORT --source ../web-module/src/main/resources/META-INF/openapi.yaml --out FILE
//
// Payara 6.2025.10 adds a top-level "endpoints" member of its own (a list of the application's paths, not part of
// OpenAPI and not x- prefixed; Payara prefixes it from 2026 on, payara/Payara#7891). It is reported and removed
// before the comparison and the lint; everything else must be exactly what the source says.
import fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => {
  if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1]]);
  return acc;
}, []));
if (!args.base || !args.source || !args.out) {
  console.error('usage: node served.mjs --base URL --source openapi.yaml --out served.json');
  process.exit(2);
}
const res = await fetch(`${args.base.replace(/\/$/, '')}/openapi`, { headers: { Accept: 'application/json' } });
const text = await res.text();
if (res.status !== 200) {
  console.error(`served: GET /openapi answered ${res.status}:\n${text.slice(0, 2000)}`);
  process.exit(1);
}
const served = JSON.parse(text);
if ('endpoints' in served) {
  console.log(`served: removed Payara's non-standard top-level "endpoints" member (${Object.values(served.endpoints).flat().length} paths)`);
  delete served.endpoints;
}
const source = await SwaggerParser.parse(args.source);
const differences = [];
(function compare(a, b, at) {
  if (isDeepStrictEqual(a, b)) return;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) compare(a[k], b[k], `${at}/${k}`);
    return;
  }
  differences.push(`${at}: source ${JSON.stringify(a)?.slice(0, 120)}, served ${JSON.stringify(b)?.slice(0, 120)}`);
})(source, served, '#');
fs.writeFileSync(args.out, JSON.stringify(served, null, 1));
if (differences.length) {
  console.error(`served: GET /openapi differs from ${args.source} in ${differences.length} places:\n  ${differences.slice(0, 40).join('\n  ')}`);
  process.exit(1);
}
console.log(`served: GET /openapi is ${args.source} (${Object.keys(served.paths).length} paths), written to ${args.out}`);
