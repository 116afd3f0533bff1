package com.advwell.security.boundary;

import com.advwell.platform.rest.Problem;
import com.advwell.security.control.Caller;
import com.advwell.security.entity.Role;
import jakarta.annotation.Priority;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Every resource requires an authenticated caller unless marked {@code @PermitAll}; {@link RequireRole} narrows it
 * to roles, and administrators may do everything. 401 and 403 are problem documents.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class AuthorizationFilter implements ContainerRequestFilter {

    @Context
    ResourceInfo resource;

    @Inject
    CurrentCaller currentCaller;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        if (method == null
                || method.isAnnotationPresent(PermitAll.class)
                || (type != null
                        && type.isAnnotationPresent(PermitAll.class)
                        && !method.isAnnotationPresent(RequireRole.class))) {
            return;
        }
        Caller caller = currentCaller.get().orElse(null);
        if (caller == null) {
            String reason = currentCaller.rejection().orElse("authentication required");
            if (currentCaller.isUnavailable()) {
                request.abortWith(new Problem(503, "unavailable", "Service unavailable", reason, null, 2).toResponse());
                return;
            }
            request.abortWith(new Problem(401, "unauthenticated", "Unauthenticated", reason, null, null).toResponse());
            return;
        }
        RequireRole allowed = method.getAnnotation(RequireRole.class);
        if (allowed == null && type != null) {
            allowed = type.getAnnotation(RequireRole.class);
        }
        if (allowed == null
                || caller.role() == Role.ADMIN
                || Arrays.asList(allowed.value()).contains(caller.role().wireName())) {
            return;
        }
        request.abortWith(new Problem(
                        403,
                        "forbidden",
                        "Forbidden",
                        "this operation needs role " + String.join(" or ", allowed.value()) + "; the caller has role "
                                + caller.role().wireName(),
                        null,
                        null)
                .toResponse());
    }
}
