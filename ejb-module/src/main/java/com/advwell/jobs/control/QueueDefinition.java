package com.advwell.jobs.control;

import java.lang.reflect.Method;
import java.util.Set;

/** A queue this deployment knows, from its {@link QueueConsumer} declaration. */
public record QueueDefinition(String name, Set<String> types, QueueConsumer declaration, Method method) {

    public boolean accepts(String type) {
        return types.isEmpty() || types.contains(type);
    }
}
