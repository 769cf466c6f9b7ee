package org.groupcrm.core.api;

import java.util.Objects;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Who is calling and in which subsidiary: passed explicitly to every service method that reads or writes
 * business records. The REST edge builds it from the authenticated user and the {@code X-Subsidiary} header;
 * services never trust anything else about the caller.
 *
 * @param userId      database id of the authenticated user, never {@code null}
 * @param login       login of the authenticated user, never {@code null}
 * @param subsidiary  code of the subsidiary the request acts in, or {@code null} when none was selected
 *                    (only possible for callers without a home subsidiary, e.g. group administrators)
 * @param roles       roles of the caller (see {@link org.groupcrm.core.api.user.Roles}), never {@code null}
 */
@ProviderType
public record CallerContext(long userId, String login, String subsidiary, Set<String> roles) {

    public CallerContext {
        Objects.requireNonNull(login, "login");
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    /** @return whether the caller holds {@code role} */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /**
     * @return the selected subsidiary code
     * @throws SubsidiaryRequiredException when the request selected none
     */
    public String requireSubsidiary() {
        if (subsidiary == null) {
            throw new SubsidiaryRequiredException();
        }
        return subsidiary;
    }
}
