package com.advwell.jobs.control;

import com.advwell.platform.errors.ProblemException;
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
     * Throws {@link InvalidJobException} (the field is {@code type} or, for several jobs, {@code jobs[i].type}),
     * {@link JobTooLargeException}, or a {@link ProblemException} naming the payload's field at fault.
     */
    public void check(QueueDefinition d, List<JobSpec> specs) {
        String queue = d.name();
        if (specs.isEmpty() || specs.size() > JobQueues.MAX_BULK) {
            throw new InvalidJobException("jobs", "send between 1 and " + JobQueues.MAX_BULK + " jobs");
        }
        for (int i = 0; i < specs.size(); i++) {
            JobSpec s = specs.get(i);
            String at = specs.size() == 1 ? "" : "jobs[" + i + "].";
            if (!d.accepts(s.type())) {
                throw new InvalidJobException(at + "type", "queue " + queue + " accepts " + d.types() + ", not '"
                        + s.type() + "'");
            }
            int bytes = s.payload().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxPayloadBytes) {
                throw new JobTooLargeException(bytes, maxPayloadBytes);
            }
            Consumer<JsonObject> validator = d.payloadValidator();
            if (validator != null) {
                // refuse what the consumer could never run now, with the field named, instead of after the job ran
                try {
                    validator.accept(asObject(s.payload(), at + "payload"));
                } catch (ProblemException e) {
                    if (at.isEmpty() || e.field().isEmpty()) {
                        throw e;
                    }
                    throw new ProblemException(e.status(), e.type(), e.title(), at + e.getMessage(),
                            at + e.field().get(), e.retryAfterSeconds().orElse(null));
                }
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
