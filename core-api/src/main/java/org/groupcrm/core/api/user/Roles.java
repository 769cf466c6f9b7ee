package org.groupcrm.core.api.user;

import java.util.Set;

/**
 * The positions (role names) known to the core. A user holds one or more. What each sees:
 * <ul>
 * <li>{@link #GROUP_ADMIN}, {@link #SUBSIDIARY_ADMIN}, {@link #MANAGER}, {@link #SERVICE_AGENT} and {@link #FINANCE}
 * see every customer of the subsidiary they act in (and what hangs off it);</li>
 * <li>a sales rep ({@link #USER}) sees the customers they own, and where their home subsidiary's record visibility
 * is {@link org.groupcrm.core.api.subsidiary.RecordVisibility#TEAM} also those of their sales team (reading only);</li>
 * <li>a {@link #SALES_ASSISTANT} sees their own and those of the reps they are assigned to, and enters records on
 * those reps' behalf.</li>
 * </ul>
 * Only administrators and managers enter records for another owner; only administrators manage users.
 */
public final class Roles {
    /** Administers the whole group: subsidiaries, every user, every subsidiary's data. */
    public static final String GROUP_ADMIN = "group-admin";
    /** Administers the users of the subsidiaries they may act in. */
    public static final String SUBSIDIARY_ADMIN = "subsidiary-admin";
    /** A sales rep: the default position of a new user. */
    public static final String USER = "user";
    /** Leads the subsidiary's sales: sees and supervises every rep's records. */
    public static final String MANAGER = "manager";
    /** Enters and follows up records for the reps they are assigned to. */
    public static final String SALES_ASSISTANT = "sales-assistant";
    /** Serves every customer of the subsidiary (service desk). */
    public static final String SERVICE_AGENT = "service-agent";
    /** Books receipts and follows receivables of every customer of the subsidiary. */
    public static final String FINANCE = "finance";

    /** Every role the core accepts. */
    public static final Set<String> ALL = Set.of(GROUP_ADMIN, SUBSIDIARY_ADMIN, USER, MANAGER, SALES_ASSISTANT,
            SERVICE_AGENT, FINANCE);

    /** The positions that see every customer of the subsidiary they act in. */
    public static final Set<String> SEE_SUBSIDIARY = Set.of(GROUP_ADMIN, SUBSIDIARY_ADMIN, MANAGER, SERVICE_AGENT,
            FINANCE);

    /** The positions that enter records for any owner of the subsidiary. */
    public static final Set<String> ENTER_FOR_ANYONE = Set.of(GROUP_ADMIN, SUBSIDIARY_ADMIN, MANAGER);

    private Roles() {
    }
}
