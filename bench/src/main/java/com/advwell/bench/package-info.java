/**
 * The AdvWell side of the queue benchmark against BullMQ ({@code bench/run}): the engine used outside the container,
 * against the local Redis, following the protocol written down in {@code bench/README.md}.
 */
package com.advwell.bench;
