package com.advwell.platform.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The key strings are a contract with the data already in Redis and with the operators' scripts and docs: written
 * out here in full, so that a change to the builder cannot rename a key unnoticed.
 */
class RedisKeysTest {

    private final RedisKeys keys = new RedisKeys("advwell");

    @Test
    void aQueuesKeysShareItsHashTag() {
        RedisKeys.Queue q = keys.queue("webhooks");
        assertThat(q.name()).isEqualTo("webhooks");
        assertThat(q.base()).isEqualTo("advwell:q:{webhooks}:");
        assertThat(q.job("tenant-a/42")).isEqualTo("advwell:q:{webhooks}:j:tenant-a/42");
        assertThat(q.logs("42")).isEqualTo("advwell:q:{webhooks}:l:42");
        assertThat(q.waiting(0)).isEqualTo("advwell:q:{webhooks}:w0");
        assertThat(q.waiting(9)).isEqualTo("advwell:q:{webhooks}:w9");
        assertThat(q.delayed()).isEqualTo("advwell:q:{webhooks}:d");
        assertThat(q.active()).isEqualTo("advwell:q:{webhooks}:a");
        assertThat(q.completed()).isEqualTo("advwell:q:{webhooks}:c");
        assertThat(q.failed()).isEqualTo("advwell:q:{webhooks}:f");
        assertThat(q.meta()).isEqualTo("advwell:q:{webhooks}:m");
        assertThat(q.totals()).isEqualTo("advwell:q:{webhooks}:n");
        assertThat(q.signal()).isEqualTo("advwell:q:{webhooks}:sig");
        assertThat(q.rateLimit()).isEqualTo("advwell:q:{webhooks}:rl");
        assertThat(q.events()).isEqualTo("advwell:q:{webhooks}:ev");
    }

    @Test
    void theConsoleSessionsShareOneHashTag() {
        RedisKeys.Sessions s = keys.sessions();
        assertThat(s.session("abc")).isEqualTo("advwell:{session}:s:abc");
        assertThat(s.byApiKey("k1")).isEqualTo("advwell:{session}:k:k1");
    }

    @Test
    void theClustersKeysShareOneHashTag() {
        RedisKeys.Cluster c = keys.cluster();
        assertThat(c.lease()).isEqualTo("advwell:{cluster}:leader:lease");
        assertThat(c.epoch()).isEqualTo("advwell:{cluster}:leader:epoch");
        assertThat(c.releasedChannel()).isEqualTo("advwell:{cluster}:leader:released");
        assertThat(c.members()).isEqualTo("advwell:{cluster}:members");
        assertThat(c.member("replica-1")).isEqualTo("advwell:{cluster}:member:replica-1");
    }

    @Test
    void theOtherNamesSitUnderThePrefix() {
        assertThat(keys.diagnostics("replica-1")).isEqualTo("advwell:diagnostics:replica-1");
        assertThat(keys.keyRevocations()).isEqualTo("advwell:auth:revoked");
        assertThat(keys.keyRevocationAcks()).isEqualTo("advwell:auth:revoked:ack");
        assertThat(keys.pattern()).isEqualTo("advwell:*");
    }

    @Test
    void aQueueNameMustBeUsableAsAHashTag() {
        assertThat(RedisKeys.validQueueName("invoices.v2_eu-1")).isTrue();
        assertThat(RedisKeys.validQueueName("a{b}")).isFalse();
        assertThat(RedisKeys.validQueueName("Upper")).isFalse();
        assertThat(RedisKeys.validQueueName(null)).isFalse();
        assertThat(RedisKeys.validQueueName("x".repeat(65))).isFalse();
        assertThatThrownBy(() -> keys.queue("a:b{c}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RedisKeys("")).isInstanceOf(IllegalArgumentException.class);
    }
}
