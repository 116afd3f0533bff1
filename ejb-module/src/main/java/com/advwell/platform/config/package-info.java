/** Reading the replica's settings (environment variables named as in the operations document) with clear errors. */
package com.advwell.platform.config;
