/** API keys and the tenants and clients they belong to: creation, lookup, revocation and the admin bootstrap. */
package com.advwell.security.control;
