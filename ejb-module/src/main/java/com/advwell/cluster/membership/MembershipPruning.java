package com.advwell.cluster.membership;

import com.advwell.cluster.tasks.LeaderOnly;
import com.advwell.cluster.tasks.Misfire;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.logging.Logger;

/**
 * Every minute, on the leader: removes members whose heartbeat expired from the membership index. A missed minute
 * is not worth catching up: the next one does the same work.
 */
@Singleton
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class MembershipPruning {

    private static final Logger LOG = Logger.getLogger(MembershipPruning.class.getName());

    @Inject
    Membership membership;

    @Schedule(minute = "*", hour = "*", persistent = false)
    @LeaderOnly(name = "membership-pruning", misfire = Misfire.SKIP)
    public void prune() {
        long removed = membership.prune();
        if (removed > 0) {
            LOG.info(() -> "membership: removed " + removed + " expired member(s) from the index");
        }
    }
}
