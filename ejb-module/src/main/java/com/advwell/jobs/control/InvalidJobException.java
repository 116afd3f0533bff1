package com.advwell.jobs.control;

/** A job or queue option that cannot be accepted; {@link #field()} names it (for a 400 naming the field). */
public class InvalidJobException extends JobsException {

    private final String field;

    public InvalidJobException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
