package com.advwell.security.boundary;

import com.advwell.security.control.Accounts;
import com.advwell.security.control.IssuedKey;
import com.advwell.security.entity.Role;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;

/** Administration of tenants and their API clients. */
@ApplicationScoped
@Path("tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequireRole(Roles.ADMIN)
public class TenantsResource {

    @Inject
    Accounts accounts;

    @POST
    public Response create(@NotNull @Valid Requests.TenantRequest body, @Context UriInfo uri) {
        Views.TenantView created =
                Views.TenantView.of(accounts.createTenant(body.name().strip()));
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                .entity(created)
                .build();
    }

    @GET
    public List<Views.TenantView> list(
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return accounts.tenants(offset, limit).stream()
                .map(Views.TenantView::of)
                .toList();
    }

    @GET
    @Path("{id}")
    public Views.TenantView get(@PathParam("id") String id) {
        return Views.TenantView.of(accounts.tenant(id));
    }

    @PUT
    @Path("{id}")
    public Views.TenantView rename(@PathParam("id") String id, @NotNull @Valid Requests.TenantRequest body) {
        return Views.TenantView.of(accounts.renameTenant(id, body.name().strip()));
    }

    @GET
    @Path("{id}/clients")
    public List<Views.ClientView> clients(@PathParam("id") String id) {
        return accounts.clients(id).stream().map(Views.ClientView::of).toList();
    }

    /** Creates an API client and its first key; the key is in this response only. */
    @POST
    @Path("{id}/clients")
    public Response createClient(
            @PathParam("id") String tenantId, @NotNull @Valid Requests.ClientRequest body, @Context UriInfo uri) {
        Role role = Role.parse(body.role()).orElseThrow();
        IssuedKey issued = accounts.createClient(tenantId, body.name().strip(), role);
        return Response.created(uri.getBaseUriBuilder()
                        .path("clients")
                        .path(issued.clientId())
                        .build())
                .entity(ClientsResource.view(issued))
                .build();
    }
}
