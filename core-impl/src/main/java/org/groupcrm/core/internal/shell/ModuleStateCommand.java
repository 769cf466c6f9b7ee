package org.groupcrm.core.internal.shell;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.groupcrm.core.api.module.ModuleService;
import org.groupcrm.core.api.module.ModuleState;
import org.groupcrm.core.api.module.ModuleStateDTO;

/**
 * {@code crm:module-state <subsidiary> <module> [OFF|PILOT|ON] [--pilot a,b] [--from 2026-12-01]}: shows or changes a
 * module's state in a subsidiary, in force at once; without a state, prints the state and its history.
 */
@Service
@Command(scope = "crm", name = "module-state", description = "Shows or changes the state of a CRM module in a subsidiary")
public class ModuleStateCommand implements Action {
    @Argument(index = 0, name = "subsidiary", description = "Subsidiary code", required = true)
    String subsidiary;

    @Argument(index = 1, name = "module", description = "Module id", required = true)
    String module;

    @Argument(index = 2, name = "state", description = "OFF, PILOT or ON; omit to show the history", required = false)
    String state;

    @Option(name = "--pilot", description = "Pilot users' logins, comma-separated (PILOT only)")
    String pilots;

    @Option(name = "--from", description = "First day in force, yyyy-mm-dd, in the subsidiary's time zone")
    String from;

    @Reference
    ModuleService modules;

    @Override
    public Object execute() {
        if (state == null) {
            for (ModuleStateDTO h : modules.history(ShellCaller.current(subsidiary), subsidiary, module)) {
                System.out.println(h.changedAt + "  " + h.changedBy + "  " + h.previous + " -> " + h.state
                        + (h.pilotUsers.isEmpty() ? "" : " pilots " + String.join(",", h.pilotUsers))
                        + (h.from == null ? "" : " from " + h.from));
            }
            return null;
        }
        ModuleStateDTO change = new ModuleStateDTO();
        try {
            change.state = ModuleState.valueOf(state.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("state must be OFF, PILOT or ON, not " + state);
        }
        change.pilotUsers = pilots == null ? new TreeSet<>()
                : new TreeSet<>(Arrays.stream(pilots.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
        try {
            change.from = from == null ? null : LocalDate.parse(from.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--from must be a date yyyy-mm-dd, not " + from);
        }
        ModuleStateDTO result = modules.setState(ShellCaller.current(subsidiary), subsidiary, module, change);
        System.out.println("Module " + module + " in " + subsidiary + " is now " + result.state
                + (result.pilotUsers.isEmpty() ? "" : " for " + String.join(",", List.copyOf(result.pilotUsers)))
                + (result.from == null ? "" : " from " + result.from));
        return null;
    }
}
