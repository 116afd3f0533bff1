package com.advwell.jobs.control;

import jakarta.json.JsonObject;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A queue this deployment knows, from its {@link QueueConsumer} declaration and, when the queue has one, its
 * {@link PayloadValidator} ({@code payloadValidator} null = payloads are not checked beyond their size).
 */
public record QueueDefinition(
        String name,
        Set<String> types,
        QueueConsumer declaration,
        Method method,
        Consumer<JsonObject> payloadValidator) {

    public QueueDefinition(String name, Set<String> types, QueueConsumer declaration, Method method) {
        this(name, types, declaration, method, null);
    }

    /**
     * The queue that {@code consumer} declares, checked by {@code validator} (a {@link PayloadValidator} method, or
     * null) called on {@code validatorBean}.
     */
    public static QueueDefinition of(Method consumer, Method validator, Object validatorBean) {
        QueueConsumer c = consumer.getAnnotation(QueueConsumer.class);
        return new QueueDefinition(
                c.queue(),
                Set.copyOf(Arrays.asList(c.types())),
                c,
                consumer,
                validator == null ? null : bound(validator, validatorBean));
    }

    /**
     * A method handle rather than {@code Method.invoke}: the validator runs on the add path, and a reflective call
     * would allocate an argument array (and wrap every refusal) for each job.
     */
    private static Consumer<JsonObject> bound(Method validator, Object bean) {
        MethodHandle handle;
        try {
            handle = MethodHandles.publicLookup().unreflect(validator).bindTo(bean);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("@PayloadValidator method " + validator + " must be public", e);
        }
        return payload -> {
            try {
                handle.invokeExact(payload);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new UndeclaredThrowableException(e);
            }
        };
    }

    public boolean accepts(String type) {
        return types.isEmpty() || types.contains(type);
    }
}
