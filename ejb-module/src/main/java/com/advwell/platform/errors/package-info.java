/** Domain failures that reach API callers as application/problem+json. */
package com.advwell.platform.errors;
