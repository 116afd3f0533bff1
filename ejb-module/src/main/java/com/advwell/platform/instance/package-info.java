/** The identity of this replica among the others (instance id, address, version, cron role). */
package com.advwell.platform.instance;
