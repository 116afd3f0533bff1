/** Client schedules: cron parsing, the CRUD service, the per-slot ledger and the leader's firing timer. */
package com.advwell.schedules.control;
