package com.advwell.jobs.boundary;

import com.advwell.jobs.control.JobQueues;
import com.advwell.jobs.control.JobState;
import com.advwell.jobs.control.QueueStats;
import com.advwell.jobs.control.RedisJobQueue;
import com.advwell.security.boundary.RequireRole;
import com.advwell.security.boundary.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;

/**
 * The operators' view of the queues: counts per state, totals and recent rates, cluster-wide pause, bulk retry and cleaning of
 * finished jobs, and the limits every replica applies.
 */
@ApplicationScoped
@Path("queues")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequireRole(Roles.OPERATOR)
public class QueuesResource {

    @Inject
    JobQueues queues;

    @Inject
    QueueStats stats;

    @GET
    public List<JobViews.QueueView> list() {
        return queues.names().stream().map(this::view).toList();
    }

    @GET
    @Path("{queue}")
    public JobViews.QueueView get(@PathParam("queue") String queue) {
        return view(queue);
    }

    /** Stops every replica from starting this queue's jobs; running ones finish. */
    @POST
    @Path("{queue}/pause")
    public JobViews.QueueView pause(@PathParam("queue") String queue) {
        queues.queue(queue).pause();
        return view(queue);
    }

    @POST
    @Path("{queue}/resume")
    public JobViews.QueueView resume(@PathParam("queue") String queue) {
        queues.queue(queue).resume();
        return view(queue);
    }

    /** Failed jobs back to waiting, oldest first; {@code max} defaults to 1000. The body may be left out. */
    @POST
    @Path("{queue}/retry-failed")
    public JobViews.RetriedView retryFailed(
            @PathParam("queue") String queue, @Valid QueueRequests.RetryFailedRequest body) {
        int max = body == null ? 1000 : body.maxOrDefault();
        return new JobViews.RetriedView(queues.queue(queue).retryFailed(max));
    }

    /** Deletes completed or failed jobs that finished more than {@code olderThanMs} ago (default 0: all). */
    @POST
    @Path("{queue}/clean")
    public JobViews.CleanedView clean(
            @PathParam("queue") String queue, @NotNull @Valid QueueRequests.CleanRequest body) {
        RedisJobQueue q = queues.queue(queue);
        JobState state = JobState.parse(body.state(), "state");
        long age = body.olderThanMs() == null ? 0 : body.olderThanMs();
        return new JobViews.CleanedView(q.clean(state, Duration.ofMillis(age), body.max() == null ? 1000 : body.max()));
    }

    @GET
    @Path("{queue}/limits")
    public JobViews.LimitsView limits(@PathParam("queue") String queue) {
        return JobViews.LimitsView.of(queues.queue(queue).limits());
    }

    /** Fields left out keep their value; every replica applies the new limits from its next fetch on. */
    @PUT
    @Path("{queue}/limits")
    public JobViews.LimitsView configure(@PathParam("queue") String queue, @NotNull QueueRequests.LimitsRequest body) {
        RedisJobQueue q = queues.queue(queue);
        q.configure(body.applyTo(q.limits()));
        return JobViews.LimitsView.of(q.limits());
    }

    /** Counts read now (an operator acting on a queue sees the effect at once); rates from the sampler. */
    private JobViews.QueueView view(String name) {
        RedisJobQueue q = queues.queue(name);
        return JobViews.QueueView.of(
                name, queues.definition(name).types(), q.counts(), stats.snapshot(name), q.limits());
    }
}
