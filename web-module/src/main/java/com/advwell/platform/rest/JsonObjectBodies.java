package com.advwell.platform.rest;

import com.advwell.platform.errors.RefusedException;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;

/**
 * Refuses a JSON array where the API expects an object: JSON-B reads {@code [{"type":"probe"},{"type":"x"}]} sent to
 * {@code POST /api/queues/q/jobs} as its first element and silently drops the rest (found by the contract fuzzer). A
 * 400 naming {@code body} tells the client to use the bulk call or send one object.
 */
@Provider
public class JsonObjectBodies implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        if (expectsObject(context.getType(), context.getMediaType())) {
            InputStream in = new BufferedInputStream(context.getInputStream());
            context.setInputStream(in);
            if (firstToken(in) == '[') {
                throw RefusedException.invalid("body", "must be a JSON object, not an array");
            }
        }
        return context.proceed();
    }

    static boolean expectsObject(Class<?> type, MediaType mediaType) {
        return mediaType != null
                && mediaType.isCompatible(MediaType.APPLICATION_JSON_TYPE)
                && !type.isArray()
                && !Collection.class.isAssignableFrom(type)
                && !JsonValue.class.isAssignableFrom(type)
                && !type.isPrimitive()
                && !type.getName().startsWith("java.");
    }

    /** The first byte after whitespace, the stream left where it was. */
    static int firstToken(InputStream in) throws IOException {
        in.mark(64 * 1024);
        try {
            int b;
            do {
                b = in.read();
            } while (b == ' ' || b == '\t' || b == '\r' || b == '\n');
            return b;
        } finally {
            in.reset();
        }
    }
}
