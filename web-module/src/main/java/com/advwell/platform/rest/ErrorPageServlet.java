package com.advwell.platform.rest;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The web application's error page (web.xml): whatever the servlet container answers by itself for this application
 * (an unknown path, a method or a static resource it refuses, a failure outside JAX-RS) becomes the same problem
 * document the JAX-RS mapper writes, instead of the container's HTML page naming the server.
 */
public class ErrorPageServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // service(), not doGet(): the error dispatch keeps the failed request's method, whatever it was
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        Problem problem;
        if (failure instanceof Throwable t) {
            problem = Problems.of(t);
        } else if (code instanceof Integer status && status >= 400 && status < 600) {
            problem = Problems.ofStatus(status);
        } else {
            // a direct request for the error page's own path (/error): just an unknown path
            problem = Problems.ofStatus(HttpServletResponse.SC_NOT_FOUND);
        }
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(problem.status());
        response.setContentType(Problem.MEDIA_TYPE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (problem.retryAfterSeconds() != null) {
            response.setHeader("Retry-After", problem.retryAfterSeconds().toString());
        }
        if (problem.status() == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"advwell\"");
        }
        // written for HEAD too (the connector drops the body): an error response with no content makes the
        // container add its own HTML error report after this page
        response.getWriter().write(problem.toJson());
    }
}
