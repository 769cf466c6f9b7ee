package org.groupcrm.core.api;

import java.security.Principal;
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
 * <p>
 * In a CRM JAX-RS application (the core's or a module's), the request's
 * {@code SecurityContext.getUserPrincipal()} is the caller's {@code CallerContext}; use {@link #of(Principal)}.
 */
@ProviderType
public record CallerContext(long userId, String login, String subsidiary, Set<String> roles) implements Principal {

    public CallerContext {
        Objects.requireNonNull(login, "login");
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }

    /** @return the login, as a {@link Principal}'s name */
    @Override
    public String getName() {
        return login;
    }

    /**
     * @param principal the user principal of a request in a CRM JAX-RS application
     * @return the caller context it carries
     * @throws IllegalStateException when the request was not authenticated by the CRM (the application does not
     *                               require the CRM's authentication extension)
     */
    public static CallerContext of(Principal principal) {
        if (principal instanceof CallerContext c) {
            return c;
        }
        throw new IllegalStateException("the request was not authenticated by the CRM");
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
