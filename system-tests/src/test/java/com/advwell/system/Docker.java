package com.advwell.system;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code docker} command line against one engine: this machine's ({@link #LOCAL}), a remote one through
 * {@code DOCKER_HOST} (the simulated VPS manager), or the engine inside a simulated VPS reached with
 * {@code docker exec} (what an operator typing on that VPS would run).
 */
record Docker(String name, List<String> command, Map<String, String> env) {

    static final Docker LOCAL = new Docker("local", List.of("docker"), Map.of());

    /** An engine the CLI reaches at {@code host} (for example {@code tcp://172.30.0.10:2375}). */
    static Docker host(String name, String host) {
        return new Docker(name, List.of("docker"), Map.of("DOCKER_HOST", host));
    }

    /** The engine inside the container {@code container} of the local engine. */
    static Docker inside(String container) {
        return new Docker(container, List.of("docker", "exec", "-i", container, "docker"), Map.of());
    }

    /** {@code docker <args>}, which must succeed; its output, trimmed. */
    String run(String... args) throws Exception {
        DockerEngine.Result r = tryRun(args);
        if (r.exit() != 0) {
            throw new AssertionError(
                    name + ": docker " + String.join(" ", args) + " failed (exit " + r.exit() + "):\n" + r.out());
        }
        return r.trimmed();
    }

    /** {@code docker <args>}, whatever its exit status. */
    DockerEngine.Result tryRun(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of(args));
        return DockerEngine.run(Duration.ofMinutes(3), null, env, cmd.toArray(String[]::new));
    }

    /** A shell command on the engine's host, as an operator would type it ({@code bash -c} with DOCKER_HOST set). */
    DockerEngine.Result shell(String script) throws Exception {
        return shell(script, Duration.ofMinutes(3));
    }

    /** {@link #shell(String)} with a time limit of its own, for commands that wait for services to converge. */
    DockerEngine.Result shell(String script, Duration timeout) throws Exception {
        if (command.size() > 1) {
            // inside a VPS: the script runs there
            List<String> cmd = new ArrayList<>(command.subList(0, command.size() - 1));
            cmd.addAll(List.of("sh", "-c", script));
            return DockerEngine.run(timeout, null, env, cmd.toArray(String[]::new));
        }
        return DockerEngine.run(timeout, null, env, "bash", "-euo", "pipefail", "-c", script);
    }
}
