package com.advwell.schedules.boundary;

import com.advwell.platform.errors.RefusedException;
import com.advwell.schedules.control.ScheduleDraft;
import com.advwell.schedules.control.Schedules;
import com.advwell.security.boundary.CurrentCaller;
import com.advwell.security.boundary.RequireRole;
import com.advwell.security.boundary.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;

/** A tenant's own schedules: CRUD, pause/resume, run now and run history. Other tenants' schedules are 404. */
@ApplicationScoped
@Path("schedules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RequireRole(Roles.CLIENT)
public class SchedulesResource {

    /** Largest payload kept with a schedule (its JSON text, UTF-8). */
    static final int PAYLOAD_MAX_BYTES = 64 * 1024;

    @Inject
    Schedules schedules;

    @Inject
    CurrentCaller caller;

    @POST
    public Response create(@NotNull @Valid ScheduleRequest body, @Context UriInfo uri) {
        ScheduleViews.ScheduleView created = ScheduleViews.ScheduleView.of(schedules.create(tenant(), draft(body)));
        return Response.created(uri.getAbsolutePathBuilder().path(created.id()).build())
                .entity(created)
                .build();
    }

    @GET
    public List<ScheduleViews.ScheduleView> list(
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return schedules.list(tenant(), offset, limit).stream()
                .map(ScheduleViews.ScheduleView::of)
                .toList();
    }

    @GET
    @Path("{id}")
    public ScheduleViews.ScheduleView get(@PathParam("id") String id) {
        return ScheduleViews.ScheduleView.of(schedules.get(tenant(), id));
    }

    @PUT
    @Path("{id}")
    public ScheduleViews.ScheduleView replace(@PathParam("id") String id, @NotNull @Valid ScheduleRequest body) {
        return ScheduleViews.ScheduleView.of(schedules.replace(tenant(), id, draft(body)));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        schedules.delete(tenant(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/pause")
    public ScheduleViews.ScheduleView pause(@PathParam("id") String id) {
        return ScheduleViews.ScheduleView.of(schedules.pause(tenant(), id));
    }

    @POST
    @Path("{id}/resume")
    public ScheduleViews.ScheduleView resume(@PathParam("id") String id) {
        return ScheduleViews.ScheduleView.of(schedules.resume(tenant(), id));
    }

    /** Runs the schedule's action once, now; the run is in the response and in the history. */
    @POST
    @Path("{id}/run")
    public Response runNow(@PathParam("id") String id) throws SQLException {
        return Response.accepted(ScheduleViews.RunView.of(schedules.runNow(tenant(), id)))
                .build();
    }

    @GET
    @Path("{id}/runs")
    public List<ScheduleViews.RunView> runs(
            @PathParam("id") String id,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit)
            throws SQLException {
        return schedules.runs(tenant(), id, offset, limit).stream()
                .map(ScheduleViews.RunView::of)
                .toList();
    }

    private String tenant() {
        return caller.require().tenantId();
    }

    private static ScheduleDraft draft(ScheduleRequest body) {
        if (body.payload() != null && body.payload().getValueType() != JsonValue.ValueType.OBJECT) {
            throw RefusedException.invalid("payload", "must be a JSON object");
        }
        String payload = body.payload() == null ? "{}" : body.payload().toString();
        if (payload.getBytes(StandardCharsets.UTF_8).length > PAYLOAD_MAX_BYTES) {
            throw RefusedException.invalid("payload", "at most " + PAYLOAD_MAX_BYTES + " bytes of JSON");
        }
        return new ScheduleDraft(body.name().strip(), body.cron(), body.timeZone(), body.queue(), payload);
    }
}
