/** Authentication by API key (Jakarta Security), authorization by role, and the admin API for tenants, clients and keys. */
package com.advwell.security.boundary;
