package com.advwell.jobs.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.advwell.platform.errors.Refusal;
import com.advwell.platform.errors.RefusedException;
import com.advwell.security.control.Caller;
import com.advwell.security.entity.Role;
import org.junit.jupiter.api.Test;

/** Which tenant's jobs a caller adds and addresses. */
class JobAccessTest {

    private static final Caller CLIENT = new Caller("c1", "client", "tenant-a", Role.CLIENT, "k1");
    private static final Caller OPERATOR = new Caller("o1", "operator", "system", Role.OPERATOR, "k2");

    @Test
    void aClientAddsAndAddressesItsOwnTenantsJobs() {
        assertThat(JobAccess.tenantOfNewJobs(CLIENT)).isEqualTo("tenant-a");
        assertThat(JobAccess.addressedTenant(CLIENT, null)).isEqualTo("tenant-a");
        assertThat(JobAccess.addressedTenant(CLIENT, " ")).isEqualTo("tenant-a");
        assertThat(JobAccess.addressedTenant(CLIENT, "tenant-a")).isEqualTo("tenant-a");
        assertThat(JobAccess.seesAllTenants(CLIENT)).isFalse();
    }

    @Test
    void aClientAskingForAnotherTenantIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> JobAccess.addressedTenant(CLIENT, "tenant-b"))
                .isInstanceOfSatisfying(RefusedException.class, e -> {
                    assertThat(e.refusal()).isEqualTo(Refusal.INVALID);
                    assertThat(e.field()).isEqualTo("tenant");
                });
    }

    @Test
    void anOperatorAddsSystemJobsAndAddressesTheTenantItNames() {
        assertThat(JobAccess.tenantOfNewJobs(OPERATOR)).isNull();
        assertThat(JobAccess.addressedTenant(OPERATOR, null)).isNull();
        assertThat(JobAccess.addressedTenant(OPERATOR, "")).isNull();
        assertThat(JobAccess.addressedTenant(OPERATOR, "tenant-b")).isEqualTo("tenant-b");
        assertThat(JobAccess.seesAllTenants(OPERATOR)).isTrue();
    }
}
