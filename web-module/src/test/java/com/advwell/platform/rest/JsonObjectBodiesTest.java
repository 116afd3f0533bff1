package com.advwell.platform.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.advwell.platform.errors.RefusedException;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A JSON array is not read as its first element where the API expects one object. */
class JsonObjectBodiesTest {

    public record Body(String name) {}

    /** Runs the interceptor on {@code json} for a parameter of {@code type}; returns what the next reader read. */
    private static String read(Class<?> type, String json) throws Exception {
        AtomicReference<InputStream> stream =
                new AtomicReference<>(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        ReaderInterceptorContext context = (ReaderInterceptorContext) Proxy.newProxyInstance(
                JsonObjectBodiesTest.class.getClassLoader(),
                new Class<?>[] {ReaderInterceptorContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getType" -> type;
                    case "getMediaType" -> MediaType.APPLICATION_JSON_TYPE;
                    case "getInputStream" -> stream.get();
                    case "setInputStream" -> {
                        stream.set((InputStream) args[0]);
                        yield null;
                    }
                    case "proceed" -> new String(stream.get().readAllBytes(), StandardCharsets.UTF_8);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        return (String) new JsonObjectBodies().aroundReadFrom(context);
    }

    @Test
    void anArrayForAnObjectIsRefusedNamingTheBody() {
        assertThatThrownBy(() -> read(Body.class, " \n[{\"name\":\"a\"},{\"name\":\"b\"}]"))
                .isInstanceOf(RefusedException.class)
                .satisfies(e -> {
                    assertThat(Problems.of(e).status()).isEqualTo(400);
                    assertThat(((RefusedException) e).field()).contains("body");
                });
    }

    @Test
    void objectsAndNullPassUntouched() throws Exception {
        assertThat(read(Body.class, " {\"name\":\"a\"}")).isEqualTo(" {\"name\":\"a\"}");
        assertThat(read(Body.class, "null")).isEqualTo("null");
    }

    @Test
    void arraysPassWhereArraysAreExpected() throws Exception {
        assertThat(read(List.class, "[1]")).isEqualTo("[1]");
        assertThat(read(JsonValue.class, "[1]")).isEqualTo("[1]");
    }
}
