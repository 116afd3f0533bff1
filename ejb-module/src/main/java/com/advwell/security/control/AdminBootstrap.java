package com.advwell.security.control;

import com.advwell.platform.config.Settings;
import com.advwell.security.entity.Tenant;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Makes the administrator key given in {@code ADMIN_API_KEY} (or the file named by {@code ADMIN_API_KEY_FILE}, a
 * Docker secret) valid on first start. Several replicas may start together: every insert is idempotent, and a key
 * an administrator revoked stays revoked.
 */
@Singleton
@Startup
@DependsOn("Migrations")
public class AdminBootstrap {

    private static final Logger LOG = Logger.getLogger(AdminBootstrap.class.getName());
    static final String CLIENT_ID = "bootstrap-admin";

    @PersistenceContext(unitName = "advwell")
    EntityManager em;

    @PostConstruct
    void bootstrap() {
        Optional<String> key = Settings.fromMicroProfileConfig().secret("ADMIN_API_KEY");
        if (key.isEmpty()) {
            LOG.info("ADMIN_API_KEY not set: no administrator key bootstrapped (existing keys keep working)");
            return;
        }
        if (key.get().length() < 32) {
            throw new IllegalStateException("ADMIN_API_KEY must be at least 32 characters of random data");
        }
        OffsetDateTime now = OffsetDateTime.now();
        em.createNativeQuery(
                        "INSERT INTO tenants (id, name, created_at, version) VALUES (?, ?, ?, 0) ON CONFLICT (id) DO NOTHING")
                .setParameter(1, Tenant.SYSTEM_ID)
                .setParameter(2, "System")
                .setParameter(3, now)
                .executeUpdate();
        em.createNativeQuery(
                        "INSERT INTO api_clients (id, tenant_id, name, role, created_at) VALUES (?, ?, ?, 'ADMIN', ?)"
                                + " ON CONFLICT (id) DO NOTHING")
                .setParameter(1, CLIENT_ID)
                .setParameter(2, Tenant.SYSTEM_ID)
                .setParameter(3, "Bootstrap administrator")
                .setParameter(4, now)
                .executeUpdate();
        int inserted = em.createNativeQuery(
                        "INSERT INTO api_keys (id, client_id, digest, created_at) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT (id) DO NOTHING")
                .setParameter(1, ApiKeys.idOf(key.get()))
                .setParameter(2, CLIENT_ID)
                .setParameter(3, ApiKeys.digest(key.get()))
                .setParameter(4, now)
                .executeUpdate();
        String keyId = ApiKeys.idOf(key.get());
        LOG.info(() -> inserted == 1
                ? "administrator key " + keyId + " bootstrapped"
                : "administrator key " + keyId + " already present");
    }
}
