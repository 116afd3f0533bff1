/** The REST application and what every resource shares: JSON binding, body limits and problem documents. */
package com.advwell.platform.rest;
