package com.advwell.jobs.boundary;

import com.advwell.jobs.control.JobQueues;
import com.advwell.jobs.control.JobSpec;
import com.advwell.jobs.control.JobState;
import com.advwell.jobs.control.JobView;
import com.advwell.jobs.control.RedisJobQueue;
import com.advwell.platform.errors.RefusedException;
import com.advwell.security.boundary.CurrentCaller;
import com.advwell.security.boundary.RequireRole;
import com.advwell.security.boundary.Roles;
import com.advwell.security.control.Caller;
import com.advwell.security.entity.Role;
import jakarta.enterprise.context.ApplicationScoped;
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
import java.time.Instant;
import java.util.List;

/**
 * A queue's jobs: add one or many, read, list by state, cancel, retry, promote. Clients add jobs of their tenant and
 * see only those (another tenant's job is 404, as if it did not exist); operators add system jobs and see all.
 * Ids are unique per tenant: a job is addressed by its id and its tenant, which is the caller's own for a client and,
 * for an operator, the {@code tenant} query parameter (left out: a system job). {@link JobQueues} checks what only it
 * knows (the queue's types, payload size, {@code http} destinations).
 */
@ApplicationScoped
@Path("queues/{queue}/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequireRole({Roles.CLIENT, Roles.OPERATOR})
public class JobsResource {

    @Inject
    JobQueues queues;

    @Inject
    CurrentCaller caller;

    /** 201 with Location for a new job, 200 when a job with this id already existed (the add is idempotent). */
    @POST
    public Response add(@PathParam("queue") String queue, @NotNull JobRequest body, @Context UriInfo uri) {
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
        String tenant = tenantOfNewJobs();
        Instant now = Instant.now();
        List<RedisJobQueue.Added> added = queues.addBulk(queue, body.jobs(), r -> r.toSpec(tenant, now));
        JobViews.BulkView view = new JobViews.BulkView(added.stream().map(a -> JobViews.AddedView.of(queue, a)).toList());
        boolean anyCreated = added.stream().anyMatch(RedisJobQueue.Added::created);
        return Response.status(anyCreated ? Response.Status.CREATED : Response.Status.OK).entity(view).build();
    }

    /**
     * A page of jobs in one state; {@code nextCursor} is null at the end. Operators see every tenant's jobs (each
     * names its tenant) or, with {@code tenant}, one tenant's.
     */
    @GET
    public JobViews.PageView list(@PathParam("queue") String queue,
                                  @QueryParam("state") @DefaultValue("waiting") String state,
                                  @QueryParam("cursor") @DefaultValue("0") @Min(0) long cursor,
                                  @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
                                  @QueryParam("tenant") String tenant) {
        RedisJobQueue.Page page = queues.queue(queue).list(JobState.parse(state, "state"), cursor, limit,
                addressedTenant(tenant));
        boolean operator = operator();
        return new JobViews.PageView(page.jobs().stream().map(j -> JobViews.JobResponse.of(j, operator)).toList(),
                page.nextCursor() == 0 ? null : page.nextCursor());
    }

    @GET
    @Path("{id}")
    public JobViews.JobResponse get(@PathParam("queue") String queue, @PathParam("id") String id,
                                    @QueryParam("tenant") String tenant) {
        return JobViews.JobResponse.of(visibleJob(queue, addressedTenant(tenant), id), operator());
    }

    /** Cancels a waiting or delayed job (204); an active or finished one is 409. */
    @DELETE
    @Path("{id}")
    public Response cancel(@PathParam("queue") String queue, @PathParam("id") String id,
                           @QueryParam("tenant") String tenant) {
        String owner = addressedTenant(tenant);
        visibleJob(queue, owner, id);
        queues.queue(queue).cancel(owner, id);
        return Response.noContent().build();
    }

    /** A failed job back to waiting, with its attempts counted afresh. */
    @POST
    @Path("{id}/retry")
    public Response retry(@PathParam("queue") String queue, @PathParam("id") String id,
                           @QueryParam("tenant") String tenant) {
        String owner = addressedTenant(tenant);
        visibleJob(queue, owner, id);
        queues.queue(queue).retry(owner, id);
        return Response.noContent().build();
    }

    /** A delayed job to waiting now. */
    @POST
    @Path("{id}/promote")
    public Response promote(@PathParam("queue") String queue, @PathParam("id") String id,
                           @QueryParam("tenant") String tenant) {
        String owner = addressedTenant(tenant);
        visibleJob(queue, owner, id);
        queues.queue(queue).promote(owner, id);
        return Response.noContent().build();
    }

    /** The job of {@code tenant} (null = a system job); 404 when that tenant has none with this id. */
    private JobView visibleJob(String queue, String tenant, String id) {
        JobView job = queues.queue(queue).job(tenant, id);
        if (job == null) {
            throw RefusedException.notFound("job", id);
        }
        return job;
    }

    /**
     * The tenant whose jobs a call addresses: a client's own, whatever it asks for (another tenant's is refused so
     * that a mistaken parameter is not silently ignored); an operator's choice, where none means the system jobs for
     * one job and every tenant for a listing.
     */
    private String addressedTenant(String requested) {
        String wanted = requested == null || requested.isBlank() ? null : requested;
        if (operator()) {
            return wanted;
        }
        String own = caller().tenantId();
        if (wanted != null && !wanted.equals(own)) {
            throw RefusedException.invalid("tenant", "tenant: a client addresses only its own tenant's jobs; "
                    + "leave tenant out");
        }
        return own;
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
