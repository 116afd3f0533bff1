package com.advwell.console.boundary;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Puts the console's security headers on every {@code /console} response, sends {@code /console} to
 * {@code /console/} and serves {@code index.html} there. The policy allows only this replica's own files, no inline
 * script or style and no framing, so an injected string cannot run and the page cannot be clickjacked.
 */
@WebFilter(urlPatterns = {"/console", "/console/*"})
public class ConsoleHeadersFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("X-Frame-Options", "DENY");
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        if (path.equals("/console")) {
            response.setHeader("Cache-Control", "no-store");
            // a relative Location: the browser keeps the scheme and host it used (the edge proxy's, not ours)
            response.setStatus(HttpServletResponse.SC_FOUND);
            response.setHeader("Location", request.getContextPath() + "/console/");
            return;
        }
        // the page must always be the replica's current one; its modules are revalidated (cheap: ETag, 304)
        response.setHeader("Cache-Control", isPage(path) ? "no-store" : "no-cache");
        if (path.equals("/console/")) {
            request.getRequestDispatcher("/console/index.html").forward(request, response);
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean isPage(String path) {
        return path.equals("/console/") || path.equals("/console/index.html");
    }
}
