package com.advwell.webhooks.control;

import com.advwell.jobs.control.Job;
import com.advwell.jobs.control.PayloadValidator;
import com.advwell.jobs.control.PermanentJobFailure;
import com.advwell.jobs.control.QueueConsumer;
import com.advwell.jobs.control.RetryJobLater;
import com.advwell.platform.json.Jsonp;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

/**
 * The built-in {@code webhooks} queue and its {@code http} job type, registered with the queue engine: its consumer
 * delivers the payload's body to its URL, signed the Standard Webhooks way with a {@code webhook-id} derived from the
 * job's identity (see {@link WebhookDelivery}). 2xx completes the job; 5xx, 429 and network errors retry (after the
 * receiver's {@code Retry-After} when it sent one, else the job's backoff); other 4xx, redirects and refused
 * destinations fail it at once. Its payload validator refuses at add time what could never be delivered.
 */
@ApplicationScoped
public class WebhookJobs {

    @Inject
    Webhooks webhooks;

    /** For the container. */
    public WebhookJobs() {}

    /** Without a container (tests): delivers and validates with {@code webhooks}. */
    public WebhookJobs(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    /**
     * A bad URL, an internal destination or a missing signing secret is refused when the job is added, naming the
     * payload's field, instead of failing every attempt after the job ran.
     */
    @PayloadValidator(queue = "webhooks")
    public void validate(JsonObject payload) {
        webhooks.validate(payload);
    }

    @QueueConsumer(queue = "webhooks", types = "http", concurrency = 20)
    public JsonObject deliver(Job job) {
        JsonObject payload;
        try {
            payload = Jsonp.readObject(job.payload());
        } catch (RuntimeException e) {
            throw new PermanentJobFailure("payload is not a JSON object: " + e.getMessage());
        }
        String messageId = WebhookDelivery.messageId(job.tenant(), job.queue(), job.id(), job.createdMillis());
        DeliveryOutcome outcome = webhooks.deliver(payload, messageId, job.id(), job.attempt());
        if (outcome instanceof DeliveryOutcome.Delivered d) {
            return Jsonp.objectBuilder()
                    .add("status", d.status())
                    .add("millis", d.millis())
                    .build();
        }
        if (outcome instanceof DeliveryOutcome.RetryLater later) {
            job.log("attempt " + job.attempt() + ": " + later.reason());
            throw new RetryJobLater(later.reason(), later.retryAfter().orElse(null));
        }
        throw new PermanentJobFailure(((DeliveryOutcome.Rejected) outcome).reason());
    }
}
