package com.advwell.platform.diagnostics;

import com.advwell.platform.errors.RefusedException;
import com.advwell.platform.instance.Replica;
import com.advwell.platform.redis.Redis;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import redis.clients.jedis.params.SetParams;

/**
 * Round trips an operator can run through one replica to see that it reaches its dependencies: a Redis write on the
 * current master and a PostgreSQL query on the replica's pool.
 */
@Stateless
public class Diagnostics {

    @Inject
    Redis redis;

    @Inject
    Replica replica;

    @Resource(lookup = "jdbc/advwell")
    DataSource dataSource;

    public record RedisProbe(String instanceId, String master, long latencyMillis, long masterChanges) {}

    public record DatabaseProbe(String instanceId, String applicationName, int backendPid, long latencyMillis) {}

    /** Writes and reads back a short-lived key on the current master. */
    public RedisProbe redisWrite() {
        String key = redis.keys().diagnostics(replica.instanceId());
        String value = UUID.randomUUID().toString();
        long start = System.nanoTime();
        try {
            redis.client().set(key, value, SetParams.setParams().px(60_000));
            if (!value.equals(redis.client().get(key))) {
                throw RefusedException.unavailable("Redis did not return the value just written", 1);
            }
        } catch (redis.clients.jedis.exceptions.JedisException e) {
            throw RefusedException.unavailable("Redis write failed: " + e.getMessage(), 1);
        }
        return new RedisProbe(
                replica.instanceId(),
                redis.currentMaster(),
                (System.nanoTime() - start) / 1_000_000,
                redis.masterChanges());
    }

    /** Runs a query that holds one pooled connection for {@code holdMillis} (0 for a plain round trip). */
    public DatabaseProbe databaseQuery(int holdMillis) {
        long start = System.nanoTime();
        try (Connection c = dataSource.getConnection();
                PreparedStatement st = c.prepareStatement(
                        "SELECT current_setting('application_name'), pg_backend_pid(), pg_sleep(?)")) {
            st.setDouble(1, holdMillis / 1000.0);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return new DatabaseProbe(
                        replica.instanceId(), rs.getString(1), rs.getInt(2), (System.nanoTime() - start) / 1_000_000);
            }
        } catch (SQLException e) {
            throw RefusedException.unavailable("PostgreSQL query failed: " + e.getMessage(), 1);
        }
    }
}
