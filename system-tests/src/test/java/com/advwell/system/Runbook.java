package com.advwell.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands of docs/operations.md, read from the document itself so that the Swarm tests run what an operator is
 * told to run: if the runbook changes, the tests run the new commands (or fail saying which one no longer fits).
 */
final class Runbook {

    private static final Pattern FENCE = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL);
    private final String text;

    private Runbook(String text) {
        this.text = text;
    }

    static Runbook operations() throws IOException {
        return new Runbook(Files.readString(DockerEngine.REPO.resolve("docs/operations.md")));
    }

    /** The text of the section whose {@code ## } heading starts with {@code heading}, up to the next such heading. */
    String section(String heading) {
        int start = text.indexOf("\n## " + heading);
        assertThat(start)
                .as("section '## %s...' in docs/operations.md", heading)
                .isNotNegative();
        int end = text.indexOf("\n## ", start + 4);
        return text.substring(start, end < 0 ? text.length() : end);
    }

    /**
     * The command lines of the bash blocks of a section, comments and blank lines left out, in order. A line with
     * {@code <PLACEHOLDER>} is the operator's to fill in: see {@link #fill}.
     */
    List<String> commands(String heading) {
        List<String> commands = new ArrayList<>();
        Matcher m = FENCE.matcher(section(heading));
        while (m.find()) {
            m.group(1)
                    .lines()
                    .map(l -> l.replaceFirst("\\s+#\\s.*$", "").strip())
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .forEach(commands::add);
        }
        return commands;
    }

    /** The one command of a section that starts with {@code start}. */
    String command(String heading, String start) {
        List<String> found =
                commands(heading).stream().filter(c -> c.startsWith(start)).toList();
        assertThat(found)
                .as("commands starting with '%s' in '## %s' of docs/operations.md", start, heading)
                .hasSize(1);
        return found.get(0);
    }

    /** The command with its placeholder {@code <name>} replaced by {@code value}; fails if it has no such placeholder. */
    static String fill(String command, String name, String value) {
        assertThat(command).as("placeholder <%s>", name).contains("<" + name + ">");
        return command.replace("<" + name + ">", value);
    }

    /**
     * The secret commands of "First deployment" ({@code # secrets: never in files} up to the image tag), one bash
     * script that prints the admin key as its last line of 32+ letters and digits.
     */
    String secretCommands() {
        int start = text.indexOf("# secrets: never in files");
        assertThat(start).as("the secret commands in docs/operations.md").isNotNegative();
        String block = text.substring(start);
        return block.substring(0, block.indexOf("ADVWELL_VERSION="));
    }
}
