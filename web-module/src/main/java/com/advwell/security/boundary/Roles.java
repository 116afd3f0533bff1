package com.advwell.security.boundary;

/** Role names for {@link RequireRole}; administrators pass every check. */
public final class Roles {

    public static final String ADMIN = "admin";
    public static final String OPERATOR = "operator";
    public static final String CLIENT = "client";

    private Roles() {}
}
