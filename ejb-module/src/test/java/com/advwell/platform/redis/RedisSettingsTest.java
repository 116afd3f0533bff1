package com.advwell.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.advwell.platform.config.Settings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;

class RedisSettingsTest {

    private static RedisSettings of(Map<String, String> values) {
        return RedisSettings.from(new Settings(name -> Optional.ofNullable(values.get(name))));
    }

    @Test
    void directByDefault() {
        RedisSettings s = of(Map.of());
        assertThat(s.sentinelEnabled()).isFalse();
        assertThat(s.direct()).isEqualTo(new HostAndPort("127.0.0.1", 6379));
        assertThat(s.describe()).isEqualTo("redis 127.0.0.1:6379");
    }

    @Test
    void sentinelSettingsAsTheOperationsDocumentNamesThem() {
        RedisSettings s = of(Map.of(
                "REDIS_SENTINEL_ENABLED",
                "true",
                "REDIS_SENTINELS",
                "redis-sentinel-1:26379, redis-sentinel-2:26379,redis-sentinel-3:26379",
                "REDIS_MASTER_NAME",
                "mymaster",
                "REDIS_PASSWORD",
                "pw"));
        assertThat(s.sentinelEnabled()).isTrue();
        assertThat(s.sentinels())
                .containsExactly(
                        new HostAndPort("redis-sentinel-1", 26379),
                        new HostAndPort("redis-sentinel-2", 26379),
                        new HostAndPort("redis-sentinel-3", 26379));
        assertThat(s.masterName()).isEqualTo("mymaster");
        assertThat(s.describe()).doesNotContain("pw");
    }

    @Test
    void badSentinelListsNameTheSettingAndTheEntry() {
        assertThatThrownBy(() -> of(Map.of("REDIS_SENTINELS", "a:1,b")))
                .hasMessageContaining("REDIS_SENTINELS")
                .hasMessageContaining("'b'");
        assertThatThrownBy(() -> of(Map.of("REDIS_SENTINELS", "a:99999"))).hasMessageContaining("range");
        assertThatThrownBy(() -> of(Map.of("REDIS_SENTINELS", " , "))).hasMessageContaining("at least one");
        assertThatThrownBy(() -> of(Map.of("REDIS_KEY_PREFIX", "a b"))).hasMessageContaining("REDIS_KEY_PREFIX");
        assertThatThrownBy(() -> of(Map.of("REDIS_DB", "16"))).hasMessageContaining("REDIS_DB");
    }
}
