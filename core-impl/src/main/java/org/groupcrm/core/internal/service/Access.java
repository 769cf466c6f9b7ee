package org.groupcrm.core.internal.service;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.user.Roles;

/** Role checks shared by the core services. */
final class Access {
    private Access() {
    }

    static void requireGroupAdmin(CallerContext caller, String action) {
        if (!caller.hasRole(Roles.GROUP_ADMIN)) {
            throw new ForbiddenException("only group administrators may " + action);
        }
    }

    static void requireAdmin(CallerContext caller, String action) {
        if (!isAdmin(caller)) {
            throw new ForbiddenException("only administrators may " + action);
        }
    }

    static boolean isAdmin(CallerContext caller) {
        return caller.hasRole(Roles.GROUP_ADMIN) || caller.hasRole(Roles.SUBSIDIARY_ADMIN);
    }
}
