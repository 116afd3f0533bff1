package com.advwell.jobs.control;

import com.advwell.platform.json.Jsonp;
import com.advwell.webhooks.control.DeliveryOutcome;
import com.advwell.webhooks.control.WebhookDelivery;
import com.advwell.webhooks.control.Webhooks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;

/**
 * The built-in {@code webhooks} queue and its {@code http} job type: delivers the payload's body to its URL, signed
 * the Standard Webhooks way with a {@code webhook-id} derived from the job's identity (see {@code WebhookDelivery}). 2xx completes the job; 5xx, 429 and network errors retry (after the receiver's
 * {@code Retry-After} when it sent one, else the job's backoff); other 4xx, redirects and refused destinations fail
 * it at once.
 */
@ApplicationScoped
public class WebhookJobs {

    @Inject
    Webhooks webhooks;

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
            return Jsonp.objectBuilder().add("status", d.status()).add("millis", d.millis()).build();
        }
        if (outcome instanceof DeliveryOutcome.RetryLater later) {
            job.log("attempt " + job.attempt() + ": " + later.reason());
            throw new RetryJobLater(later.reason(), later.retryAfter().orElse(null));
        }
        throw new PermanentJobFailure(((DeliveryOutcome.Rejected) outcome).reason());
    }
}
