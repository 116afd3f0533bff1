package com.advwell.platform.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ejb.EJBException;
import jakarta.persistence.OptimisticLockException;
import jakarta.transaction.RollbackException;
import org.junit.jupiter.api.Test;

/**
 * Two requests changing one row at once: the loser's commit fails with an optimistic lock inside the container's
 * RollbackException. The contract fuzzer found this answered 500 (pause and resume of one schedule).
 */
class ConcurrentChangeProblemTest {

    @Test
    void anOptimisticLockFailureAtCommitIsAConflict() {
        RollbackException rollback = new RollbackException("Transaction marked for rollback.");
        rollback.initCause(new OptimisticLockException("ClientSchedule cannot be updated because it has changed"));
        Problem problem = Problems.of(new EJBException(rollback));
        assertThat(problem.status()).isEqualTo(409);
        assertThat(problem.type()).isEqualTo("conflict");
        assertThat(problem.detail()).contains("another request");
    }
}
