package com.advwell.cluster.boundary;

import com.advwell.cluster.control.ClusterOverview;
import com.advwell.platform.errors.RefusedException;
import com.advwell.security.boundary.RequireRole;
import com.advwell.security.boundary.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import redis.clients.jedis.exceptions.JedisException;

/** Live members, the leader, its epoch and lease time left, and this replica's own view. */
@ApplicationScoped
@Path("cluster")
@Produces(MediaType.APPLICATION_JSON)
@RequireRole(Roles.OPERATOR)
public class ClusterResource {

    @Inject
    ClusterOverview overview;

    @GET
    public ClusterOverview.ClusterView cluster() {
        try {
            return overview.view();
        } catch (JedisException e) {
            throw RefusedException.unavailable("Redis did not answer: " + e.getMessage(), 1);
        }
    }
}
