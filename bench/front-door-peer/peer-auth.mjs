// API-key material of the REST peer, the same rules as AdvWell's ApiKeys: a key is aw_ + 43
// base64url characters; the database holds its hex SHA-256 digest, found by a public id (the first
// 16 hex characters of the digest) and compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const digest = (key) => createHash('sha256').update(key).digest('hex');
export const keyId = (key) => digest(key).slice(0, 16);
export const newKey = () => 'aw_' + randomBytes(32).toString('base64url');
export const matches = (key, storedDigest) =>
  timingSafeEqual(Buffer.from(digest(key), 'ascii'), Buffer.from(storedDigest, 'ascii'));

/** A schema name safe to put into SQL unquoted (the bench makes them: bench_fd_<hex>). */
export const schemaName = (name) => {
  if (!/^bench_fd_[0-9a-f]{8,32}$/.test(name ?? '')) throw new Error(`--schema must be bench_fd_<hex>, got '${name}'`);
  return name;
};
