package com.advwell.testsupport;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A client of the test Redis ({@link TestServices}) and a key prefix of the test's own: register it with
 * {@code @RegisterExtension}. Before each test it connects and picks a new prefix; after it (and after the class's own
 * {@code @AfterEach} methods, which stop what still writes) it removes every key under the prefix and disconnects.
 */
public final class TestRedis implements BeforeEachCallback, AfterEachCallback {

    private final String name;
    private JedisPooled client;
    private String prefix;

    /** @param name the start of each test's prefix, so that leftovers say which test class made them */
    public TestRedis(String name) {
        this.name = name;
    }

    public static HostAndPort address() {
        return new HostAndPort(TestServices.redisHost(), TestServices.redisPort());
    }

    public JedisPooled client() {
        return client;
    }

    public String prefix() {
        return prefix;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        client = new JedisPooled(address());
        prefix = TestServices.uniqueName(name);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            deleteAll(client, prefix);
        } finally {
            client.close();
        }
    }

    /** Removes every key under {@code prefix} (SCAN and UNLINK, so a large leftover does not block Redis). */
    public static void deleteAll(JedisPooled redis, String prefix) {
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> r =
                    redis.scan(cursor, new ScanParams().match(prefix + ":*").count(1000));
            if (!r.getResult().isEmpty()) {
                redis.unlink(r.getResult().toArray(String[]::new));
            }
            cursor = r.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
}
