package com.advwell.security.boundary;

import com.advwell.security.control.Accounts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** Revocation of API keys; a revoked key is refused on every replica from its next request. */
@ApplicationScoped
@Path("api-keys")
@Produces(MediaType.APPLICATION_JSON)
@RequireRole(Roles.ADMIN)
public class ApiKeysResource {

    @Inject
    Accounts accounts;

    @DELETE
    @Path("{keyId}")
    public Views.KeyView revoke(@PathParam("keyId") String keyId) {
        return Views.KeyView.of(accounts.revokeKey(keyId));
    }
}
