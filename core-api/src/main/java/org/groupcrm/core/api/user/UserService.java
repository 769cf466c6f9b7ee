package org.groupcrm.core.api.user;

import java.util.List;
import java.util.Optional;

import org.groupcrm.core.api.CallerContext;
import org.osgi.annotation.versioning.ProviderType;

/** CRM users. Thread-safe; every method runs in its own transaction. */
@ProviderType
public interface UserService {

    /**
     * Creates a user with a hashed password. A group administrator may create any user; a subsidiary administrator
     * only users of their own home subsidiary (home and further subsidiaries), and never a group administrator.
     *
     * @throws org.groupcrm.core.api.ValidationException a field is missing or malformed, a subsidiary or role is unknown
     * @throws org.groupcrm.core.api.ConflictException   the login is taken ({@code duplicate})
     * @throws org.groupcrm.core.api.ForbiddenException  the caller may not create this user
     */
    UserDTO create(CallerContext caller, UserDTO user);

    /**
     * @return the users the caller administers, by login: every user for a group administrator; for a subsidiary
     *         administrator those who may act in the caller's current subsidiary
     * @throws org.groupcrm.core.api.ForbiddenException the caller is no administrator
     */
    List<UserDTO> list(CallerContext caller);

    /** @return the user with this login, if any; no access check, never exposes the password */
    Optional<UserDTO> findByLogin(String login);

    /**
     * Disables or enables a user. A disabled user can no longer sign in (passwords and API tokens alike, from the next
     * request); their records stay and keep their owner until reassigned. Administrators only: a subsidiary's
     * administrators for users whose home is their subsidiary (never group administrators); nobody for themselves.
     *
     * @throws org.groupcrm.core.api.NotFoundException   no such user
     * @throws org.groupcrm.core.api.ForbiddenException  the caller may not manage that user
     * @throws org.groupcrm.core.api.ValidationException the caller names themselves
     */
    UserDTO setEnabled(CallerContext caller, String login, boolean enabled);

    /**
     * Puts a user in a sales team of their home subsidiary, or (with {@code team == null}) in none. Administrators
     * only, for the users they manage, as for {@link #setEnabled}.
     *
     * @throws org.groupcrm.core.api.NotFoundException   no such user, or one the caller does not manage
     * @throws org.groupcrm.core.api.ForbiddenException  the caller is no administrator
     * @throws org.groupcrm.core.api.ValidationException {@code team}: malformed; {@code login}: the user has no home
     *                                                   subsidiary (group administrators are in no team)
     */
    UserDTO setTeam(CallerContext caller, String login, String team);

    /**
     * Sets the reps a sales assistant works for (replacing the previous set; empty for none). Administrators only, for
     * the users they manage.
     *
     * @throws org.groupcrm.core.api.NotFoundException   no such user, or one the caller does not manage
     * @throws org.groupcrm.core.api.ForbiddenException  the caller is no administrator
     * @throws org.groupcrm.core.api.ValidationException {@code login}: not a {@link Roles#SALES_ASSISTANT};
     *                                                   {@code reps}: a login that is no active user of the
     *                                                   assistant's home subsidiary, or the assistant themselves
     */
    UserDTO setReps(CallerContext caller, String login, java.util.Set<String> reps);

    /**
     * @return the logins of the users whose home is subsidiary {@code subsidiary} and who are in team {@code team},
     *         disabled ones included (their records still count for the team), sorted; empty for an unknown team or
     *         subsidiary. No access check: callers decide who may see a team's figures.
     */
    List<String> teamMembers(String subsidiary, String team);
}
