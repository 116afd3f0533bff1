package com.advwell.security.control;

import com.advwell.security.entity.Role;

/** The authenticated API client behind a request. */
public record Caller(String clientId, String clientName, String tenantId, Role role, String keyId) {

    public boolean is(Role wanted) {
        return role == wanted;
    }
}
