package com.advwell.platform.rest;

/**
 * The rule for request strings stored in PostgreSQL columns: PostgreSQL text cannot hold the NUL character (it refuses
 * the row), so such a string is a 400 naming its field instead of a 500 from the database. Use with
 * {@code @Pattern(regexp = StorableText.NO_NUL, message = StorableText.NO_NUL_MESSAGE)}.
 */
public final class StorableText {

    public static final String NO_NUL = "[^\\x00]*";
    public static final String NO_NUL_MESSAGE = "must not contain the NUL character (\\u0000)";

    private StorableText() {
    }
}
