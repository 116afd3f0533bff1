package com.advwell.jobs.control;

import com.advwell.platform.errors.RefusedException;
import com.advwell.platform.json.Jsonp;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * What an add checks before anything reaches Redis, beyond what {@link JobSpec} checks itself: the queue accepts the
 * type, the payload fits {@code QUEUE_MAX_PAYLOAD_BYTES}, and the queue's {@link PayloadValidator}, when it has one,
 * accepts the payload. The one place for it: every add goes through it, and so does a schedule before it stores a
 * payload its slots will add.
 */
public final class JobChecks {

    private final int maxPayloadBytes;

    public JobChecks(int maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /**
     * Checks one job added alone (or stored by a schedule for its slots to add); the fields are named as in the job.
     * Throws {@link InvalidJobException}, {@link JobTooLargeException}, or the refusal of the queue's {@link PayloadValidator}.
     */
    public void check(QueueDefinition d, JobSpec spec) {
        check(d, spec, "", "");
    }

    /**
     * Checks the jobs of a bulk add, whose fields are named {@code jobs[i].field}: what {@link #check(QueueDefinition,
     * JobSpec)} throws, about the first job at fault.
     */
    public void checkBulk(QueueDefinition d, List<JobSpec> specs) {
        checkBulkSize(specs.size());
        for (int i = 0; i < specs.size(); i++) {
            String at = bulkField(i, "");
            // a bulk of one has always named the validator's own fields as a single add does (payload.url); clients
            // may match on it
            check(d, specs.get(i), at, specs.size() == 1 ? "" : at);
        }
    }

    /** Refuses a bulk add of no jobs or of more than {@link JobQueues#MAX_BULK}. */
    static void checkBulkSize(int jobs) {
        if (jobs < 1 || jobs > JobQueues.MAX_BULK) {
            throw new InvalidJobException("jobs", "send between 1 and " + JobQueues.MAX_BULK + " jobs");
        }
    }

    /** How a bulk add names {@code field} of its job {@code index}. */
    static String bulkField(int index, String field) {
        return "jobs[" + index + "]." + field;
    }

    private void check(QueueDefinition d, JobSpec s, String at, String webhookAt) {
        if (!d.accepts(s.type())) {
            throw new InvalidJobException(
                    at + "type", "queue " + d.name() + " accepts " + d.types() + ", not '" + s.type() + "'");
        }
        int bytes = s.payload().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxPayloadBytes) {
            throw new JobTooLargeException(bytes, maxPayloadBytes, at + "payload");
        }
        Consumer<JsonObject> validator = d.payloadValidator();
        if (validator != null) {
            // refuse what the consumer could never run now, with the field named, instead of after the job ran
            JsonObject payload = asObject(s.payload(), at + "payload");
            try {
                validator.accept(payload);
            } catch (RefusedException e) {
                if (webhookAt.isEmpty() || e.field() == null) {
                    throw e;
                }
                throw new RefusedException(
                        e.refusal(), webhookAt + e.getMessage(), webhookAt + e.field(), e.retryAfterSeconds());
            }
        }
    }

    private static JsonObject asObject(String json, String field) {
        try {
            return Jsonp.readObject(json);
        } catch (RuntimeException e) {
            throw new InvalidJobException(field, "must be a JSON object");
        }
    }
}
