package com.advwell.platform.rest;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.function.Function;

/**
 * JSON binding for the API: unknown fields are refused (a misspelt option must not be silently ignored), and so are
 * values of the wrong JSON type. Yasson on its own turns {@code 3.14} or {@code true} into the string "3.14", the
 * string {@code "5"} into the number 5 and truncates {@code 5.5} to 5; the API's contract (GET /openapi) says a
 * string is a JSON string, an integer a JSON number without a fraction, a boolean true or false.
 */
@Provider
public class JsonbConfiguration implements ContextResolver<Jsonb> {

    private static final Jsonb JSONB = create();

    public static Jsonb create() {
        return JsonbBuilder.create(new JsonbConfig()
                .withNullValues(false)
                .withDeserializers(new StrictString(), new StrictInteger(), new StrictLong(), new StrictBoolean())
                .setProperty("jsonb.fail-on-unknown-properties", true));
    }

    @Override
    public Jsonb getContext(Class<?> type) {
        return JSONB;
    }

    /** The event of the value the parser is at (Yasson's parser does not implement currentEvent()). */
    private static JsonParser.Event event(JsonParser parser) {
        JsonValue value = parser.getValue();
        return switch (value.getValueType()) {
            case STRING -> JsonParser.Event.VALUE_STRING;
            case NUMBER -> JsonParser.Event.VALUE_NUMBER;
            case TRUE -> JsonParser.Event.VALUE_TRUE;
            case FALSE -> JsonParser.Event.VALUE_FALSE;
            case NULL -> JsonParser.Event.VALUE_NULL;
            case OBJECT -> JsonParser.Event.START_OBJECT;
            case ARRAY -> JsonParser.Event.START_ARRAY;
        };
    }

    private static JsonbException wrongType(JsonParser.Event event, String expected) {
        // Yasson wraps a JsonbException as "Unable to deserialize property 'x' because of: ...", which names the field
        return new JsonbException("expected " + expected + ", not " + describe(event));
    }

    private static String describe(JsonParser.Event event) {
        return switch (event) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> event.name().toLowerCase();
        };
    }

    private static BigDecimal integral(JsonParser parser, JsonParser.Event event, String expected) {
        if (event != JsonParser.Event.VALUE_NUMBER) {
            throw wrongType(event, expected);
        }
        BigDecimal value = ((JsonNumber) parser.getValue()).bigDecimalValue();
        if (value.stripTrailingZeros().scale() > 0) {
            throw new JsonbException("expected " + expected + ", not a number with a fraction");
        }
        return value;
    }

    static final class StrictString implements JsonbDeserializer<String> {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context, Type type) {
            JsonParser.Event event = event(parser);
            if (event == JsonParser.Event.VALUE_NULL) {
                return null;
            }
            if (event != JsonParser.Event.VALUE_STRING) {
                throw wrongType(event, "a string");
            }
            return ((JsonString) parser.getValue()).getString();
        }
    }

    static final class StrictInteger implements JsonbDeserializer<Integer> {
        @Override
        public Integer deserialize(JsonParser parser, DeserializationContext context, Type type) {
            return exactIntegral(parser, BigDecimal::intValueExact, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
    }

    static final class StrictLong implements JsonbDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser parser, DeserializationContext context, Type type) {
            return exactIntegral(parser, BigDecimal::longValueExact, Long.MIN_VALUE, Long.MAX_VALUE);
        }
    }

    /** A JSON integer (or null) that fits the target type exactly; a fraction, another type or overflow is refused. */
    private static <T> T exactIntegral(JsonParser parser, Function<BigDecimal, T> exact, Object min, Object max) {
        JsonParser.Event event = event(parser);
        if (event == JsonParser.Event.VALUE_NULL) {
            return null;
        }
        try {
            return exact.apply(integral(parser, event, "an integer"));
        } catch (ArithmeticException e) {
            throw new JsonbException("expected an integer between " + min + " and " + max);
        }
    }

    static final class StrictBoolean implements JsonbDeserializer<Boolean> {
        @Override
        public Boolean deserialize(JsonParser parser, DeserializationContext context, Type type) {
            JsonParser.Event event = event(parser);
            return switch (event) {
                case VALUE_NULL -> null;
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                default -> throw wrongType(event, "true or false");
            };
        }
    }
}
