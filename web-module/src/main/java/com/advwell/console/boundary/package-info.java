/** The operator console's static pages: served by every replica at {@code /console}, with their security headers. */
package com.advwell.console.boundary;
