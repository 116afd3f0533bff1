/** Why the application refuses an operation, in domain terms and free of HTTP; the web module tells callers. */
package com.advwell.platform.errors;
