/** Schedules that API clients create through REST, owned by a tenant. */
package com.advwell.schedules.entity;
