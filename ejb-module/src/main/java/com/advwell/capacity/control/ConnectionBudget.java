package com.advwell.capacity.control;

import com.advwell.cluster.membership.Member;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The live replicas' pools against {@code max_connections - reserve}. Seats are given in join order (Redis's time of
 * each replica's first heartbeat, ties by instance id), so when several replicas start at once every replica reaches
 * the same verdict: the members that joined first fit, and from the first member whose pool would push the running
 * sum over the limit on, every later one is over budget.
 */
public record ConnectionBudget(int maxConnections, int reserve, List<Seat> seats) {

    /** One member's place: its pool, the running sum of pools up to and including it, and whether that fits. */
    public record Seat(int position, String instanceId, int poolMax, Instant joinedAt, int poolsUpTo, boolean fits) {}

    private static final Comparator<Member> JOIN_ORDER =
            Comparator.comparing(Member::joinedAt).thenComparing(Member::instanceId);

    public static ConnectionBudget allocate(int maxConnections, int reserve, List<Member> members) {
        int limit = maxConnections - reserve;
        List<Seat> seats = new ArrayList<>();
        int running = 0;
        for (Member m : members.stream().sorted(JOIN_ORDER).toList()) {
            running += m.dbPoolMax();
            seats.add(
                    new Seat(seats.size() + 1, m.instanceId(), m.dbPoolMax(), m.joinedAt(), running, running <= limit));
        }
        return new ConnectionBudget(maxConnections, reserve, List.copyOf(seats));
    }

    /** Connections the replicas' pools may open together: max_connections minus the reserve. */
    public int limit() {
        return maxConnections - reserve;
    }

    /** Sum of the live members' pool sizes. */
    public int poolSum() {
        return seats.isEmpty() ? 0 : seats.get(seats.size() - 1).poolsUpTo();
    }

    /** How many more replicas with this pool size fit; negative when that many too many run already. */
    public int headroomReplicas(int poolMax) {
        return Math.floorDiv(limit() - poolSum(), poolMax);
    }

    public Optional<Seat> seat(String instanceId) {
        return seats.stream().filter(s -> s.instanceId().equals(instanceId)).findFirst();
    }

    /** The figures behind a member's verdict, for readiness and the log. */
    public String explain(Seat seat) {
        return String.format(
                "member %d of %d in join order; pools up to it need %d connections %s %d max_connections"
                        + " - %d reserve = %d",
                seat.position(),
                seats.size(),
                seat.poolsUpTo(),
                seat.fits() ? "<=" : ">",
                maxConnections,
                reserve,
                limit());
    }
}
