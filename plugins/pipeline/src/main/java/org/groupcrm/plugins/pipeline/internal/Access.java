package org.groupcrm.plugins.pipeline.internal;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.RightsService;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.api.user.UserDTO;
import org.groupcrm.core.api.user.UserService;

/**
 * Who sees which record in the pipeline: everything is scoped to the caller's subsidiary; a rep sees and works on the
 * opportunities and orders they own, managers (the core's {@link Roles#MANAGER} position, the subsidiary's
 * administrators and group administrators) the whole subsidiary. What a caller may do with a type of record is a
 * right ({@link PipelineModule#RESOURCE_TYPES}), checked through the core's {@link RightsService}.
 */
final class Access {
    private Access() {
    }

    /** @return whether the caller sees every record of the subsidiary rather than only their own */
    static boolean seesSubsidiary(CallerContext caller) {
        return caller.hasRole(Roles.GROUP_ADMIN) || caller.hasRole(Roles.SUBSIDIARY_ADMIN) || caller.hasRole(Roles.MANAGER);
    }

    /** @return whether the caller may see or change a record owned by {@code owner} */
    static boolean mayAccess(CallerContext caller, String owner) {
        return seesSubsidiary(caller) || caller.login().equals(owner);
    }

    /**
     * @param requested the rep a record of {@code type} should belong to, or {@code null} for the caller
     * @return the rep: the caller, or (with the {@link Right#REVIEW} right over {@code type}) another active user of
     *         the subsidiary
     * @throws ForbiddenException  ({@code missing_right}) the caller names someone else without that right
     * @throws ValidationException {@code field}: no active user of that login in the subsidiary
     */
    static String rep(RightsService rights, UserService users, CallerContext caller, String type, String requested,
            String subsidiary, String field) {
        if (requested == null || requested.equals(caller.login())) {
            return caller.login();
        }
        rights.require(caller, type, Right.REVIEW);
        UserDTO user = users.findByLogin(requested).orElse(null);
        boolean inSubsidiary = user != null && !Boolean.FALSE.equals(user.enabled)
                && (subsidiary.equals(user.homeSubsidiary) || (user.subsidiaries != null && user.subsidiaries.contains(subsidiary)));
        if (!inSubsidiary) {
            throw new ValidationException(field, "no active user '" + requested + "' in subsidiary " + subsidiary);
        }
        return requested;
    }
}
