package com.advwell.console.boundary;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Claims the exact path {@code /console}: without it the container answers the directory with its own redirect and
 * HTML page before any filter runs, so without the console's security headers. {@link ConsoleHeadersFilter} answers
 * the request; this only runs if it did not.
 */
@WebServlet("/console")
public class ConsoleRedirectServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendRedirect(request.getContextPath() + "/console/");
    }
}
