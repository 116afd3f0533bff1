/** The replica's connection to Redis (direct or through Sentinel), Lua scripts by SHA, and failover tracking. */
package com.advwell.platform.redis;
