package com.advwell.jobs.control;

import com.advwell.platform.redis.RedisKeys;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import jakarta.json.JsonObject;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Finds every {@link QueueConsumer} and {@link PayloadValidator} method at deployment and refuses malformed ones before
 * the application starts.
 */
public class QueueConsumerExtension implements Extension {

    private final List<Method> methods = new CopyOnWriteArrayList<>();
    private final List<Method> validators = new CopyOnWriteArrayList<>();

    <T> void found(
            @Observes @WithAnnotations({QueueConsumer.class, PayloadValidator.class}) ProcessAnnotatedType<T> type) {
        for (AnnotatedMethod<? super T> m : type.getAnnotatedType().getMethods()) {
            if (m.isAnnotationPresent(QueueConsumer.class)) {
                Method method = m.getJavaMember();
                if (method.getParameterCount() != 1 || method.getParameterTypes()[0] != Job.class) {
                    throw new DeploymentException("@QueueConsumer method " + method + " must take one Job parameter");
                }
                if (!RedisKeys.validQueueName(
                        method.getAnnotation(QueueConsumer.class).queue())) {
                    throw new DeploymentException("@QueueConsumer method " + method + " names an invalid queue");
                }
                methods.add(method);
            }
            if (m.isAnnotationPresent(PayloadValidator.class)) {
                Method method = m.getJavaMember();
                if (!Modifier.isPublic(method.getModifiers())
                        || method.getParameterCount() != 1
                        || method.getParameterTypes()[0] != JsonObject.class
                        || method.getReturnType() != void.class) {
                    throw new DeploymentException("@PayloadValidator method " + method
                            + " must be public, take one JsonObject parameter and return nothing");
                }
                if (!RedisKeys.validQueueName(
                        method.getAnnotation(PayloadValidator.class).queue())) {
                    throw new DeploymentException("@PayloadValidator method " + method + " names an invalid queue");
                }
                validators.add(method);
            }
        }
    }

    public List<Method> methods() {
        return List.copyOf(methods);
    }

    public List<Method> validators() {
        return List.copyOf(validators);
    }
}
