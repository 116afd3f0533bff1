package com.advwell.platform.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are read with the JSON types the API's contract states; the contract fuzzer found Yasson accepting
 * {@code {"name":3.14}} as the name "3.14" and truncating {@code 5.5} to 5.
 */
class JsonbConfigurationTest {

    public record Body(String name, Integer count, Long millis, Boolean flag) {}

    private static final Jsonb JSONB = JsonbConfiguration.create();

    @AfterAll
    static void close() throws Exception {
        JSONB.close();
    }

    private static Body read(String json) {
        return JSONB.fromJson(json, Body.class);
    }

    @Test
    void valuesOfTheirOwnTypeAreRead() {
        assertThat(read("{\"name\":\"n\",\"count\":5,\"millis\":9007199254740993,\"flag\":true}"))
                .isEqualTo(new Body("n", 5, 9007199254740993L, true));
        assertThat(read("{\"count\":5.0}").count()).isEqualTo(5);
        assertThat(read("{\"name\":null,\"count\":null}")).isEqualTo(new Body(null, null, null, null));
    }

    @Test
    void aNumberOrBooleanIsNotAString() {
        assertRefused("{\"name\":3.14}", "name", "expected a string, not a number");
        assertRefused("{\"name\":true}", "name", "expected a string, not a boolean");
    }

    @Test
    void integersAreWholeJsonNumbersInRange() {
        assertRefused("{\"count\":\"5\"}", "count", "expected an integer, not a string");
        assertRefused("{\"count\":5.5}", "count", "not a number with a fraction");
        assertRefused("{\"count\":2147483648}", "count", "expected an integer between");
        assertRefused("{\"millis\":1e300}", "millis", "expected an integer between");
        assertRefused("{\"millis\":true}", "millis", "expected an integer, not a boolean");
    }

    @Test
    void booleansAreTrueOrFalse() {
        assertRefused("{\"flag\":\"true\"}", "flag", "expected true or false, not a string");
        assertRefused("{\"flag\":1}", "flag", "expected true or false, not a number");
    }

    /** The problem document names the field, as every 400 of the API does. */
    private static void assertRefused(String json, String field, String detail) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(JsonbException.class).satisfies(e -> {
            Problem problem = Problems.jsonBinding((JsonbException) e);
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.field()).isEqualTo(field);
            assertThat(problem.detail()).contains(detail);
        });
    }
}
