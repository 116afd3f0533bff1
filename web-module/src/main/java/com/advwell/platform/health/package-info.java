/**
 * MicroProfile Health checks: live and started when deployed, ready when PostgreSQL and Redis answer (the connection
 * budget adds its own readiness check, in {@code com.advwell.capacity.boundary}).
 */
package com.advwell.platform.health;
