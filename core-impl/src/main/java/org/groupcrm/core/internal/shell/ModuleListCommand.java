package org.groupcrm.core.internal.shell;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.groupcrm.core.api.module.ModuleDTO;
import org.groupcrm.core.api.module.ModuleService;
import org.groupcrm.core.api.module.ModuleStateDTO;
import org.groupcrm.core.api.subsidiary.SubsidiaryDTO;
import org.groupcrm.core.api.subsidiary.SubsidiaryService;

/** {@code crm:module-list [subsidiary]}: installed modules, and their state in every (or one) subsidiary. */
@Service
@Command(scope = "crm", name = "module-list", description = "Lists the installed CRM modules and their state per subsidiary")
public class ModuleListCommand implements Action {
    @Argument(index = 0, name = "subsidiary", description = "Only this subsidiary (code)", required = false)
    String subsidiary;

    @Reference
    ModuleService modules;

    @Reference
    SubsidiaryService subsidiaries;

    @Override
    public Object execute() {
        ShellTable modulesTable = new ShellTable();
        modulesTable.column("Module");
        modulesTable.column("Version");
        modulesTable.column("Requires");
        modulesTable.column("Core API");
        modulesTable.column("Compatible");
        modulesTable.column("Name");
        List<ModuleDTO> installed = modules.installed(ShellCaller.current(null));
        for (ModuleDTO m : installed) {
            modulesTable.addRow().addContent(m.id, m.version, String.join(",", m.requires), m.coreApiRange,
                    m.compatible ? "yes" : "NO", m.name);
        }
        modulesTable.print(System.out);
        if (installed.isEmpty()) {
            return null;
        }
        ShellTable states = new ShellTable();
        states.column("Subsidiary");
        states.column("Module");
        states.column("State");
        states.column("Pilot users");
        states.column("From");
        List<String> codes = subsidiary != null ? List.of(subsidiary)
                : subsidiaries.list(ShellCaller.current(null)).stream().map(s -> s.code).sorted().toList();
        for (String code : codes) {
            for (ModuleStateDTO s : modules.states(ShellCaller.current(code), code)) {
                states.addRow().addContent(code, s.module, s.state, String.join(",", s.pilotUsers),
                        s.from == null ? "" : s.from.toString());
            }
        }
        System.out.println();
        states.print(System.out);
        return null;
    }
}
