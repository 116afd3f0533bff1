package com.advwell.security.boundary;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Restricts a resource class or method to callers with one of the given roles (administrators always pass). Not
 * {@link RequireRole}: the runtime's own filter for that annotation answers before ours, with its own wording and
 * without the administrator-passes rule.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequireRole {
    String[] value();
}
