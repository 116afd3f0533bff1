package com.advwell.platform.rest;

/**
 * The rule for request strings stored in PostgreSQL columns: PostgreSQL text cannot hold the NUL character (it refuses
 * the row), so such a string is a 400 naming its field instead of a 500 from the database. Use with
 * {@code @Pattern(regexp = StorableText.NO_NUL, message = StorableText.NO_NUL_MESSAGE)}.
 */
public final class StorableText {

    public static final String NO_NUL = "[^\\x00]*";
    public static final String NO_NUL_MESSAGE = "must not contain the NUL character (\\u0000)";

    /**
     * A name must hold a visible character, with white space as the published contract's {@code "\\S"} pattern reads it
     * (ECMAScript: Unicode spaces and the byte-order mark count as white space too). {@code @NotBlank} alone lets
     * {@code "\\uFEFF"} or a no-break space through, since it trims only ASCII (the contract fuzzer found it). Use with
     * {@code @Pattern(regexp = StorableText.VISIBLE, message = StorableText.VISIBLE_MESSAGE)} next to {@code @NotBlank}.
     */
    public static final String VISIBLE =
            "(?s).*[^\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF].*";

    public static final String VISIBLE_MESSAGE = "must contain a character other than white space";

    private StorableText() {}
}
