/** REST endpoints of the job queues under {@code /api/queues}: clients add and follow their jobs, operators run the queues. */
package com.advwell.jobs.boundary;
