package com.advwell.platform.rest;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/** JSON binding for the API: unknown fields are refused (a misspelt option must not be silently ignored). */
@Provider
public class JsonbConfiguration implements ContextResolver<Jsonb> {

    private static final Jsonb JSONB = create();

    public static Jsonb create() {
        return JsonbBuilder.create(new JsonbConfig()
                .withNullValues(false)
                .setProperty("jsonb.fail-on-unknown-properties", true));
    }

    @Override
    public Jsonb getContext(Class<?> type) {
        return JSONB;
    }
}
