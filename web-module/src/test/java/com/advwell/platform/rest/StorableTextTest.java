package com.advwell.platform.rest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The name rule agrees with the contract's {@code "\\S"} as ECMAScript (the contract fuzzer's JSON Schema) reads it. */
class StorableTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n\r", "\uFEFF", "\u00A0", "\u2003 \u3000", "\u2028\u202F"})
    void onlyWhiteSpaceIsNotAName(String name) {
        assertThat(name.matches(StorableText.VISIBLE)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", " padded ", "\uFEFFacme", "é", "☃", "𝄞", "line\nbreak", "0"})
    void aVisibleCharacterMakesAName(String name) {
        assertThat(name.matches(StorableText.VISIBLE)).isTrue();
    }
}
