/**
 * Leader election: the Redis lease with its fencing epoch, campaigned and renewed by every replica that runs
 * cron, and the event fired when this replica becomes leader.
 */
package com.advwell.cluster.leader;
