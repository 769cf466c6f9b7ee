package org.groupcrm.core.api.user;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.groupcrm.core.api.module.ResourceType;

/**
 * The core's resource types and the rights each position holds over them by default (what a subsidiary has until it
 * adjusts them through {@link RightsService}).
 * <ul>
 * <li>{@code ENTER} creates, {@code QUERY} reads and lists, {@code MODIFY} changes, completes and archives;</li>
 * <li>{@link #CUSTOMER}'s {@code ADMIN} reassigns customers between owners;</li>
 * <li>{@link #USER}'s {@code QUERY} lists the subsidiary's users, {@code ADMIN} creates, disables and enables them,
 * puts them in teams and assigns assistants;</li>
 * <li>{@link #AUDIT}'s {@code QUERY} reads the audit trail.</li>
 * </ul>
 */
public final class CoreResourceTypes {
    public static final String CUSTOMER = "core.customer";
    public static final String CONTACT = "core.contact";
    public static final String ACTIVITY = "core.activity";
    public static final String USER = "core.user";
    public static final String AUDIT = "core.audit";

    private static final Set<Right> WORK = EnumSet.of(Right.ENTER, Right.QUERY, Right.MODIFY);
    private static final Set<Right> SUPERVISE = EnumSet.of(Right.ENTER, Right.REVIEW, Right.QUERY, Right.MODIFY);
    private static final Set<Right> ALL_RIGHTS = EnumSet.allOf(Right.class);

    /** The core's types with their default grants. */
    public static final List<ResourceType> ALL = List.of(
            new ResourceType(CUSTOMER, "Customer", Map.of(Roles.USER, WORK, Roles.SALES_ASSISTANT, WORK,
                    Roles.SERVICE_AGENT, WORK, Roles.FINANCE, EnumSet.of(Right.QUERY), Roles.MANAGER, SUPERVISE,
                    Roles.SUBSIDIARY_ADMIN, ALL_RIGHTS)),
            new ResourceType(CONTACT, "Contact", Map.of(Roles.USER, WORK, Roles.SALES_ASSISTANT, WORK,
                    Roles.SERVICE_AGENT, WORK, Roles.FINANCE, EnumSet.of(Right.QUERY), Roles.MANAGER, SUPERVISE,
                    Roles.SUBSIDIARY_ADMIN, ALL_RIGHTS)),
            new ResourceType(ACTIVITY, "Activity", Map.of(Roles.USER, WORK, Roles.SALES_ASSISTANT, WORK,
                    Roles.SERVICE_AGENT, WORK, Roles.FINANCE, WORK, Roles.MANAGER, SUPERVISE,
                    Roles.SUBSIDIARY_ADMIN, ALL_RIGHTS)),
            new ResourceType(USER, "User", Map.of(Roles.MANAGER, EnumSet.of(Right.QUERY),
                    Roles.SUBSIDIARY_ADMIN, ALL_RIGHTS)),
            new ResourceType(AUDIT, "Audit trail", Map.of(Roles.SUBSIDIARY_ADMIN, EnumSet.of(Right.QUERY))));

    private CoreResourceTypes() {
    }
}
