package com.advwell.cluster.tasks;

import jakarta.ejb.Schedule;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The fire times ("slots") of an EJB calendar schedule, computed from its {@code @Schedule} attributes, so that the
 * leader-only interceptor can name the slot a timer firing belongs to and the misfire handling can list the slots
 * a leaderless gap missed.
 *
 * <p>Supported syntax per attribute (EJB 3.2 §13.3.1.1): {@code *}, single values, lists {@code a,b}, ranges
 * {@code a-b} (wrapping, e.g. {@code Fri-Mon}), increments {@code x/y} and {@code * /y} in second, minute and hour,
 * month and day names, dayOfWeek 0-7, dayOfMonth {@code Last} and {@code -n}. Not supported (rejected with an
 * exception when the task is first used): dayOfMonth forms such as {@code 1st Fri} or {@code Last Sun}. When both
 * dayOfMonth and dayOfWeek are restricted, a day matching either one matches, as the specification says.
 */
public final class ScheduleSlots {

    private static final int SEARCH_YEARS = 8;
    private static final String[] MONTHS = {
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
    };
    private static final String[] DAYS = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

    private final int[] seconds;
    private final int[] minutes;
    private final int[] hours;
    private final BitSet daysOfMonth;
    private final boolean lastDayOfMonth;
    private final BitSet daysBeforeLast;
    private final boolean dayOfMonthRestricted;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean dayOfWeekRestricted;
    private final BitSet years;
    private final boolean yearRestricted;
    private final ZoneId zone;
    private final String description;

    private ScheduleSlots(
            String second,
            String minute,
            String hour,
            String dayOfMonth,
            String month,
            String dayOfWeek,
            String year,
            ZoneId zone) {
        this.seconds = descending(parse("second", second, 0, 59, null, true));
        this.minutes = descending(parse("minute", minute, 0, 59, null, true));
        this.hours = descending(parse("hour", hour, 0, 23, null, true));
        this.months = parse("month", month, 1, 12, MONTHS, false);
        BitSet dow = parse("dayOfWeek", dayOfWeek, 0, 7, DAYS, false);
        if (dow.get(7)) {
            dow.set(0);
        }
        this.daysOfWeek = dow;
        this.dayOfWeekRestricted = !isWildcard(dayOfWeek);
        this.daysOfMonth = new BitSet(32);
        this.daysBeforeLast = new BitSet(8);
        this.lastDayOfMonth = parseDaysOfMonth(dayOfMonth, daysOfMonth, daysBeforeLast);
        this.dayOfMonthRestricted = !isWildcard(dayOfMonth);
        this.yearRestricted = !isWildcard(year);
        this.years = yearRestricted ? parse("year", year, 1970, 2999, null, false) : new BitSet();
        this.zone = zone;
        this.description = String.format(
                "second=%s minute=%s hour=%s dayOfMonth=%s month=%s dayOfWeek=%s year=%s %s",
                second, minute, hour, dayOfMonth, month, dayOfWeek, year, zone);
    }

    /** The slots of a {@code @Schedule}; an empty timezone means the server's default zone, as for the timer. */
    public static ScheduleSlots of(Schedule s) {
        ZoneId zone = s.timezone().isBlank()
                ? ZoneId.systemDefault()
                : ZoneId.of(s.timezone().strip());
        return new ScheduleSlots(
                s.second(), s.minute(), s.hour(), s.dayOfMonth(), s.month(), s.dayOfWeek(), s.year(), zone);
    }

    /** Builds from attribute strings (tests, or a schedule not given as an annotation). */
    public static ScheduleSlots of(
            String second,
            String minute,
            String hour,
            String dayOfMonth,
            String month,
            String dayOfWeek,
            String year,
            ZoneId zone) {
        return new ScheduleSlots(second, minute, hour, dayOfMonth, month, dayOfWeek, year, zone);
    }

