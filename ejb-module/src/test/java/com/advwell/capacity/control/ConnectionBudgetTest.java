package com.advwell.capacity.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.advwell.cluster.membership.Member;
import com.advwell.platform.config.InvalidSettingException;
import com.advwell.platform.config.Settings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static Member member(String id, int pool, long joinedAfterMs) {
        return new Member(id, "h", 8080, "1", T0, true, pool, T0.plusMillis(joinedAfterMs), T0);
    }

    @Test
    void theSeedsFiguresGiveThirtyTwoReplicasOfFifteenWithTheDefaultReserve() {
        ConnectionBudget empty = ConnectionBudget.allocate(500, BudgetSettings.DEFAULT_RESERVE, List.of());
        assertThat(empty.limit()).isEqualTo(480);
        assertThat(empty.poolSum()).isZero();
        assertThat(empty.headroomReplicas(15)).isEqualTo(32);
        // the seed's "~33 replicas" is 500 / 15 with no reserve at all
        assertThat(ConnectionBudget.allocate(500, 0, List.of()).headroomReplicas(15))
                .isEqualTo(33);
    }

    @Test
    void membersThatJoinedFirstFitAndTheLateJoinerIsOver() {
        // listed in another order than they joined: the order is the join time, not the list or the id
        List<Member> members = List.of(
                member("replica-1", 15, 30),
                member("replica-4", 15, 10),
                member("replica-2", 15, 20),
                member("replica-3", 15, 40));
        ConnectionBudget budget = ConnectionBudget.allocate(70, 20, members);
        assertThat(budget.limit()).isEqualTo(50);
        assertThat(budget.poolSum()).isEqualTo(60);
        assertThat(budget.seats())
                .extracting(ConnectionBudget.Seat::instanceId)
                .containsExactly("replica-4", "replica-2", "replica-1", "replica-3");
        assertThat(budget.seats()).extracting(ConnectionBudget.Seat::poolsUpTo).containsExactly(15, 30, 45, 60);
        assertThat(budget.seats()).extracting(ConnectionBudget.Seat::fits).containsExactly(true, true, true, false);
        assertThat(budget.headroomReplicas(15)).as("one replica too many").isEqualTo(-1);
        assertThat(budget.explain(budget.seat("replica-3").orElseThrow()))
                .isEqualTo(
                        "member 4 of 4 in join order; pools up to it need 60 connections > 70 max_connections - 20 reserve = 50");
        assertThat(budget.explain(budget.seat("replica-1").orElseThrow())).contains("45 connections <= 70");
    }

    @Test
    void replicasJoiningInTheSameMillisecondAreOrderedByInstanceId() {
        ConnectionBudget budget =
                ConnectionBudget.allocate(40, 10, List.of(member("b", 15, 0), member("c", 15, 0), member("a", 15, 0)));
        assertThat(budget.seats()).extracting(ConnectionBudget.Seat::instanceId).containsExactly("a", "b", "c");
        assertThat(budget.seat("c").orElseThrow().fits()).isFalse();
        assertThat(budget.seat("b").orElseThrow().fits())
                .as("30 <= 30: exactly full still fits")
                .isTrue();
        assertThat(budget.headroomReplicas(15)).isEqualTo(-1);
    }

    @Test
    void onceOneMemberIsOverEveryLaterOneIsOverEvenWithASmallerPool() {
        ConnectionBudget budget = ConnectionBudget.allocate(
                50, 20, List.of(member("big", 25, 0), member("bigger", 10, 1), member("small", 1, 2)));
        assertThat(budget.seats()).extracting(ConnectionBudget.Seat::fits).containsExactly(true, false, false);
        assertThat(budget.headroomReplicas(1)).isEqualTo(-6);
        assertThat(budget.headroomReplicas(4)).as("floor, not truncation").isEqualTo(-2);
    }

    @Test
    void aRecordWithoutJoinTimeIsFirst() {
        Member old = new Member("old", "h", 8080, "1", T0, true, 15, Instant.EPOCH, T0);
        ConnectionBudget budget = ConnectionBudget.allocate(45, 20, List.of(member("new", 15, 0), old));
        assertThat(budget.seats()).extracting(ConnectionBudget.Seat::instanceId).containsExactly("old", "new");
        assertThat(budget.seat("new").orElseThrow().fits()).isFalse();
        assertThat(budget.seat("missing")).isEmpty();
    }

    @Test
    void settingsDefaultToTheServerAndTwentyReservedAndRejectNonsense() {
        BudgetSettings defaults = BudgetSettings.from(new Settings(name -> Optional.empty()));
        assertThat(defaults.reserve()).isEqualTo(20);
        assertThat(defaults.maxConnections(100)).isEqualTo(100);

        Map<String, String> env = Map.of("DB_CONNECTION_RESERVE", "5", "DB_MAX_CONNECTIONS_OVERRIDE", "70");
        BudgetSettings set = BudgetSettings.from(new Settings(name -> Optional.ofNullable(env.get(name))));
        assertThat(set.reserve()).isEqualTo(5);
        assertThat(set.maxConnections(100)).isEqualTo(70);

        Assertions.assertThatThrownBy(() -> BudgetSettings.from(new Settings(name -> Optional.ofNullable(
                        Map.of("DB_MAX_CONNECTIONS_OVERRIDE", "0").get(name)))))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("DB_MAX_CONNECTIONS_OVERRIDE");
    }
}
