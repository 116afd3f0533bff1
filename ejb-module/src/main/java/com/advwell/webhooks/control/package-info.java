/** The {@code http} job type: its consumer and payload validator, settings, destination guard and signed delivery. */
package com.advwell.webhooks.control;
