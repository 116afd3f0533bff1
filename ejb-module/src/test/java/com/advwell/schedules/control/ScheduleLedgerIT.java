package com.advwell.schedules.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.cluster.tasks.SlotLedger;
import com.advwell.testsupport.MigratedSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/** Claiming and advancing client schedules' slots against a real PostgreSQL: one run per slot, whoever fires. */
class ScheduleLedgerIT {

    @RegisterExtension
    static final MigratedSchema DB = new MigratedSchema("it_sched");

    private static final PGSimpleDataSource ds = DB.dataSource();
    private static final ScheduleLedger ledger = new ScheduleLedger(ds);

    @BeforeAll
    static void tenant() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute("INSERT INTO tenants (id, name, created_at) VALUES ('t1', 't1', now())");
        }
    }

    private static String schedule(String cron, Instant nextFireAt, boolean paused) throws Exception {
        String id = UUID.randomUUID().toString();
        try (Connection c = ds.getConnection();
                PreparedStatement st =
                        c.prepareStatement("INSERT INTO schedules (id, tenant_id, name, cron, cron_dialect,"
                                + " time_zone, queue, payload, paused, created_at, updated_at, next_fire_at)"
                                + " VALUES (?, 't1', 'n', ?, ?, 'UTC', 'q', '{}', ?, now(), now(), ?)")) {
            st.setString(1, id);
            st.setString(2, cron);
            st.setString(3, CronSpec.parse(cron, "UTC").dialect().name());
            st.setBoolean(4, paused);
            st.setObject(5, OffsetDateTime.ofInstant(nextFireAt, ZoneOffset.UTC));
            st.executeUpdate();
        }
        return id;
    }

    private static Instant nextFireAt(String id) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement st = c.prepareStatement("SELECT next_fire_at FROM schedules WHERE id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
    }

    private static List<ScheduleLedger.Claimed> mine(ScheduleLedger.Firing firing, String id) {
        return firing.claimed().stream().filter(c -> c.scheduleId().equals(id)).toList();
    }

    @Test
    void aDueSlotIsClaimedOnceAndTheScheduleAdvances() throws Exception {
        Instant slot = Instant.parse("2026-03-01T10:00:00Z");
        String id = schedule("* * * * *", slot, false);
        ScheduleLedger.Firing firing = ledger.fireDue(slot.plusMillis(300), 3, "r1", 500);
        assertThat(mine(firing, id)).singleElement().satisfies(c -> {
            assertThat(c.slot()).isEqualTo(slot);
            assertThat(c.trigger()).isEqualTo(ScheduleLedger.Trigger.SCHEDULE);
        });
        assertThat(nextFireAt(id)).isEqualTo(Instant.parse("2026-03-01T10:01:00Z"));
        assertThat(mine(ledger.fireDue(slot.plusMillis(900), 3, "r1", 500), id)).isEmpty();

        ledger.finish(id, slot, ScheduleLedger.Outcome.SUCCEEDED, null, "note");
        assertThat(ledger.runs(id, 0, 10)).singleElement().satisfies(r -> {
            assertThat(r.outcome()).isEqualTo("SUCCEEDED");
            assertThat(r.trigger()).isEqualTo("SCHEDULE");
            assertThat(r.epoch()).isEqualTo(3);
            assertThat(r.detail()).isEqualTo("note");
        });
    }

    @Test
    void twoConcurrentFiringsRunEachSlotOnce() throws Exception {
        Instant slot = Instant.parse("2026-03-02T10:00:00Z");
        for (int round = 0; round < 20; round++) {
            String id = schedule("*/10 * * * * ?", slot, false);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ScheduleLedger.Firing>> results = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                String replica = "r" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    return ledger.fireDue(slot.plusMillis(5), 7, replica, 500);
                }));
            }
            go.countDown();
            int claims = 0;
            for (Future<ScheduleLedger.Firing> f : results) {
                claims += mine(f.get(), id).size();
            }
            pool.shutdown();
            assertThat(claims).as("round " + round).isEqualTo(1);
            assertThat(ledger.runs(id, 0, 10)).hasSize(1);
            assertThat(nextFireAt(id)).isEqualTo(slot.plusSeconds(10));
        }
    }

    @Test
    void aStaleTermIsRefusedAndReportsTheNewerEpoch() throws Exception {
        Instant slot = Instant.parse("2026-03-03T10:00:00Z");
        String id = schedule("* * * * *", slot, false);
        assertThat(mine(ledger.fireDue(slot, 9, "new", 500), id)).hasSize(1);
        // the slot after, claimed by a leader that still believes in epoch 8
        ScheduleLedger.Firing stale = ledger.fireDue(slot.plusSeconds(60), 8, "old", 500);
        assertThat(mine(stale, id)).isEmpty();
        assertThat(stale.newerEpoch()).isEqualTo(9);
        assertThat(nextFireAt(id)).isEqualTo(slot.plusSeconds(60));
    }

    @Test
    void pausedSchedulesAreNotFired() throws Exception {
        Instant slot = Instant.parse("2026-03-04T10:00:00Z");
        String id = schedule("* * * * *", slot, true);
        assertThat(mine(ledger.fireDue(slot.plusSeconds(1), 1, "r1", 500), id)).isEmpty();
        assertThat(ledger.runs(id, 0, 10)).isEmpty();
        assertThat(nextFireAt(id)).isEqualTo(slot);
    }

    @Test
    void aLongAbsenceRunsOnlyTheNewestMissedSlotAsCatchUp() throws Exception {
        Instant first = Instant.parse("2026-03-05T10:00:00Z");
        String id = schedule("* * * * *", first, false);
        Instant now = first.plusSeconds(3 * 3600 + 30); // 180 slots missed
        assertThat(mine(ledger.fireDue(now, 1, "r1", 500), id)).singleElement().satisfies(c -> {
            assertThat(c.slot()).isEqualTo(Instant.parse("2026-03-05T13:00:00Z"));
            assertThat(c.trigger()).isEqualTo(ScheduleLedger.Trigger.CATCH_UP);
        });
        assertThat(ledger.runs(id, 0, 1000)).hasSize(1);
        assertThat(nextFireAt(id)).isEqualTo(Instant.parse("2026-03-05T13:01:00Z"));
    }

    @Test
    void runNowIsRecordedAndHistoryIsNewestFirstWithPaging() throws Exception {
        Instant slot = Instant.parse("2026-03-06T10:00:00Z");
        String id = schedule("* * * * *", slot, false);
        ledger.fireDue(slot, 1, "r1", 500);
        Instant now = Instant.parse("2026-03-06T10:00:20.123456Z");
        Instant a = ledger.claimRunNow(id, now, "r2").orElseThrow();
        Instant b = ledger.claimRunNow(id, now, "r2").orElseThrow(); // same millisecond: moved on by one
        assertThat(a).isEqualTo(Instant.parse("2026-03-06T10:00:20.123Z"));
        assertThat(b).isEqualTo(Instant.parse("2026-03-06T10:00:20.124Z"));
        assertThat(ledger.run(id, a)).get().satisfies(r -> {
            assertThat(r.trigger()).isEqualTo("RUN_NOW");
            assertThat(r.outcome()).isEqualTo("RUNNING");
            assertThat(r.epoch()).isZero();
        });
        assertThat(ledger.runs(id, 0, 10)).extracting(ScheduleRun::slot).containsExactly(b, a, slot);
        assertThat(ledger.runs(id, 1, 1)).extracting(ScheduleRun::slot).containsExactly(a);
    }

    @Test
    void runNowOfAScheduleDeletedMeanwhileClaimsNothing() throws Exception {
        // the API read the schedule, then a concurrent delete committed: no run, and no error (the API answers 404)
        String id = schedule("* * * * *", Instant.parse("2026-03-07T10:00:00Z"), false);
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM schedules WHERE id = '" + id + "'");
        }
        assertThat(ledger.claimRunNow(id, Instant.parse("2026-03-07T10:00:20Z"), "r2"))
                .isEmpty();
    }

    @Test
    void retentionKeepsTheRowWithTheNewestEpoch() throws Exception {
        Instant slot = Instant.parse("2026-02-01T10:00:00Z");
        String id = schedule("* * * * *", slot, false);
        ledger.fireDue(slot, 4, "r1", 500);
        ledger.fireDue(slot.plusSeconds(60), 5, "r1", 500);
        ledger.fireDue(slot.plusSeconds(120), 5, "r1", 500);
        ledger.claimRunNow(id, slot.plusSeconds(130), "r2");
        assertThat(ledger.runs(id, 0, 10)).hasSize(4);

        SlotLedger runs = new SlotLedger(ds, SlotLedger.Table.SCHEDULE_RUNS);
        assertThat(runs.prune(slot.plusSeconds(3600))).isGreaterThanOrEqualTo(3);
        assertThat(ledger.runs(id, 0, 10)).singleElement().satisfies(r -> {
            assertThat(r.slot()).isEqualTo(slot.plusSeconds(120));
            assertThat(r.epoch()).isEqualTo(5);
        });
        // and the fencing still works after pruning
        ScheduleLedger.Firing stale = ledger.fireDue(slot.plusSeconds(180), 4, "old", 500);
        assertThat(mine(stale, id)).isEmpty();
        assertThat(stale.newerEpoch()).isEqualTo(5);
    }

    @Test
    void aRowThatNoLongerParsesStopsFiringWithoutBlockingTheOthers() throws Exception {
        Instant slot = Instant.parse("2026-01-01T10:00:00Z");
        String bad = schedule("* * * * *", slot, false);
        String good = schedule("* * * * *", slot, false);
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute("UPDATE schedules SET time_zone = 'Gone/Away' WHERE id = '" + bad + "'");
        }
        ScheduleLedger.Firing firing = ledger.fireDue(slot, 1, "r1", 500);
        assertThat(mine(firing, good)).hasSize(1);
        assertThat(mine(firing, bad)).isEmpty();
        try (Connection c = ds.getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT next_fire_at FROM schedules WHERE id = '" + bad + "'")) {
            rs.next();
            assertThat(rs.getObject(1)).isNull();
        }
    }
}
