/** Who may call the API: tenants, their API clients with a role, and the digests of their API keys. */
package com.advwell.security.entity;
