package com.advwell.jobs.control;

import java.util.Locale;

/** Where a job is in its life; {@link #code} is how the job hash stores it (absent = waiting). */
public enum JobState {
    WAITING(null),
    DELAYED("d"),
    ACTIVE("a"),
    COMPLETED("c"),
    FAILED("f");

    private final String code;

    JobState(String code) {
        this.code = code;
    }

    static JobState ofCode(String code) {
        if (code == null) {
            return WAITING;
        }
        for (JobState s : values()) {
            if (code.equals(s.code)) {
                return s;
            }
        }
        throw new IllegalStateException("unknown job state code " + code);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a state named in an API call; the error names the field. */
    public static JobState parse(String text, String field) {
        for (JobState s : values()) {
            if (s.label().equals(text)) {
                return s;
            }
        }
        throw new InvalidJobException(field, "must be one of waiting, delayed, active, completed, failed");
    }
}
