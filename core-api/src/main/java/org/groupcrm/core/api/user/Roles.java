package org.groupcrm.core.api.user;

import java.util.Set;

/** The role names known to the core. Positions with finer rights build on these. */
public final class Roles {
    /** Administers the whole group: subsidiaries, every user, every subsidiary's data. */
    public static final String GROUP_ADMIN = "group-admin";
    /** Administers the users of the subsidiaries they may act in. */
    public static final String SUBSIDIARY_ADMIN = "subsidiary-admin";
    /** An ordinary CRM user (rep, assistant, agent...). */
    public static final String USER = "user";

    /** Every role the core accepts. */
    public static final Set<String> ALL = Set.of(GROUP_ADMIN, SUBSIDIARY_ADMIN, USER);

    private Roles() {
    }
}
