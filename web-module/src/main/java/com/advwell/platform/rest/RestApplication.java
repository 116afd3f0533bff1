package com.advwell.platform.rest;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API lives under {@code /api}; health and metrics are served by the runtime at {@code /health} and {@code /metrics}. */
@ApplicationPath("api")
public class RestApplication extends Application {}
