package com.advwell.cluster.boundary;

import com.advwell.cluster.control.ClusterOverview;
import com.advwell.security.boundary.RequireRole;
import com.advwell.security.boundary.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

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
        return overview.view();
    }
}
