/**
 * The replica's PostgreSQL housekeeping: schema migrations (Flyway, one replica at a time under an advisory lock)
 * before anything else uses the database, whether it answers a query now, and the count of connections this replica
 * holds as PostgreSQL sees them.
 */
package com.advwell.platform.db;
