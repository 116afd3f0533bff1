/**
 * The replica's PostgreSQL housekeeping: schema migrations (Flyway, one replica at a time under an advisory lock)
 * before anything else uses the database, and the count of connections this replica holds as PostgreSQL sees them.
 */
package com.advwell.platform.db;
