package com.advwell.security.boundary;

import com.advwell.security.control.Accounts;
import com.advwell.security.control.IssuedKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** An API client's keys: issue another one (for rotation) and list them (ids and state, never the keys). */
@ApplicationScoped
@Path("clients")
@Produces(MediaType.APPLICATION_JSON)
@RequireRole(Roles.ADMIN)
public class ClientsResource {

    @Inject
    Accounts accounts;

    @GET
    @Path("{id}")
    public Views.ClientView get(@PathParam("id") String id) {
        return Views.ClientView.of(accounts.client(id));
    }

    @GET
    @Path("{id}/keys")
    public List<Views.KeyView> keys(@PathParam("id") String id) {
        return accounts.keys(id).stream().map(Views.KeyView::of).toList();
    }

    @POST
    @Path("{id}/keys")
    public Response issue(@PathParam("id") String id) {
        return Response.status(Response.Status.CREATED)
                .entity(view(accounts.issueKey(id)))
                .build();
    }

    static Views.IssuedKeyView view(IssuedKey issued) {
        return new Views.IssuedKeyView(
                issued.keyId(),
                issued.clientId(),
                issued.key(),
                issued.createdAt(),
                "store this key now: it is shown only once and cannot be recovered");
    }
}
