package org.groupcrm.core.internal.rest;

import java.security.Principal;

import javax.ws.rs.NotAuthorizedException;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;

/** The authenticated caller of a request, as the authentication filter put it into the security context. */
public final class Callers {
    private Callers() {
    }

    /** A principal carrying the caller context. */
    public record CallerPrincipal(CallerContext caller) implements Principal {
        @Override
        public String getName() {
            return caller.login();
        }
    }

    public static CallerContext of(SecurityContext sc) {
        Principal p = sc == null ? null : sc.getUserPrincipal();
        if (p instanceof CallerPrincipal cp) {
            return cp.caller();
        }
        throw new NotAuthorizedException("Basic realm=\"CRM\"");
    }
}
