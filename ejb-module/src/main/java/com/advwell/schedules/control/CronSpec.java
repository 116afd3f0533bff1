package com.advwell.schedules.control;

import com.advwell.platform.errors.RefusedException;
import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A validated cron expression in a time zone, and its slots. Five fields are read as Unix cron (minute precision),
 * six or seven as Quartz (seconds first, optional year last); the dialect is decided by the field count alone.
 * Invalid input is refused naming the field ({@code cron} or {@code timeZone}).
 */
public final class CronSpec {

    public enum Dialect {
        UNIX,
        QUARTZ;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String DEFAULT_TIME_ZONE = "America/Sao_Paulo";

    private static final CronParser UNIX = parser(CronType.UNIX);
    private static final CronParser QUARTZ = parser(CronType.QUARTZ);

    private final String expression;
    private final Dialect dialect;
    private final ZoneId zone;
    private final ExecutionTime executionTime;

    private CronSpec(String expression, Dialect dialect, ZoneId zone, Cron cron) {
        this.expression = expression;
        this.dialect = dialect;
        this.zone = zone;
        this.executionTime = ExecutionTime.forCron(cron);
    }

    private static CronParser parser(CronType type) {
        CronDefinition definition = CronDefinitionBuilder.instanceDefinitionFor(type);
        return new CronParser(definition);
    }

    /** Parses client input; {@code timeZone} null or blank means {@link #DEFAULT_TIME_ZONE}. */
    public static CronSpec parse(String expression, String timeZone) {
        if (expression == null || expression.isBlank()) {
            throw RefusedException.invalid("cron", "a cron expression is required");
        }
        String normalized = expression.strip().replaceAll("\\s+", " ");
        int fields = normalized.split(" ").length;
        Dialect dialect;
        if (fields == 5) {
            dialect = Dialect.UNIX;
        } else if (fields == 6 || fields == 7) {
            dialect = Dialect.QUARTZ;
        } else {
            throw RefusedException.invalid(
                    "cron",
                    "expected 5 fields (Unix: minute hour day-of-month month"
                            + " day-of-week) or 6-7 fields (Quartz: second minute hour day-of-month month day-of-week [year]),"
                            + " got " + fields);
        }
        ZoneId zone = zone(timeZone);
        Cron cron;
        try {
            cron = (dialect == Dialect.UNIX ? UNIX : QUARTZ).parse(normalized).validate();
        } catch (IllegalArgumentException e) {
            throw RefusedException.invalid(
                    "cron", "not a valid " + dialect.wireName() + " cron expression: " + e.getMessage());
        }
        return new CronSpec(normalized, dialect, zone, cron);
    }

    private static ZoneId zone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneId.of(DEFAULT_TIME_ZONE);
        }
        try {
            return ZoneId.of(timeZone.strip());
        } catch (DateTimeException e) {
            throw RefusedException.invalid(
                    "timeZone", "unknown time zone '" + timeZone + "' (use an IANA name such as America/Sao_Paulo)");
        }
    }

    /** The first slot strictly after {@code t}; empty when the expression never fires again. */
    public Optional<Instant> nextAfter(Instant t) {
        return executionTime.nextExecution(ZonedDateTime.ofInstant(t, zone)).map(ZonedDateTime::toInstant);
    }

    /** {@code first} and the slots after it, {@code count} in all (fewer when the expression stops firing). */
    public List<Instant> slotsFrom(Instant first, int count) {
        List<Instant> slots = new ArrayList<>(count);
        Instant t = first;
        while (t != null && slots.size() < count) {
            slots.add(t);
            t = nextAfter(t).orElse(null);
        }
        return slots;
    }

    /** The latest slot at or before {@code t}; empty when there is none. */
    public Optional<Instant> latestAtOrBefore(Instant t) {
        // lastExecution answers strictly before its argument; slots are whole seconds
        Instant after = t.plusNanos(1);
        return executionTime
                .lastExecution(ZonedDateTime.ofInstant(after, zone))
                .map(ZonedDateTime::toInstant)
                .filter(s -> !s.isAfter(t));
    }

    public String expression() {
        return expression;
    }

    public Dialect dialect() {
        return dialect;
    }

    public ZoneId zone() {
        return zone;
    }
}
