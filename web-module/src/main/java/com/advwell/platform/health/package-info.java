/** MicroProfile Health checks: live and started when deployed, ready when PostgreSQL and Redis answer. */
package com.advwell.platform.health;
