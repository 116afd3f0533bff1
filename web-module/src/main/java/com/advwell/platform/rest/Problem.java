package com.advwell.platform.rest;

import com.advwell.platform.json.Jsonp;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem document, the body of every error this API returns. */
public record Problem(int status, String type, String title, String detail, String field, Integer retryAfterSeconds) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://advwell.example/problems/";

    /** The document itself, as sent by the JAX-RS mapper and by the container's error page ({@link ErrorPageServlet}). */
    public String toJson() {
        JsonObjectBuilder body = Jsonp.objectBuilder()
                .add("type", TYPE_BASE + type)
                .add("title", title)
                .add("status", status);
        if (detail != null) {
            body.add("detail", detail);
        }
        if (field != null) {
            body.add("field", field);
        }
        return body.build().toString();
    }

    public Response toResponse() {
        Response.ResponseBuilder response =
                Response.status(status).type(MEDIA_TYPE).entity(toJson());
        if (retryAfterSeconds != null) {
            response.header("Retry-After", retryAfterSeconds);
        }
        if (status == 413) {
            // the rest of the body is not read: close the connection so the client stops sending it
            response.header("Connection", "close");
        }
        if (status == 401) {
            response.header("WWW-Authenticate", "Bearer realm=\"advwell\"");
        }
        return response.build();
    }
}
