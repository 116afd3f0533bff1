package com.advwell.jobs.control;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a consumer, the way {@code @MessageDriven} declares one for a JMS destination: the annotated method of a
 * CDI bean receives every job of {@link #queue()} on every replica that runs consumers (dedicated workers included),
 * on the container's managed executor, at most {@link #concurrency()} at a time per replica. The method takes a
 * {@link Job} and returns nothing or a JSON-B serializable result; throwing makes the job retry with its backoff
 * ({@link PermanentJobFailure} fails it at once).
 *
 * <p>With {@link #transactional()} the method runs in a new JTA transaction that also records a receipt of the job
 * (queue, id, creation time) in PostgreSQL: the handler's JPA work and the receipt commit together, and a job that
 * comes back after a crash between that commit and the completion in Redis is completed without running again.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface QueueConsumer {

    String queue();

    /** Job types this consumer accepts; adds of other types are refused. Empty = any type. */
    String[] types() default {};

    /** Jobs run at once on one replica; {@code QUEUE_<NAME>_CONCURRENCY} overrides it per replica. */
    int concurrency() default 10;

    boolean transactional() default false;

    /** Jobs running at once across all replicas (0 = no limit). */
    int maxActive() default 0;

    /** Jobs started per {@link #rateWindowMs()} across all replicas (0 = no limit). */
    int rateMax() default 0;

    long rateWindowMs() default 1000;
}
