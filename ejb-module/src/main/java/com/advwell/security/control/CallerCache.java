package com.advwell.security.control;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The callers of the API keys this replica resolved recently, so that authentication reads PostgreSQL once per key
 * and TTL instead of on every request. A revocation makes it forget a key at once ({@link #invalidate}); the TTL is
 * the backstop for a revocation this replica never heard of. Only valid keys are kept, so made-up keys cannot fill
 * memory (each one is looked up, as before), and the number of keys kept is bounded: when full, expired entries go
 * first, then arbitrary ones (they are read again on their next use). Container-free and thread-safe; hits take no
 * lock.
 */
public final class CallerCache {

    /** What a key id resolves to in PostgreSQL: the stored digest and the caller, for a key that is valid now. */
    public record StoredKey(String digest, Caller caller) {}

    private record Entry(String digest, Caller caller, long expiresNanos) {}

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    /** Counts invalidations, so that a read that raced with one is not cached (it may predate the revocation). */
    private final AtomicLong invalidations = new AtomicLong();

    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoClock;

    /** {@code ttl} zero turns the cache off: every key is read from PostgreSQL every time. */
    public CallerCache(int maxEntries, Duration ttl) {
        this(maxEntries, ttl, System::nanoTime);
    }

    CallerCache(int maxEntries, Duration ttl, LongSupplier nanoClock) {
        if (maxEntries < 1 || ttl.isNegative()) {
            throw new IllegalArgumentException("maxEntries must be positive and ttl not negative");
        }
        this.maxEntries = maxEntries;
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
    }

    /**
     * The caller of a presented key: from memory when this replica resolved the key less than the TTL ago and has
     * not heard of its revocation since, otherwise from {@code load} (key id to its stored key; empty when the key is
     * unknown, revoked or its client is gone). The presented key is hashed once and compared in constant time.
     */
    public Optional<Caller> resolve(String presentedKey, Function<String, Optional<StoredKey>> load) {
        if (!ApiKeys.plausible(presentedKey)) {
            return Optional.empty();
        }
        String digest = ApiKeys.digest(presentedKey);
        String id = ApiKeys.idOfDigest(digest);
        long now = nanoClock.getAsLong();
        Entry known = entries.get(id);
        if (known != null) {
            if (now - known.expiresNanos() < 0) {
                return ApiKeys.sameDigest(digest, known.digest()) ? Optional.of(known.caller()) : Optional.empty();
            }
            entries.remove(id, known);
        }
        long invalidationsBefore = invalidations.get();
        Optional<StoredKey> stored = load.apply(id);
        if (stored.isEmpty() || !ApiKeys.sameDigest(digest, stored.get().digest())) {
            return Optional.empty();
        }
        Caller caller = stored.get().caller();
        if (ttlNanos > 0) {
            remember(id, new Entry(digest, caller, now + ttlNanos), invalidationsBefore);
        }
        return Optional.of(caller);
    }

    /** Forgets one key (it was revoked), here and now. */
    public void invalidate(String keyId) {
        invalidations.incrementAndGet();
        entries.remove(keyId);
    }

    /** Forgets every key (revocations may have been missed: the announcements' subscription was down). */
    public void clear() {
        invalidations.incrementAndGet();
        entries.clear();
    }

    /** Keys held now, expired ones included until they are next looked at or make room. */
    public int size() {
        return entries.size();
    }

    /** Only misses get here (after a PostgreSQL read), so the lock costs nothing a request would notice. */
    private synchronized void remember(String id, Entry entry, long invalidationsBefore) {
        if (invalidations.get() != invalidationsBefore) {
            return;
        }
        if (entries.size() >= maxEntries && !entries.containsKey(id)) {
            makeRoom(nanoClock.getAsLong());
        }
        entries.put(id, entry);
        // an invalidation between the check above and the put must not be outlived by what was read before it
        if (invalidations.get() != invalidationsBefore) {
            entries.remove(id, entry);
        }
    }

    private void makeRoom(long now) {
        entries.values().removeIf(e -> now - e.expiresNanos() >= 0);
        // evict a tenth at once, so that a full cache does not scan on every miss
        Iterator<String> ids = entries.keySet().iterator();
        int target = maxEntries - Math.max(1, maxEntries / 10);
        while (entries.size() > target && ids.hasNext()) {
            ids.next();
            ids.remove();
        }
    }
}
