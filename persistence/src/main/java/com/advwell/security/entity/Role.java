package com.advwell.security.entity;

import java.util.Locale;
import java.util.Optional;

/** What an API client may do: administrators manage tenants and keys, operators run the cluster, clients use it. */
public enum Role {
    ADMIN,
    OPERATOR,
    CLIENT;

    /** The role's name as used in {@code @RolesAllowed} and in the API. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        for (Role role : values()) {
            if (role.wireName().equals(value.strip().toLowerCase(Locale.ROOT))) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
