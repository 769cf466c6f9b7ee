package org.groupcrm.core.api.module;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

import javax.validation.constraints.NotNull;

/**
 * A module's state in one subsidiary. Writable: {@code state}, {@code pilotUsers} (logins; PILOT only),
 * {@code from} (first day in force, in the subsidiary's time zone; {@code null} = at once). Read-only: {@code module},
 * {@code subsidiary}, {@code previous} (history only), {@code inForce} (for the caller, now), {@code changedBy},
 * {@code changedAt}.
 */
public class ModuleStateDTO {
    public String module;
    public String subsidiary;

    @NotNull
    public ModuleState state;

    public Set<String> pilotUsers;
    public LocalDate from;

    /** In history entries: the state before this change. */
    public ModuleState previous;

    public Boolean inForce;
    public String changedBy;
    public Instant changedAt;
}
