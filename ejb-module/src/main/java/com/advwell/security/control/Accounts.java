package com.advwell.security.control;

import com.advwell.platform.errors.ProblemException;
import com.advwell.security.entity.ApiClient;
import com.advwell.security.entity.ApiKey;
import com.advwell.security.entity.Role;
import com.advwell.security.entity.Tenant;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/** Tenants, their API clients and API keys: everything the admin endpoints and authentication need. */
@Stateless
public class Accounts {

    @PersistenceContext(unitName = "advwell")
    EntityManager em;

    public Tenant createTenant(String name) {
        Tenant tenant = new Tenant(name);
        em.persist(tenant);
        return tenant;
    }

    public Tenant tenant(String id) {
        Tenant tenant = em.find(Tenant.class, id);
        if (tenant == null) {
            throw ProblemException.notFound("tenant", id);
        }
        return tenant;
    }

    public Tenant renameTenant(String id, String name) {
        Tenant tenant = tenant(id);
        tenant.rename(name);
        return tenant;
    }

    public List<Tenant> tenants(int offset, int limit) {
        return em.createNamedQuery(Tenant.ALL, Tenant.class).setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    public List<ApiClient> clients(String tenantId) {
        tenant(tenantId);
        return em.createNamedQuery(ApiClient.BY_TENANT, ApiClient.class).setParameter("tenantId", tenantId).getResultList();
    }

    public ApiClient client(String id) {
        ApiClient client = em.find(ApiClient.class, id);
        if (client == null) {
            throw ProblemException.notFound("client", id);
        }
        return client;
    }

    /** Creates a client with its first key; the key is returned once and never again. */
    public IssuedKey createClient(String tenantId, String name, Role role) {
        tenant(tenantId);
        if (role == Role.ADMIN && !Tenant.SYSTEM_ID.equals(tenantId)) {
            throw ProblemException.invalid("role", "admin clients belong to the system tenant only");
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
        return em.createNamedQuery(ApiKey.BY_CLIENT, ApiKey.class).setParameter("clientId", clientId).getResultList();
    }

    public ApiKey revokeKey(String keyId) {
        ApiKey key = em.find(ApiKey.class, keyId);
        if (key == null) {
            throw ProblemException.notFound("API key", keyId);
        }
        key.revoke();
        return key;
    }

    /**
     * The caller a presented key belongs to, if the key exists, matches and is not revoked. Runs on every request,
     * so without a JTA transaction (two primary-key reads need none) and without any cache: a revoked key is refused
     * by every replica from the next request.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Optional<Caller> authenticate(String presentedKey) {
        if (!ApiKeys.plausible(presentedKey)) {
            return Optional.empty();
        }
        ApiKey key = em.find(ApiKey.class, ApiKeys.idOf(presentedKey));
        if (key == null || key.isRevoked() || !ApiKeys.matches(presentedKey, key.getDigest())) {
            return Optional.empty();
        }
        ApiClient client = em.find(ApiClient.class, key.getClientId());
        if (client == null) {
            return Optional.empty();
        }
        return Optional.of(new Caller(client.getId(), client.getName(), client.getTenantId(), client.getRole(), key.getId()));
    }
}
