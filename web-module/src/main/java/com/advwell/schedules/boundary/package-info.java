/** REST endpoints for client schedules under {@code /api/schedules}. */
package com.advwell.schedules.boundary;
