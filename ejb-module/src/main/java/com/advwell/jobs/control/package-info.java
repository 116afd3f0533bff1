/** Redis-backed job queues: the engine (Lua scripts), producers, consumers declared like message-driven beans. */
package com.advwell.jobs.control;
