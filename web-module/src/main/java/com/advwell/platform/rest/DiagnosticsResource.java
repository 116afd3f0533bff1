package com.advwell.platform.rest;

import com.advwell.platform.diagnostics.Diagnostics;
import com.advwell.security.boundary.RequireRole;
import com.advwell.security.boundary.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Operator round trips through this replica to Redis and PostgreSQL. */
@ApplicationScoped
@Path("diagnostics")
@Produces(MediaType.APPLICATION_JSON)
@RequireRole(Roles.OPERATOR)
public class DiagnosticsResource {

    @Inject
    Diagnostics diagnostics;

    @POST
    @Path("redis")
    public Diagnostics.RedisProbe redis() {
        return diagnostics.redisWrite();
    }

    @GET
    @Path("db")
    public Diagnostics.DatabaseProbe db(@QueryParam("holdMs") @DefaultValue("0") @Min(0) @Max(2000) int holdMs) {
        return diagnostics.databaseQuery(holdMs);
    }
}
