package com.advwell.jobs.boundary;

import com.advwell.jobs.control.InvalidJobException;
import com.advwell.jobs.control.JobQueues;
import com.advwell.jobs.control.JobSpec;
import com.advwell.jobs.control.JobState;
import com.advwell.jobs.control.JobTooLargeException;
import com.advwell.jobs.control.JobView;
import com.advwell.jobs.control.RedisJobQueue;
import com.advwell.platform.errors.ProblemException;
import com.advwell.security.boundary.CurrentCaller;
import com.advwell.security.boundary.RequireRole;
import com.advwell.security.boundary.Roles;
import com.advwell.security.control.Caller;
import com.advwell.security.entity.Role;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A queue's jobs: add one or many, read, list by state, cancel, retry, promote. Clients add jobs of their tenant and
 * see only those (another tenant's job is 404, as if it did not exist); operators add system jobs and see all.
 * {@link JobQueues} checks what only it knows (the queue's types, payload size, {@code http} destinations).
 */
@Path("queues/{queue}/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequireRole({Roles.CLIENT, Roles.OPERATOR})
public class JobsResource {

    @Inject
    JobQueues queues;

    @Inject
    CurrentCaller caller;

    @Context
    UriInfo uri;

    /** 201 with Location for a new job, 200 when a job with this id already existed (the add is idempotent). */
    @POST
    public Response add(@PathParam("queue") String queue, @NotNull JobRequest body) {
        queues.definition(queue); // an unknown queue is 404 before anything about the job
        JobSpec spec = body.toSpec(tenantOfNewJobs(), Instant.now());
        RedisJobQueue.Added added = queues.add(queue, spec);
        JobViews.AddedView view = JobViews.AddedView.of(queue, added);
        if (!added.created()) {
            return Response.ok(view).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(added.id()).build()).entity(view).build();
    }

    /** All or none; 201 when at least one job is new, 200 when every id already existed. */
    @POST
    @Path("bulk")
    public Response addBulk(@PathParam("queue") String queue, @NotNull BulkRequest body) {
        queues.definition(queue);
        List<JobRequest> requests = body.jobs();
        if (requests == null || requests.isEmpty() || requests.size() > JobQueues.MAX_BULK) {
            throw new InvalidJobException("jobs", "send between 1 and " + JobQueues.MAX_BULK + " jobs");
        }
        String tenant = tenantOfNewJobs();
        Instant now = Instant.now();
        List<JobSpec> specs = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            String at = "jobs[" + i + "].";
            JobRequest r = requests.get(i);
            if (r == null) {
                throw new InvalidJobException("jobs[" + i + "]", "must be a job object");
            }
            try {
                specs.add(r.toSpec(tenant, now));
            } catch (InvalidJobException e) {
                throw prefixed(at, e);
            }
        }
        List<RedisJobQueue.Added> added;
        try {
            added = queues.addBulk(queue, specs);
        } catch (InvalidJobException e) {
            // the engine names jobs[i] only when there are several
            throw e.field().startsWith("jobs") ? e : prefixed("jobs[0].", e);
        } catch (JobTooLargeException e) {
            throw tooLargeInBulk(specs, e);
        }
        JobViews.BulkView view = new JobViews.BulkView(added.stream().map(a -> JobViews.AddedView.of(queue, a)).toList());
        boolean anyCreated = added.stream().anyMatch(RedisJobQueue.Added::created);
        return Response.status(anyCreated ? Response.Status.CREATED : Response.Status.OK).entity(view).build();
    }

    /** A page of jobs in one state; {@code nextCursor} is null at the end. */
    @GET
    public JobViews.PageView list(@PathParam("queue") String queue,
                                  @QueryParam("state") @DefaultValue("waiting") String state,
                                  @QueryParam("cursor") @DefaultValue("0") @Min(0) long cursor,
                                  @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        RedisJobQueue.Page page = queues.queue(queue).list(JobState.parse(state, "state"), cursor, limit,
                operator() ? null : caller().tenantId());
        boolean operator = operator();
        return new JobViews.PageView(page.jobs().stream().map(j -> JobViews.JobResponse.of(j, operator)).toList(),
                page.nextCursor() == 0 ? null : page.nextCursor());
    }

    @GET
    @Path("{id}")
    public JobViews.JobResponse get(@PathParam("queue") String queue, @PathParam("id") String id) {
        return JobViews.JobResponse.of(visibleJob(queue, id), operator());
    }

    /** Cancels a waiting or delayed job (204); an active or finished one is 409. */
    @DELETE
    @Path("{id}")
    public Response cancel(@PathParam("queue") String queue, @PathParam("id") String id) {
        visibleJob(queue, id);
        queues.queue(queue).cancel(id);
        return Response.noContent().build();
    }

    /** A failed job back to waiting, with its attempts counted afresh. */
    @POST
    @Path("{id}/retry")
    public Response retry(@PathParam("queue") String queue, @PathParam("id") String id) {
        visibleJob(queue, id);
        queues.queue(queue).retry(id);
        return Response.noContent().build();
    }

    /** A delayed job to waiting now. */
    @POST
    @Path("{id}/promote")
    public Response promote(@PathParam("queue") String queue, @PathParam("id") String id) {
        visibleJob(queue, id);
        queues.queue(queue).promote(id);
        return Response.noContent().build();
    }

    private JobView visibleJob(String queue, String id) {
        JobView job = queues.queue(queue).job(id);
        if (job == null || !(operator() || Objects.equals(job.tenant(), caller().tenantId()))) {
            throw ProblemException.notFound("job", id);
        }
        return job;
    }

    private static InvalidJobException prefixed(String at, InvalidJobException e) {
        String detail = e.getMessage().startsWith(e.field() + ": ")
                ? e.getMessage().substring(e.field().length() + 2) : e.getMessage();
        return new InvalidJobException(at + e.field(), detail);
    }

    private ProblemException tooLargeInBulk(List<JobSpec> specs, JobTooLargeException e) {
        int max = queues.settings().maxPayloadBytes();
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).payload().getBytes(StandardCharsets.UTF_8).length > max) {
                return new ProblemException(413, "payload-too-large", "Payload too large", e.getMessage(),
                        "jobs[" + i + "].payload", null);
            }
        }
        return new ProblemException(413, "payload-too-large", "Payload too large", e.getMessage(), "jobs", null);
    }

    private Caller caller() {
        return caller.require();
    }

    private boolean operator() {
        return caller().role() != Role.CLIENT;
    }

    /** Clients' jobs belong to their tenant; operators' (and administrators') are system jobs. */
    private String tenantOfNewJobs() {
        return operator() ? null : caller().tenantId();
    }
}
