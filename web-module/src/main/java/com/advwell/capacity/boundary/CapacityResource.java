package com.advwell.capacity.boundary;

import com.advwell.capacity.control.CapacityGuard;
import com.advwell.security.boundary.RequireRole;
import com.advwell.security.boundary.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

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
        return guard.report();
    }
}
