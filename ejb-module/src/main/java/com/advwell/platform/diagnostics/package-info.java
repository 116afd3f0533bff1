/** Dependency round trips an operator runs through one replica. */
package com.advwell.platform.diagnostics;
