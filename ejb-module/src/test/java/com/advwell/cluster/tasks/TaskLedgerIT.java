package com.advwell.cluster.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.cluster.tasks.TaskLedger.Claim;
import com.advwell.cluster.tasks.TaskLedger.ClaimResult;
import com.advwell.cluster.tasks.TaskLedger.Outcome;
import com.advwell.cluster.tasks.TaskLedger.Trigger;
import com.advwell.testsupport.MigratedSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/** The ledger's claims against a real PostgreSQL: one run per slot, and no run from a stale term. */
class TaskLedgerIT {

    @RegisterExtension
    static final MigratedSchema DB = new MigratedSchema("it_ledger");

    private static final PGSimpleDataSource ds = DB.dataSource();
    private static final TaskLedger ledger = new TaskLedger(ds);

    @Test
    void twoLeadersRacingForOneSlotRunItOnce() throws Exception {
        Instant s = Instant.parse("2026-03-01T10:00:00Z");
        for (int round = 0; round < 20; round++) {
            String task = "race-" + round;
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ClaimResult>> results = new ArrayList<>();
            // both believe they lead: the old term (5) before it noticed, and the new one (5 as well after a lost
            // increment, or 6)
            long[] epochs = {5, round % 2 == 0 ? 5 : 6};
            for (int i = 0; i < 2; i++) {
                String replica = "r" + i;
                long epoch = epochs[i];
                Callable<ClaimResult> claim = () -> {
                    go.await();
                    return ledger.claim(task, s, epoch, replica, Trigger.TIMER, Outcome.RUNNING);
                };
                results.add(pool.submit(claim));
            }
            go.countDown();
            int claimed = 0;
            for (Future<ClaimResult> r : results) {
                if (r.get().claim() == Claim.CLAIMED) {
                    claimed++;
                }
            }
            pool.shutdown();
            assertThat(claimed).as("round %d", round).isEqualTo(1);
            assertThat(ledger.count(task)).isEqualTo(1);
        }
    }

    @Test
    void aStaleEpochIsRefusedOnceANewerOneRecordedAnything() throws Exception {
        String task = "stale";
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        assertThat(ledger.claim(task, t, 3, "a", Trigger.TIMER, Outcome.RUNNING).claim())
                .isEqualTo(Claim.CLAIMED);
        assertThat(ledger.claim(task, t.plusSeconds(1), 4, "b", Trigger.TIMER, Outcome.RUNNING)
                        .claim())
                .isEqualTo(Claim.CLAIMED);
        ClaimResult old = ledger.claim(task, t.plusSeconds(2), 3, "a", Trigger.TIMER, Outcome.RUNNING);
        assertThat(old.claim()).isEqualTo(Claim.STALE_EPOCH);
        assertThat(old.newestEpoch()).isEqualTo(4);
        assertThat(ledger.claim(task, t.plusSeconds(1), 4, "b", Trigger.TIMER, Outcome.RUNNING)
                        .claim())
                .isEqualTo(Claim.TAKEN);
        assertThat(ledger.count(task)).isEqualTo(2);
        // other tasks are fenced separately
        assertThat(ledger.claim("other", t, 3, "a", Trigger.TIMER, Outcome.RUNNING)
                        .claim())
                .isEqualTo(Claim.CLAIMED);
    }

    @Test
    void finishRecordsTheOutcomeAndSkipsAreClosedAtOnce() throws Exception {
        String task = "outcome";
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        ledger.claim(task, t, 1, "a", Trigger.TIMER, Outcome.RUNNING);
        ledger.finish(task, t, "a", 1, Outcome.FAILED, "boom");
        ledger.claim(task, t.plusSeconds(1), 1, "a", Trigger.MISFIRE, Outcome.SKIPPED);
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT outcome, error, trigger, finished_at IS NOT NULL FROM task_runs"
                        + " WHERE task = 'outcome' ORDER BY scheduled_at")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("FAILED");
            assertThat(rs.getString(2)).isEqualTo("boom");
            assertThat(rs.getBoolean(4)).isTrue();
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("SKIPPED");
            assertThat(rs.getString(3)).isEqualTo("MISFIRE");
            assertThat(rs.getBoolean(4)).isTrue();
        }
        assertThat(ledger.lastSlot(task)).contains(t.plusSeconds(1));
        assertThat(ledger.lastSlot("never")).isEmpty();
        ledger.claim(task, t.plusSeconds(5), 2, "b", Trigger.TIMER, Outcome.RUNNING);
        assertThat(ledger.lastSlotBefore(task, 2)).contains(t.plusSeconds(1));
        assertThat(ledger.lastSlotBefore(task, 1)).isEmpty();
        assertThat(ledger.recorded(task, t, t.plusSeconds(5)))
                .containsExactlyInAnyOrder(t.plusSeconds(1), t.plusSeconds(5));
    }

    @Test
    void retentionKeepsEachTasksNewestRow() throws Exception {
        Instant old = Instant.now().minus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        ledger.claim("retain-a", old, 1, "a", Trigger.TIMER, Outcome.RUNNING);
        ledger.claim("retain-a", old.plusSeconds(60), 1, "a", Trigger.TIMER, Outcome.RUNNING);
        ledger.claim("retain-b", old, 1, "a", Trigger.TIMER, Outcome.RUNNING);
        ledger.claim("retain-b", Instant.now(), 1, "a", Trigger.TIMER, Outcome.RUNNING);
        new SlotLedger(ds, SlotLedger.Table.TASK_RUNS).prune(Instant.now().minus(Duration.ofDays(30)));
        assertThat(ledger.count("retain-a")).isEqualTo(1);
        assertThat(ledger.lastSlot("retain-a")).contains(old.plusSeconds(60));
        assertThat(ledger.count("retain-b")).isEqualTo(1);
    }
}
