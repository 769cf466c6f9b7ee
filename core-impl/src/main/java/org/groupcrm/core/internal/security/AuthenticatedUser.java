package org.groupcrm.core.internal.security;

import java.util.Set;

/**
 * A user whose credentials were verified: what the REST edge needs to build a caller context.
 *
 * @param subsidiaries codes of every subsidiary the user may act in, home subsidiary included
 */
public record AuthenticatedUser(long id, String login, String homeSubsidiary, Set<String> subsidiaries, Set<String> roles) {
    public AuthenticatedUser {
        subsidiaries = Set.copyOf(subsidiaries);
        roles = Set.copyOf(roles);
    }
}
