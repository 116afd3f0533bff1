package com.advwell.cluster.tasks;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Finds every {@link LeaderOnly} method at deployment, so that a new leader can catch up missed slots of tasks whose
 * timer has not fired on it yet (a daily task must not wait a day).
 */
public class GuardedTaskExtension implements Extension {

    private final List<Method> methods = new CopyOnWriteArrayList<>();

    <T> void found(@Observes @WithAnnotations(LeaderOnly.class) ProcessAnnotatedType<T> type) {
        for (AnnotatedMethod<? super T> m : type.getAnnotatedType().getMethods()) {
            if (m.isAnnotationPresent(LeaderOnly.class)) {
                methods.add(m.getJavaMember());
            }
        }
    }

    public List<Method> methods() {
        return List.copyOf(methods);
    }
}
