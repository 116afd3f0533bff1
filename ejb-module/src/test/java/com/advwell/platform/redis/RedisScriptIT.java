package com.advwell.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.advwell.testsupport.TestRedis;
import com.advwell.testsupport.TestServices;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/** Scripts run by SHA and survive an empty script cache, as on a freshly promoted master after a failover. */
class RedisScriptIT {

    @RegisterExtension
    final TestRedis testRedis = new TestRedis("it-script");

    private JedisPooled redis;
    private String key;

    @BeforeEach
    void connect() {
        redis = testRedis.client();
        key = testRedis.prefix() + ":counter";
    }

    @Test
    void reloadsTheScriptWhenTheServerAnswersNoscript() {
        RedisScript script = RedisScript.load("incrBy-1.lua");
        assertThat(script.eval(redis, List.of(key), List.of("2"))).isEqualTo(2L);
        redis.scriptFlush();
        assertThat(cached(script)).isFalse();
        assertThat(script.eval(redis, List.of(key), List.of("3"))).isEqualTo(5L);
        assertThat(cached(script)).isTrue();
    }

    private static boolean cached(RedisScript script) {
        try (Jedis jedis = new Jedis(TestServices.redisHost(), TestServices.redisPort())) {
            return jedis.scriptExists(script.sha());
        }
    }

    @Test
    void refusesTheWrongNumberOfKeys() {
        RedisScript script = RedisScript.load("incrBy-1.lua");
        assertThatThrownBy(() -> script.eval(redis, List.of(key, key + "2"), List.of("1")))
                .hasMessageContaining("takes 1 keys");
    }

    @Test
    void scriptNamesMustSayHowManyKeysTheyTake() {
        assertThatThrownBy(() -> RedisScript.load("incrBy.lua")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RedisScript.load("missing-1.lua")).hasMessageContaining("no script");
    }
}
