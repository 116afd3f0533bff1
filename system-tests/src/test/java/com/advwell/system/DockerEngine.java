package com.advwell.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The local Docker engine and the locally built images, for the tests that need an engine (tag {@code swarm} and
 * {@code docker}). Everything goes through {@code scripts/swarm}, as an operator would do it: {@code engine-up}
 * installs and starts the engine when none answers, {@code images} builds the images from Debian packages and the
 * Maven output (never pulling). {@link #down} stops the engine only when {@link #up} found none answering, so a
 * developer's running engine is left alone.
 */
final class DockerEngine {

    static final Path REPO =
            Path.of(System.getProperty("advwell.repo", "..")).toAbsolutePath().normalize();
    /** The backend image's tag: scripts/swarm images tags the replica image with the project version. */
    static final String VERSION = System.getProperty("advwell.version", "latest");

    private static boolean imagesBuilt;

    /** Whether the last {@link #up} started the engine (no engine answered before). */
    private final boolean startedHere;

    private DockerEngine(boolean startedHere) {
        this.startedHere = startedHere;
    }

    /** Engine up and images built (once per JVM); prints scripts/swarm's figures with {@code prefix}. */
    static synchronized DockerEngine up(String prefix) throws Exception {
        boolean answered;
        try {
            answered = run(Duration.ofSeconds(15), "docker", "info").exit() == 0;
        } catch (AssertionError noClient) {
            answered = false; // no docker client yet: engine-up installs Debian's docker.io
        }
        long t0 = System.nanoTime();
        Result engine = swarmScript("engine-up");
        printFigures(prefix, engine.out());
        if (!answered) {
            System.out.printf(
                    "%s engine started by this test in %.1f s (scripts/swarm engine-up)%n",
                    prefix, (System.nanoTime() - t0) / 1e9);
        }
        if (!imagesBuilt) {
            t0 = System.nanoTime();
            printFigures(prefix, swarmScript("images").out());
            System.out.printf("%s scripts/swarm images: %.1f s%n", prefix, (System.nanoTime() - t0) / 1e9);
            imagesBuilt = true;
        }
        return new DockerEngine(!answered);
    }

    /** Stops the engine if {@link #up} started it. */
    void down(String prefix) throws Exception {
        if (startedHere) {
            swarmScript("engine-down");
            System.out.println(prefix + " engine stopped (scripts/swarm engine-down)");
        } else {
            System.out.println(prefix + " engine left running: it was running before the test");
        }
    }

    /** Prints the figures, installs and engine lines of a scripts/swarm output with the test's prefix. */
    static void printFigures(String prefix, String out) {
        out.lines()
                .filter(l -> l.contains("figure:") || l.contains("installed ") || l.contains("engine:"))
                .forEach(l -> System.out.println(prefix + " " + l.strip()));
    }

    /** {@code scripts/swarm <args>}, which must succeed. */
    static Result swarmScript(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(REPO.resolve("scripts/swarm").toString()));
        cmd.addAll(List.of(args));
        Result r = run(Duration.ofMinutes(20), cmd.toArray(String[]::new));
        if (r.exit() != 0) {
            throw new AssertionError(
                    "scripts/swarm " + String.join(" ", args) + " failed (exit " + r.exit() + "):\n" + r.out());
        }
        return r;
    }

    record Result(int exit, String out) {
        String trimmed() {
            return out.strip();
        }
    }

    /** Runs a command from the repository root; stdout and stderr together. */
    static Result run(Duration timeout, String... command) throws Exception {
        return run(timeout, null, Map.of(), command);
    }

    static Result run(Duration timeout, String stdin, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        // read on another thread so a hanging command still times out
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                out.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.append("(output unreadable: ").append(e).append(')');
            }
        });
        reader.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            reader.join(5000);
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout + ":\n" + out);
        }
        reader.join();
        return new Result(p.exitValue(), out.toString());
    }

    /** {@code docker <args>} on this machine's engine, which must succeed; its output, trimmed. */
    static String docker(String... args) throws Exception {
        return Docker.LOCAL.run(args);
    }

    /** {@code docker <args>} on this machine's engine, whatever its exit status. */
    static Result tryDocker(String... args) throws Exception {
        return Docker.LOCAL.tryRun(args);
    }

    static List<String> lines(String s) {
        return s.isBlank()
                ? List.of()
                : s.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
