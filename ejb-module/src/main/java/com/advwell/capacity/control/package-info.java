/**
 * The PostgreSQL connection budget: the live replicas' pool sizes against {@code max_connections} minus a reserve,
 * the order in which replicas get a seat in it, and the guard that keeps a replica over budget from becoming ready.
 */
package com.advwell.capacity.control;
