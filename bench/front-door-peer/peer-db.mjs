// The REST peer's own tables in PostgreSQL: a schema of its own holding the same three tables as
// AdvWell's V1__security.sql (tenants, api_clients, api_keys with the key's SHA-256 digest), one
// client key in them, and the schema's removal afterwards.
//
// usage: node peer-db.mjs create --schema S --key-file F   writes a new client key to F (mode 0600)
//        node peer-db.mjs drop --schema S
// Connection: the libpq variables PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD (pg reads them).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { digest, keyId, newKey, schemaName } from './peer-auth.mjs';

const { positionals: [command], values: opts } = parseArgs({
  allowPositionals: true,
  options: { schema: { type: 'string' }, 'key-file': { type: 'string' } },
});
const schema = schemaName(opts.schema);
const client = new pg.Client();
await client.connect();
try {
  if (command === 'create') {
    if (!opts['key-file']) throw new Error('--key-file is required');
    const key = newKey();
    await client.query('BEGIN');
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query(`CREATE TABLE ${schema}.tenants (
        id VARCHAR(64) PRIMARY KEY, name VARCHAR(200) NOT NULL, created_at TIMESTAMPTZ NOT NULL)`);
    await client.query(`CREATE TABLE ${schema}.api_clients (
        id VARCHAR(64) PRIMARY KEY, tenant_id VARCHAR(64) NOT NULL REFERENCES ${schema}.tenants (id),
        name VARCHAR(200) NOT NULL, role VARCHAR(16) NOT NULL, created_at TIMESTAMPTZ NOT NULL)`);
    await client.query(`CREATE TABLE ${schema}.api_keys (
        id VARCHAR(32) PRIMARY KEY, client_id VARCHAR(64) NOT NULL REFERENCES ${schema}.api_clients (id),
        digest VARCHAR(64) NOT NULL, created_at TIMESTAMPTZ NOT NULL, revoked_at TIMESTAMPTZ)`);
    await client.query(`INSERT INTO ${schema}.tenants VALUES ('bench-tenant', 'front-door bench', now())`);
    await client.query(`INSERT INTO ${schema}.api_clients VALUES ('bench-client', 'bench-tenant', 'bench', 'CLIENT', now())`);
    await client.query(`INSERT INTO ${schema}.api_keys VALUES ($1, 'bench-client', $2, now(), NULL)`, [keyId(key), digest(key)]);
    await client.query('COMMIT');
    writeFileSync(opts['key-file'], key, { mode: 0o600 });
  } else if (command === 'drop') {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } else {
    throw new Error(`unknown command '${command}' (create or drop)`);
  }
} finally {
  await client.end();
}
