package org.groupcrm.core.internal.rest;

import java.security.Principal;

import javax.ws.rs.NotAuthorizedException;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;

/** The authenticated caller of a request, as the authentication filter put it into the security context. */
public final class Callers {
    private Callers() {
    }

    public static CallerContext of(SecurityContext sc) {
        Principal p = sc == null ? null : sc.getUserPrincipal();
        if (p instanceof CallerContext c) {
            return c;
        }
        throw new NotAuthorizedException("Basic realm=\"CRM\"");
    }
}
