package com.advwell.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code scripts/lib.sh} decides that a member it spawned is running: from the spawn on, through the launcher's
 * execs (env, then {@code scripts/replica}, then java), and not when the PID is dead or reused. A replica that was
 * judged "exited before becoming ready" while its launcher had not yet exec'd java failed a cluster test on a busy
 * machine; these run the real functions with stand-in processes, no cluster.
 */
class ClusterScriptsTest {

    private static final Path LIB =
            Path.of("..", "scripts", "lib.sh").toAbsolutePath().normalize();

    @TempDir
    Path clusterDir;

    @Test
    void aReplicaWhoseLauncherHasNotExecdItsServerYetIsRunning() throws Exception {
        // A launcher slower to exec than any wait spawn could make (on a loaded machine scripts/replica can take long).
        String out = bash("""
                spawn replica-9 / bash -c 'sleep 30; exec sleep 60'
                member_running replica-9 && echo running-before-exec || echo stopped-before-exec
                kill -9 "$(member_pid replica-9)"
                """);
        assertThat(out).contains("running-before-exec");
    }

    @Test
    void aMemberIsRunningAtEveryPollThroughItsExecsAndStoppedOnceKilled() throws Exception {
        String out = bash("""
                spawn replica-9 / env -i bash -c 'sleep 0.5; exec bash -c "sleep 0.5; exec sleep 60"'
                polls=0 misses=0
                for ((k = 0; k < 400; k++)); do
                    polls=$((polls + 1)); member_running replica-9 || misses=$((misses + 1))
                    [[ $(pid_cmdline "$(member_pid replica-9)") == "sleep 60 " ]] && break
                done
                echo "polls=$polls misses=$misses"
                [[ $(pid_cmdline "$(member_pid replica-9)") == "sleep 60 " ]] && echo exec-done
                kill -9 "$(member_pid replica-9)"
                wait_until 5 not member_running replica-9 && echo stopped-after-kill
                """);
        assertThat(out).contains("misses=0", "exec-done", "stopped-after-kill");
    }

    @Test
    void aPidFileNamingSomeoneElsesProcessIsNotRunning() throws Exception {
        // A live process started after the member (start times count in clock ticks of 10 ms, hence the pause), its
        // PID in the member's PID file as if the member's PID had been reused, and the member's own start time.
        String out = bash("""
                spawn replica-9 / sleep 60
                kill -9 "$(member_pid replica-9)"
                wait_until 5 not member_running replica-9
                sleep 0.1
                sleep 60 &
                other=$!
                echo "$other" >"$CLUSTER_DIR/replica-9/pid"
                member_running replica-9 && echo taken-for-ours || echo not-ours
                kill "$other"
                """);
        assertThat(out).contains("not-ours");
    }

    private String bash(String body) throws IOException, InterruptedException {
        Files.createDirectories(clusterDir.resolve("replica-9"));
        String script = "set -u\nsource '" + LIB + "'\nCLUSTER_DIR='" + clusterDir + "'\n" + body;
        Process p = new ProcessBuilder("bash", "-c", script)
                .redirectErrorStream(true)
                .start();
        boolean done = p.waitFor(60, TimeUnit.SECONDS);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("script finished; output: %s", out).isTrue();
        return out;
    }
}
