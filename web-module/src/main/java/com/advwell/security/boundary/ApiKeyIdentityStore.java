package com.advwell.security.boundary;

import com.advwell.security.control.Caller;
import com.advwell.security.control.KnownCallers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.CallerPrincipal;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.util.Optional;
import java.util.Set;

/**
 * Validates API keys against their stored digests, through this replica's memory of resolved keys
 * ({@link KnownCallers}); the caller's group is its role.
 */
@ApplicationScoped
public class ApiKeyIdentityStore implements IdentityStore {

    @Inject
    KnownCallers knownCallers;

    @Inject
    CurrentCaller currentCaller;

    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof ApiKeyCredential apiKey)) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        Optional<Caller> caller = knownCallers.authenticate(apiKey.key());
        if (caller.isEmpty()) {
            return CredentialValidationResult.INVALID_RESULT;
        }
        currentCaller.authenticated(caller.get());
        return new CredentialValidationResult(new CallerPrincipal(caller.get().clientId()),
                Set.of(caller.get().role().wireName()));
    }
}
