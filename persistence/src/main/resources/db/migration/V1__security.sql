-- Tenants, API clients and API key digests (the security foundation).
CREATE TABLE tenants (
    id          VARCHAR(64)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    version     BIGINT       NOT NULL DEFAULT 0
);

CREATE TABLE api_clients (
    id          VARCHAR(64)  PRIMARY KEY,
    tenant_id   VARCHAR(64)  NOT NULL REFERENCES tenants (id),
    name        VARCHAR(200) NOT NULL,
    role        VARCHAR(16)  NOT NULL CHECK (role IN ('ADMIN', 'OPERATOR', 'CLIENT')),
    created_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX api_clients_tenant ON api_clients (tenant_id);

-- Only the SHA-256 digest of a key is stored; the key is shown once at creation.
CREATE TABLE api_keys (
    id          VARCHAR(32)  PRIMARY KEY,
    client_id   VARCHAR(64)  NOT NULL REFERENCES api_clients (id),
    digest      VARCHAR(64)  NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX api_keys_client ON api_keys (client_id);
