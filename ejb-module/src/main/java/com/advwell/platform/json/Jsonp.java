package com.advwell.platform.json;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.util.Map;

/**
 * JSON-P with the provider resolved once. Every static factory of {@link jakarta.json.Json} looks the provider up
 * again through {@link java.util.ServiceLoader}, which in a web application scans the class loaders' resources on
 * each call: it was a quarter of a webhook delivery's CPU (issue 12's profiles). Use these instead of
 * {@code Json.createReader}, {@code Json.createObjectBuilder} and {@code Json.createValue}.
 */
public final class Jsonp {

    /** The platform's JSON-P provider, looked up once with the class loader that loads this class. */
    public static final JsonProvider PROVIDER = JsonProvider.provider();

    private static final JsonReaderFactory READERS = PROVIDER.createReaderFactory(Map.of());

    private Jsonp() {}

    /**
     * Parses text holding a single JSON object.
     *
     * @throws jakarta.json.JsonException if the text is not JSON, or not an object
     */
    public static JsonObject readObject(String text) {
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    /**
     * Parses text holding any single JSON value.
     *
     * @throws jakarta.json.JsonException if the text is not JSON
     */
    public static JsonValue readValue(String text) {
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }

    public static JsonObjectBuilder objectBuilder() {
        return PROVIDER.createObjectBuilder();
    }

    public static JsonString value(String text) {
        return PROVIDER.createValue(text);
    }
}