    /** The latest slot at or before {@code t}; empty when none within eight years. */
    public Optional<Instant> latestAtOrBefore(Instant t) {
        ZonedDateTime limit = t.atZone(zone);
        LocalDate first = limit.toLocalDate();
        LocalTime cap = limit.toLocalTime();
        LocalDate stop = first.minusYears(SEARCH_YEARS);
        for (LocalDate day = first; day.isAfter(stop); day = day.minusDays(1)) {
            if (!dayMatches(day)) {
                continue;
            }
            boolean today = day.equals(first);
            for (int h : hours) {
                if (today && h > cap.getHour()) {
                    continue;
                }
                for (int m : minutes) {
                    if (today && h == cap.getHour() && m > cap.getMinute()) {
                        continue;
                    }
                    for (int s : seconds) {
                        LocalDateTime local = LocalDateTime.of(day, LocalTime.of(h, m, s));
                        ZonedDateTime at = ZonedDateTime.of(local, zone);
                        if (!at.toLocalDateTime().equals(local)) {
                            continue; // skipped by a daylight-saving gap
                        }
                        if (!at.toInstant().isAfter(t)) {
                            return Optional.of(at.toInstant());
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The latest slot strictly before {@code t}. */
    public Optional<Instant> latestBefore(Instant t) {
        Instant whole = t.truncatedTo(ChronoUnit.SECONDS);
        return latestAtOrBefore(whole.equals(t) ? whole.minusSeconds(1) : whole);
    }

    /**
     * Slots in {@code (after, atOrBefore]}, newest first, at most {@code max} of them.
     */
    public List<Instant> between(Instant after, Instant atOrBefore, int max) {
        List<Instant> slots = new ArrayList<>();
        Optional<Instant> slot = latestAtOrBefore(atOrBefore);
        while (slot.isPresent() && slot.get().isAfter(after) && slots.size() < max) {
            slots.add(slot.get());
            slot = latestBefore(slot.get());
        }
        return slots;
    }

    public ZoneId zone() {
        return zone;
    }

    @Override
    public String toString() {
        return description;
    }

    private boolean dayMatches(LocalDate day) {
        if (!months.get(day.getMonthValue()) || (yearRestricted && !years.get(day.getYear()))) {
            return false;
        }
        boolean dom = domMatches(day);
        boolean dow = daysOfWeek.get(
                day.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : day.getDayOfWeek().getValue());
        if (dayOfMonthRestricted && dayOfWeekRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    private boolean domMatches(LocalDate day) {
        int d = day.getDayOfMonth();
        int last = day.lengthOfMonth();
        if (daysOfMonth.get(d) || (lastDayOfMonth && d == last)) {
            return true;
        }
        int before = last - d;
        return before >= 1 && before <= 7 && daysBeforeLast.get(before);
    }

    private static boolean isWildcard(String expr) {
        return expr.strip().equals("*");
    }

    private static boolean parseDaysOfMonth(String expr, BitSet days, BitSet beforeLast) {
        boolean last = false;
        for (String raw : expr.split(",")) {
            String part = raw.strip().toLowerCase(Locale.ROOT);
            if (part.equals("last")) {
                last = true;
            } else if (part.matches("-[1-7]")) {
                beforeLast.set(Integer.parseInt(part.substring(1)));
            } else if (part.matches("(\\*|\\d{1,2}(-\\d{1,2})?)")) {
                days.or(parse("dayOfMonth", part, 1, 31, null, false));
            } else {
                throw new IllegalArgumentException("dayOfMonth '" + expr + "' is not supported by the slot calculator");
            }
        }
        return last;
    }

    private static BitSet parse(String field, String expr, int min, int max, String[] names, boolean increments) {
        BitSet set = new BitSet(max + 1);
        for (String raw : expr.split(",")) {
            String part = raw.strip().toLowerCase(Locale.ROOT);
            if (part.isEmpty()) {
                throw new IllegalArgumentException(field + " '" + expr + "' has an empty list element");
            }
            if (part.contains("/")) {
                if (!increments) {
                    throw new IllegalArgumentException(field + " does not take increments: '" + expr + "'");
                }
                String[] xy = part.split("/", 2);
                int start = xy[0].strip().equals("*") ? min : value(field, xy[0], min, max, names);
                int step = Integer.parseInt(xy[1].strip());
                if (step <= 0) {
                    throw new IllegalArgumentException(field + " increment must be positive: '" + expr + "'");
                }
                for (int v = start; v <= max; v += step) {
                    set.set(v);
                }
            } else if (part.equals("*")) {
                set.set(min, max + 1);
            } else if (part.indexOf('-', 1) > 0) {
                int dash = part.indexOf('-', 1);
                int from = value(field, part.substring(0, dash), min, max, names);
                int to = value(field, part.substring(dash + 1), min, max, names);
                if (from <= to) {
                    set.set(from, to + 1);
                } else {
                    set.set(from, max + 1);
                    set.set(min, to + 1);
                }
            } else {
                set.set(value(field, part, min, max, names));
            }
        }
        return set;
    }

    private static int value(String field, String text, int min, int max, String[] names) {
        String t = text.strip();
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(t)) {
                    return names == MONTHS ? i + 1 : i;
                }
            }
        }
        int v;
        try {
            v = Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " value '" + text + "' is not supported by the slot calculator");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(field + " value " + v + " is outside " + min + "-" + max);
        }
        return v;
    }

    private static int[] descending(BitSet set) {
        int[] values = new int[set.cardinality()];
        int i = 0;
        for (int v = set.length() - 1; v >= 0; v--) {
            if (set.get(v)) {
                values[i++] = v;
            }
        }
        return values;
    }
}
