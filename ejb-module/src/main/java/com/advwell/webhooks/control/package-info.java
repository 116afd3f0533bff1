/** The built-in {@code http} job type: webhook settings, job payload parsing, destination guard and signed delivery. */
package com.advwell.webhooks.control;
