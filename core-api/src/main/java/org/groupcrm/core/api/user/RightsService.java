package org.groupcrm.core.api.user;

import java.util.List;
import java.util.Set;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.ValidationException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Rights of positions over resource types, per subsidiary. Every resource type, the core's
 * ({@link CoreResourceTypes}) and those installed modules contribute
 * ({@link org.groupcrm.core.api.module.CrmModule#resourceTypes()}), ships default grants per position; each
 * subsidiary may adjust them. A caller holds the union of the rights of their positions in the subsidiary they act
 * in. Group administrators hold every right everywhere, and their grants cannot be adjusted.
 * <p>
 * Rights say what a caller may do with a type of record; which records they see is a separate rule (a rep sees
 * their own customers, a manager the subsidiary's: see {@link Roles}). A module checks both.
 * <p>
 * Threading: thread-safe; {@link #has} and {@link #require} answer from memory and are meant to be called on every
 * request. A change through {@link #grant} or {@link #reset} is in force on the next call.
 */
@ProviderType
public interface RightsService {

    /**
     * @param caller       who asks, in the subsidiary they act in (without one: the shipped defaults apply)
     * @param resourceType an installed resource type, e.g. {@code core.customer}
     * @return whether the caller holds {@code right} over {@code resourceType}; {@code false} for a type that is not
     *         installed (unless the caller is a group administrator)
     */
    boolean has(CallerContext caller, String resourceType, Right right);

    /**
     * @throws ForbiddenException (code {@code missing_right}) the caller does not hold {@code right} over
     *                            {@code resourceType}; the message names both and the caller's positions
     */
    void require(CallerContext caller, String resourceType, Right right);

    /** @return the ids of the installed resource types: the core's, then the modules' */
    List<String> resourceTypes();

    /** @return the rights the caller holds over {@code resourceType} in the subsidiary they act in */
    Set<Right> rightsOf(CallerContext caller, String resourceType);

    /**
     * Every grant in force in a subsidiary: each installed resource type × each position of {@link Roles#ALL}.
     *
     * @throws ForbiddenException the caller is neither a group administrator nor an administrator of that subsidiary
     * @throws NotFoundException  no such subsidiary
     */
    List<GrantDTO> grants(CallerContext caller, String subsidiary);

    /**
     * Adjusts what {@code position} may do with {@code resourceType} in {@code subsidiary}; audited. Nobody grants a
     * right they do not hold themselves over that type.
     *
     * @param rights the complete new set (may be empty: the position may do nothing with the type)
     * @return the grant now in force
     * @throws ValidationException {@code resourceType} not installed, {@code position} unknown or the group
     *                             administrators', {@code rights} missing
     * @throws ForbiddenException  as {@link #grants}, or the caller would grant a right they do not hold
     * @throws NotFoundException   no such subsidiary
     */
    GrantDTO grant(CallerContext caller, String subsidiary, String resourceType, String position, Set<Right> rights);

    /**
     * Drops a subsidiary's adjustment: the shipped default is in force again; audited. Nothing happens when the
     * grant was not adjusted.
     *
     * @return the grant now in force
     * @throws ValidationException as {@link #grant}
     * @throws ForbiddenException  as {@link #grant}, for the default's rights
     * @throws NotFoundException   no such subsidiary
     */
    GrantDTO reset(CallerContext caller, String subsidiary, String resourceType, String position);
}
