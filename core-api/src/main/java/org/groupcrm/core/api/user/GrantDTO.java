package org.groupcrm.core.api.user;

import java.time.Instant;
import java.util.Set;

/**
 * The rights one position holds over one resource type in one subsidiary. Writable (through
 * {@link RightsService#grant}): {@code rights}. Read-only: everything else. Changes are audited as entity
 * {@code right-grant}, id {@code <resourceType>/<position>}.
 */
public class GrantDTO {
    /** The resource type, e.g. {@code core.customer} or {@code pipeline.opportunity}. */
    public String resourceType;
    /** The module that contributes the type: {@code core} for the core's own. */
    public String module;
    /** The position (a role of {@link Roles#ALL}). */
    public String position;
    public String subsidiary;
    /** The rights in force; sorted in the order of {@link Right}. */
    public Set<Right> rights;
    /** What ships with the product (the core or the module), in force when the subsidiary has not adjusted it. */
    public Set<Right> defaultRights;
    /** Whether the subsidiary adjusted this grant (then {@code changedBy} and {@code changedAt} say who and when). */
    public Boolean adjusted;
    /** Whether the grant can be adjusted at all ({@code false} for group administrators, who hold every right). */
    public Boolean adjustable;
    public String changedBy;
    public Instant changedAt;
}
