package com.advwell.capacity.boundary;

import com.advwell.capacity.control.CapacityGuard;
import com.advwell.platform.errors.RefusedException;
import com.advwell.security.boundary.RequireRole;
import com.advwell.security.boundary.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.SQLException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * PostgreSQL's connection limits and use, the live replicas' pools in join order and the headroom in replicas, read
 * live on every call.
 */
@ApplicationScoped
@Path("cluster/capacity")
@Produces(MediaType.APPLICATION_JSON)
@RequireRole(Roles.OPERATOR)
public class CapacityResource {

    @Inject
    CapacityGuard guard;

    @GET
    public CapacityGuard.CapacityReport capacity() {
        try {
            return guard.report();
        } catch (SQLException e) {
            throw RefusedException.unavailable("PostgreSQL did not answer: " + e.getMessage(), 1);
        } catch (JedisException e) {
            throw RefusedException.unavailable("Redis did not answer: " + e.getMessage(), 1);
        }
    }
}
