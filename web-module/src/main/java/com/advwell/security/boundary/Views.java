package com.advwell.security.boundary;

import com.advwell.security.control.Caller;
import com.advwell.security.control.ConsoleSession;
import com.advwell.security.entity.ApiClient;
import com.advwell.security.entity.ApiKey;
import com.advwell.security.entity.Tenant;
import java.time.Instant;

/** JSON shapes of the security API; entities never leave the server as they are. */
final class Views {

    private Views() {}

    public record TenantView(String id, String name, Instant createdAt, long version) {
        static TenantView of(Tenant t) {
            return new TenantView(t.getId(), t.getName(), t.getCreatedAt(), t.getVersion());
        }
    }

    public record ClientView(String id, String tenantId, String name, String role, Instant createdAt) {
        static ClientView of(ApiClient c) {
            return new ClientView(
                    c.getId(), c.getTenantId(), c.getName(), c.getRole().wireName(), c.getCreatedAt());
        }
    }

    public record KeyView(String id, String clientId, Instant createdAt, Instant revokedAt, boolean revoked) {
        static KeyView of(ApiKey k) {
            return new KeyView(k.getId(), k.getClientId(), k.getCreatedAt(), k.getRevokedAt(), k.isRevoked());
        }
    }

    /** A new key: shown in this response only. */
    public record IssuedKeyView(String keyId, String clientId, String key, Instant createdAt, String notice) {}

    public record CallerView(String clientId, String clientName, String tenantId, String role, String keyId) {}

    /** A console session as the page sees it: who signed in, the CSRF token to send back, when it ends. */
    public record SessionView(CallerView caller, String csrfToken, String idleExpiresAt, String expiresAt) {
        static SessionView of(ConsoleSession s) {
            Caller c = s.caller();
            return new SessionView(
                    new CallerView(
                            c.clientId(), c.clientName(), c.tenantId(), c.role().wireName(), c.keyId()),
                    s.csrfToken(),
                    s.idleExpiresAt().toString(),
                    s.expiresAt().toString());
        }
    }
}
