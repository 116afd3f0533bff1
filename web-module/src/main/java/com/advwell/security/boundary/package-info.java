/** Authentication by API key (a JAX-RS filter), authorization by role, and the admin API for tenants, clients and keys. */
package com.advwell.security.boundary;
