package com.advwell.jobs.control;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the method that checks the payload of every job added to {@link #queue()}, next to the queue's
 * {@link QueueConsumer}: a feature that knows its payloads refuses at add time, with the field named, what its
 * consumer could never run, and the engine stays ignorant of the feature. The annotated public method of a CDI bean
 * takes the payload as a {@code jakarta.json.JsonObject} (a payload that is not a JSON object is refused before it is
 * called) and returns nothing; it refuses a payload by throwing a {@code RefusedException} naming the field (field and
 * message get the prefix {@code jobs[i].} for the i-th job of a bulk add). It runs on every add and every schedule
 * write, on the caller's thread, so it must have no side effects. At most one per queue.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
public @interface PayloadValidator {

    /** The queue whose payloads the method checks; a consumer must declare it. */
    String queue();
}
