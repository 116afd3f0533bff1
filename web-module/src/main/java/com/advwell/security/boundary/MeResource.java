package com.advwell.security.boundary;

import com.advwell.security.control.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Tells callers who they are. */
@ApplicationScoped
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    @Inject
    CurrentCaller currentCaller;

    @GET
    public Views.CallerView me() {
        Caller c = currentCaller.require();
        return new Views.CallerView(
                c.clientId(), c.clientName(), c.tenantId(), c.role().wireName(), c.keyId());
    }
}
