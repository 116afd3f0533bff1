package com.advwell.webhooks.control;

import com.advwell.platform.config.Settings;
import com.advwell.platform.errors.RefusedException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.json.JsonObject;
import java.time.Clock;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The replica's entry point for {@code http} jobs: validates payloads at enqueue time and delivers them, with the
 * settings read once and one shared {@link WebhookDelivery} (its connection pool).
 */
@ApplicationScoped
public class Webhooks {

    private static final Logger LOG = Logger.getLogger(Webhooks.class.getName());

    private WebhookSettings settings;
    private DestinationGuard guard;
    private WebhookDelivery delivery;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // eager creation: a malformed WEBHOOK_ALLOWED_DESTINATIONS fails the deployment, not the first job
    }

    /** For the container, which calls {@link #init}. */
    public Webhooks() {}

    /** Without a container (tests, tools): these settings instead of the replica's configuration. */
    public Webhooks(WebhookSettings settings) {
        use(settings);
    }

    @PostConstruct
    void init() {
        use(WebhookSettings.from(Settings.fromMicroProfileConfig()));
    }

    private void use(WebhookSettings settings) {
        this.settings = settings;
        guard = new DestinationGuard(settings.allowedDestinations());
        delivery = new WebhookDelivery(settings, Clock.systemUTC());
        LOG.info(() -> "Webhooks: " + settings);
    }

    @PreDestroy
    void close() {
        delivery.close();
    }

    /**
     * Checks a payload for enqueueing: its form, then the destination as DNS answers now. A host that does not
     * resolve is refused here, where the client can still fix a typo.
     */
    public WebhookJob validate(JsonObject payload) {
        WebhookJob job = WebhookJob.parse(payload, settings);
        DestinationGuard.Verdict verdict = guard.check(job.url());
        if (verdict instanceof DestinationGuard.Verdict.Refused refused) {
            throw WebhookJob.invalid("payload.url", refused.reason());
        }
        if (verdict instanceof DestinationGuard.Verdict.Unresolved unresolved) {
            throw WebhookJob.invalid("payload.url", unresolved.reason());
        }
        return job;
    }

    /**
     * One attempt of a stored job; {@code messageId} is {@link WebhookDelivery#messageId} of the job, the same on
     * every attempt. A payload that no longer parses (the secret was removed, or rules got stricter since it was
     * enqueued) is never sent.
     */
    public DeliveryOutcome deliver(JsonObject payload, String messageId, String jobId, int attempt) {
        WebhookJob job;
        try {
            job = WebhookJob.parse(payload, settings);
        } catch (RefusedException e) {
            return settings.enabled()
                    ? new DeliveryOutcome.Rejected(e.getMessage())
                    : new DeliveryOutcome.RetryLater(e.getMessage(), Optional.empty());
        }
        DeliveryOutcome outcome = delivery.deliver(job, messageId, jobId, attempt);
        LOG.fine(() ->
                "http job " + jobId + " attempt " + attempt + " to " + job.url().getHost() + ": " + outcome);
        return outcome;
    }

    public WebhookSettings settings() {
        return settings;
    }
}
