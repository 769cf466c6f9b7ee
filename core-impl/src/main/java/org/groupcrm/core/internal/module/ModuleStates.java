package org.groupcrm.core.internal.module;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.groupcrm.core.api.module.ModuleState;

/**
 * A module's state in one subsidiary as the gate needs it, held in memory. Immutable.
 *
 * @param from first day in force (in the subsidiary's time zone), or {@code null} for at once
 */
record ModuleStates(ModuleState state, Set<String> pilotUsers, LocalDate from) {
    static final ModuleStates OFF = new ModuleStates(ModuleState.OFF, Set.of(), null);

    ModuleStates {
        pilotUsers = Set.copyOf(pilotUsers);
    }

    /** @return whether the module is in force for {@code login} on {@code today} */
    boolean inForce(String login, LocalDate today) {
        if (from != null && today.isBefore(from)) {
            return false;
        }
        return switch (state) {
            case ON -> true;
            case PILOT -> pilotUsers.contains(login);
            case OFF -> false;
        };
    }

    /** @return whether, wherever this state puts a module in force, {@code required} puts its module in force too */
    boolean coveredBy(ModuleStates required) {
        if (state == ModuleState.OFF) {
            return true;
        }
        boolean startsInTime = required.from == null || (from != null && !from.isBefore(required.from));
        return switch (required.state) {
            case ON -> startsInTime;
            case PILOT -> state == ModuleState.PILOT && required.pilotUsers.containsAll(pilotUsers) && startsInTime;
            case OFF -> false;
        };
    }

    static String join(Set<String> logins) {
        return String.join(",", new TreeSet<>(logins));
    }

    static Set<String> split(String logins) {
        return logins == null || logins.isBlank() ? Set.of()
                : Arrays.stream(logins.split(",")).filter(s -> !s.isBlank()).collect(Collectors.toSet());
    }
}
