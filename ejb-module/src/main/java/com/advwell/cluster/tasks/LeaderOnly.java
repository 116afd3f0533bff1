package com.advwell.cluster.tasks;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code @Schedule(..., persistent = false)} method of an EJB as work that only the current leader runs, at
 * most once per slot across all replicas ({@link LeaderOnlyInterceptor}). The method must be public (a missed slot
 * is caught up by calling it through the bean's no-interface view), carry exactly one {@code @Schedule}, and take
 * no parameter or a {@code jakarta.ejb.Timer}.
 *
 * <p>Lives in {@code control} rather than {@code boundary}: it is how the feature's own timers and other features'
 * timers ask for the guard, not an entry point from outside.
 */
@InterceptorBinding
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface LeaderOnly {

    /** The task's name in the ledger; default {@code SimpleClassName.method}. Renaming a task loses its history. */
    @Nonbinding
    String name() default "";

    /** What a new leader does with slots missed while no one led. */
    @Nonbinding
    Misfire misfire() default Misfire.CATCH_UP;

    /** A boolean setting that must be true for the task to run at all (default: always enabled). */
    @Nonbinding
    String enabledBy() default "";
}
