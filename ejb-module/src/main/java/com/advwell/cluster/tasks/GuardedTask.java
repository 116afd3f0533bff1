package com.advwell.cluster.tasks;

import com.advwell.platform.config.Settings;
import jakarta.ejb.Schedule;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Optional;

/**
 * A {@link LeaderOnly} timer method as the guard sees it: its ledger name, its slots (from its {@code @Schedule}),
 * its misfire policy and whether its enabling setting is on.
 */
public record GuardedTask(String name, Method method, ScheduleSlots slots, Misfire misfire, boolean enabled) {

    /** Reads the annotations of {@code method} (or of the same method in a superclass, if a proxy subclass is given). */
    public static GuardedTask of(Method method) {
        Method declared = annotated(method);
        LeaderOnly guard = Optional.ofNullable(declared.getAnnotation(LeaderOnly.class))
                .orElseGet(() -> declared.getDeclaringClass().getAnnotation(LeaderOnly.class));
        Schedule schedule = declared.getAnnotation(Schedule.class);
        if (guard == null || schedule == null) {
            throw new IllegalStateException(declared + " needs both @LeaderOnly and exactly one @Schedule");
        }
        if (schedule.persistent()) {
            throw new IllegalStateException(declared + ": guarded timers must be @Schedule(persistent = false)");
        }
        String name = guard.name().isBlank()
                ? declared.getDeclaringClass().getSimpleName() + "." + declared.getName()
                : guard.name();
        boolean enabled =
                guard.enabledBy().isBlank() || Settings.fromMicroProfileConfig().bool(guard.enabledBy(), false);
        return new GuardedTask(name, declared, ScheduleSlots.of(schedule), guard.misfire(), enabled);
    }

    /** The slot a firing observed at {@code now} belongs to: the latest scheduled time at or before it. */
    public Instant slotAt(Instant now) {
        return slots.latestAtOrBefore(now)
                .orElseThrow(() -> new IllegalStateException(name + " has no slot at or before " + now));
    }

    private static Method annotated(Method method) {
        for (Class<?> c = method.getDeclaringClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod(method.getName(), method.getParameterTypes());
                if (m.isAnnotationPresent(Schedule.class)) {
                    return m;
                }
            } catch (NoSuchMethodException e) {
                // look further up
            }
        }
        return method;
    }
}
