package com.advwell.security.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads {@code Authorization: Bearer <api key>} and asks the identity store. It never answers by itself: a missing
 * or bad key leaves the request anonymous (with the reason noted), and the authorization filter answers 401 as
 * {@code application/problem+json} for every resource that needs a caller.
 */
@ApplicationScoped
public class ApiKeyAuthenticationMechanism implements HttpAuthenticationMechanism {

    private static final Logger LOG = Logger.getLogger(ApiKeyAuthenticationMechanism.class.getName());
    private static final String BEARER = "bearer ";

    @Inject
    IdentityStoreHandler identityStores;

    @Inject
    CurrentCaller currentCaller;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            currentCaller.rejected("no API key: send Authorization: Bearer <key>");
            return context.doNothing();
        }
        if (header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            currentCaller.rejected("the Authorization header must use the Bearer scheme");
            return context.doNothing();
        }
        CredentialValidationResult result;
        try {
            result = identityStores.validate(new ApiKeyCredential(header.substring(BEARER.length()).strip()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "API key validation failed", e);
            currentCaller.unavailable("authentication is temporarily unavailable; retry shortly");
            return context.doNothing();
        }
        if (result.getStatus() != CredentialValidationResult.Status.VALID) {
            currentCaller.rejected("the API key is unknown or revoked");
            return context.doNothing();
        }
        return context.notifyContainerAboutLogin(result);
    }
}
