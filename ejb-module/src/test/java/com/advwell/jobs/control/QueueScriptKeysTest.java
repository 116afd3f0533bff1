package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code QueueKeyLayoutIT} proves that the key functions of {@code include/queue.lua} agree with the Java builder;
 * this proves that those functions are the only place a queue script derives a key, so the proof covers every key.
 */
class QueueScriptKeysTest {

    private static final Path SCRIPTS = Path.of("src/main/resources/lua");
    private static final String KEYS_SECTION = "-- Keys.";
    private static final String AFTER_KEYS_SECTION = "local function nowMs()";

    @Test
    void queueScriptsDeriveKeysOnlyInTheIncludesKeysSection() throws IOException {
        List<String> strays = new ArrayList<>();
        List<Path> queueScripts = new ArrayList<>();
        try (Stream<Path> files = Files.list(SCRIPTS)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".lua")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                if (lines.stream().anyMatch(l -> l.strip().equals("-- @include queue.lua"))) {
                    queueScripts.add(f);
                    strays.addAll(derivations(f, lines, false));
                }
            }
        }
        Path include = SCRIPTS.resolve("include/queue.lua");
        List<String> lines = Files.readAllLines(include);
        assertThat(lines).contains("local P = KEYS[1]");
        strays.addAll(derivations(include, lines, true));

        assertThat(queueScripts).hasSizeGreaterThanOrEqualTo(14);
        assertThat(strays)
                .as("keys derived outside the key functions of include/queue.lua")
                .isEmpty();
    }

    /** The code lines of {@code file} that use the key prefix or KEYS, outside the Keys section when it has one. */
    private static List<String> derivations(Path file, List<String> lines, boolean hasKeysSection) {
        List<String> out = new ArrayList<>();
        boolean inKeys = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (hasKeysSection && line.startsWith(KEYS_SECTION)) {
                inKeys = true;
            } else if (line.startsWith(AFTER_KEYS_SECTION)) {
                inKeys = false;
            }
            int comment = line.indexOf("--");
            String code = comment < 0 ? line : line.substring(0, comment);
            boolean derives = code.matches(".*\\bP\\s*\\.\\..*") || code.contains("KEYS[");
            if (derives && !inKeys && !code.strip().equals("local P = KEYS[1]")) {
                out.add(file.getFileName() + ":" + (i + 1) + ": " + line.strip());
            }
        }
        return out;
    }
}
