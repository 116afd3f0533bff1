package com.advwell.jobs.control;

import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;

/** A job or queue option that cannot be accepted; {@link #field()} names it. */
public class InvalidJobException extends RefusedException {

    private static final long serialVersionUID = 1L;

    private final String problem;

    public InvalidJobException(String field, String problem) {
        super(Refusal.INVALID, field + ": " + problem, field, null);
        this.problem = problem;
    }

    /** The same refusal about job {@code index} of a bulk add, whose fields are named {@code jobs[index].field}. */
    public InvalidJobException inBulk(int index) {
        return new InvalidJobException(JobChecks.bulkField(index, field()), problem);
    }
}
