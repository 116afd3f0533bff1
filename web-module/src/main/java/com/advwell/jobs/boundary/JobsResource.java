package com.advwell.jobs.boundary;

import com.advwell.jobs.control.JobAccess;
import com.advwell.jobs.control.JobQueues;
import com.advwell.jobs.control.JobSpec;
import com.advwell.jobs.control.RedisJobQueue;
import com.advwell.security.boundary.CurrentCaller;
import com.advwell.security.boundary.RequireRole;
import com.advwell.security.boundary.Roles;
import com.advwell.security.control.Caller;
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
 * A queue's jobs: add one or many, read, list by state, cancel, retry, promote. Which tenant's jobs a caller adds and
 * sees is {@link JobAccess}'s rule; what an add must satisfy is {@link JobQueues}'.
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
    JobAccess access;

    @Inject
    CurrentCaller caller;

    /** 201 with Location for a new job, 200 when a job with this id already existed (the add is idempotent). */
    @POST
    public Response add(@PathParam("queue") String queue, @NotNull JobRequest body, @Context UriInfo uri) {
        queues.definition(queue); // an unknown queue is 404 before anything about the job
        JobSpec spec = body.toSpec(JobAccess.tenantOfNewJobs(caller.require()), Instant.now());
        RedisJobQueue.Added added = queues.add(queue, spec);
        JobViews.AddedView view = JobViews.AddedView.of(queue, added);
        if (!added.created()) {
            return Response.ok(view).build();
        }
        return Response.created(uri.getAbsolutePathBuilder().path(added.id()).build())
                .entity(view)
                .build();
    }

    /** All or none; 201 when at least one job is new, 200 when every id already existed. */
    @POST
    @Path("bulk")
    public Response addBulk(@PathParam("queue") String queue, @NotNull BulkRequest body) {
        String tenant = JobAccess.tenantOfNewJobs(caller.require());
        Instant now = Instant.now();
        List<RedisJobQueue.Added> added = queues.addBulk(queue, body.jobs(), r -> r.toSpec(tenant, now));
        JobViews.BulkView view = new JobViews.BulkView(
                added.stream().map(a -> JobViews.AddedView.of(queue, a)).toList());
        boolean anyCreated = added.stream().anyMatch(RedisJobQueue.Added::created);
        return Response.status(anyCreated ? Response.Status.CREATED : Response.Status.OK)
                .entity(view)
                .build();
    }

    /**
     * A page of jobs in one state; {@code nextCursor} is null at the end. Operators see every tenant's jobs (each
     * names its tenant) or, with {@code tenant}, one tenant's.
     */
    @GET
    public JobViews.PageView list(
            @PathParam("queue") String queue,
            @QueryParam("state") @DefaultValue("waiting") String state,
            @QueryParam("cursor") @DefaultValue("0") @Min(0) long cursor,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("tenant") String tenant) {
        Caller who = caller.require();
        RedisJobQueue.Page page = access.list(who, queue, state, cursor, limit, tenant);
        boolean allTenants = JobAccess.seesAllTenants(who);
        return new JobViews.PageView(
                page.jobs().stream()
                        .map(j -> JobViews.JobResponse.of(j, allTenants))
                        .toList(),
                page.nextCursor() == 0 ? null : page.nextCursor());
    }

    @GET
    @Path("{id}")
    public JobViews.JobResponse get(
            @PathParam("queue") String queue, @PathParam("id") String id, @QueryParam("tenant") String tenant) {
        Caller who = caller.require();
        return JobViews.JobResponse.of(access.job(who, queue, tenant, id), JobAccess.seesAllTenants(who));
    }

    /** Cancels a waiting or delayed job (204); an active or finished one is 409. */
    @DELETE
    @Path("{id}")
    public Response cancel(
            @PathParam("queue") String queue, @PathParam("id") String id, @QueryParam("tenant") String tenant) {
        access.cancel(caller.require(), queue, tenant, id);
        return Response.noContent().build();
    }

    /** A failed job back to waiting, with its attempts counted afresh. */
    @POST
    @Path("{id}/retry")
    public Response retry(
            @PathParam("queue") String queue, @PathParam("id") String id, @QueryParam("tenant") String tenant) {
        access.retry(caller.require(), queue, tenant, id);
        return Response.noContent().build();
    }

    /** A delayed job to waiting now. */
    @POST
    @Path("{id}/promote")
    public Response promote(
            @PathParam("queue") String queue, @PathParam("id") String id, @QueryParam("tenant") String tenant) {
        access.promote(caller.require(), queue, tenant, id);
        return Response.noContent().build();
    }
}
