package com.advwell.cluster.tasks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a new leader does about one task's gap: the slots after the last one an earlier term recorded, up to the
 * moment leadership was gained, that nobody recorded. With {@link Misfire#CATCH_UP} the newest of them runs late and
 * the rest are skipped; with {@link Misfire#SKIP} all are skipped.
 */
public record MisfirePlan(Optional<Instant> runLate, List<Instant> skip) {

    public static MisfirePlan of(
            ScheduleSlots slots,
            Instant lastRecordedBefore,
            Instant gainedAt,
            Set<Instant> alreadyRecorded,
            Misfire misfire,
            int max) {
        List<Instant> missed = new ArrayList<>();
        for (Instant slot : slots.between(lastRecordedBefore, gainedAt, max)) {
            if (!alreadyRecorded.contains(slot)) {
                missed.add(slot);
            }
        }
        if (missed.isEmpty()) {
            return new MisfirePlan(Optional.empty(), List.of());
        }
        if (misfire == Misfire.CATCH_UP) {
            return new MisfirePlan(Optional.of(missed.get(0)), List.copyOf(missed.subList(1, missed.size())));
        }
        return new MisfirePlan(Optional.empty(), List.copyOf(missed));
    }

    /**
     * The slots a term's timer never fired before {@code slot} (a busy or paused container fired it more than a
     * period late): those after the later of the term's previous recorded slot and the moment leadership was gained.
     * Slots up to that moment belong to the term's catch-up ({@link #of}); so on a term's first firing, with no
     * previous slot yet, the gap since gaining leadership is still found. With neither bound known, nothing is.
     */
    public static List<Instant> missedInTerm(
            ScheduleSlots slots, Optional<Instant> previousInTerm, Optional<Instant> gainedAt, Instant slot, int max) {
        return Stream.of(previousInTerm, gainedAt)
                .flatMap(Optional::stream)
                .max(Comparator.naturalOrder())
                .map(after -> slots.between(after, slot.minusNanos(1), max))
                .orElse(List.of());
    }

    public boolean isEmpty() {
        return runLate.isEmpty() && skip.isEmpty();
    }
}
