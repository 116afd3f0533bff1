package com.advwell.security.control;

import com.advwell.platform.errors.RefusedException;
import com.advwell.security.entity.ApiClient;
import com.advwell.security.entity.ApiKey;
import com.advwell.security.entity.Role;
import com.advwell.security.entity.Tenant;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/** Tenants, their API clients and API keys: everything the admin endpoints and authentication need. */
@Stateless
public class Accounts {

    @PersistenceContext(unitName = "advwell")
    EntityManager em;

    @Inject
    Event<KeyRevoked> revoked;

    public Tenant createTenant(String name) {
        Tenant tenant = new Tenant(name);
        em.persist(tenant);
        return tenant;
    }

    public Tenant tenant(String id) {
        Tenant tenant = em.find(Tenant.class, id);
        if (tenant == null) {
            throw RefusedException.notFound("tenant", id);
        }
        return tenant;
    }

    public Tenant renameTenant(String id, String name) {
        Tenant tenant = tenant(id);
        tenant.rename(name);
        return tenant;
    }

    public List<Tenant> tenants(int offset, int limit) {
        return em.createNamedQuery(Tenant.ALL, Tenant.class)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList();
    }

    public List<ApiClient> clients(String tenantId) {
        tenant(tenantId);
        return em.createNamedQuery(ApiClient.BY_TENANT, ApiClient.class)
                .setParameter("tenantId", tenantId)
                .getResultList();
    }

    public ApiClient client(String id) {
        ApiClient client = em.find(ApiClient.class, id);
        if (client == null) {
            throw RefusedException.notFound("client", id);
        }
        return client;
    }

    /** Creates a client with its first key; the key is returned once and never again. */
    public IssuedKey createClient(String tenantId, String name, Role role) {
        tenant(tenantId);
        if (role == Role.ADMIN && !Tenant.SYSTEM_ID.equals(tenantId)) {
            throw RefusedException.invalid("role", "admin clients belong to the system tenant only");
        }
        ApiClient client = new ApiClient(tenantId, name, role);
        em.persist(client);
        return issueKey(client.getId());
    }

    public IssuedKey issueKey(String clientId) {
        client(clientId);
        String key = ApiKeys.generate();
        ApiKey stored = new ApiKey(ApiKeys.idOf(key), clientId, ApiKeys.digest(key));
        em.persist(stored);
        return new IssuedKey(stored.getId(), clientId, key, stored.getCreatedAt());
    }

    public List<ApiKey> keys(String clientId) {
        client(clientId);
        return em.createNamedQuery(ApiKey.BY_CLIENT, ApiKey.class)
                .setParameter("clientId", clientId)
                .getResultList();
    }

    /**
     * Revokes a key. The only change here that turns a valid key invalid (issuing a key leaves the others valid;
     * clients and tenants are never deleted, and a rename changes nothing a caller carries), so the only one that
     * tells {@link KnownCallers}; it does so once the transaction commits.
     */
    public ApiKey revokeKey(String keyId) {
        ApiKey key = em.find(ApiKey.class, keyId);
        if (key == null) {
            throw RefusedException.notFound("API key", keyId);
        }
        key.revoke();
        revoked.fire(new KeyRevoked(keyId));
        return key;
    }

    /**
     * The stored key with this id and its caller, if the key is not revoked and its client exists. Read only when
     * {@link KnownCallers} does not know the key, without a JTA transaction (two primary-key reads need none).
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Optional<CallerCache.StoredKey> storedKey(String keyId) {
        ApiKey key = em.find(ApiKey.class, keyId);
        if (key == null || key.isRevoked()) {
            return Optional.empty();
        }
        ApiClient client = em.find(ApiClient.class, key.getClientId());
        if (client == null) {
            return Optional.empty();
        }
        return Optional.of(new CallerCache.StoredKey(
                key.getDigest(),
                new Caller(client.getId(), client.getName(), client.getTenantId(), client.getRole(), key.getId())));
    }
}
