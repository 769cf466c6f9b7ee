package org.groupcrm.core.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.groupcrm.core.internal.plugin.PluginAdmin;
import org.groupcrm.core.internal.plugin.PluginDTO;

/** {@code crm:plugin-list}: installed and available plugin features. */
@Service
@Command(scope = "crm", name = "plugin-list", description = "Lists the installed and available CRM plugin features")
public class PluginListCommand implements Action {
    @Reference
    PluginAdmin plugins;

    @Override
    public Object execute() throws Exception {
        ShellTable table = new ShellTable();
        table.column("Feature");
        table.column("Installed");
        table.column("Available");
        table.column("Modules");
        table.column("Description");
        for (PluginDTO p : plugins.list(ShellCaller.current(null))) {
            table.addRow().addContent(p.feature, p.installedVersion == null ? "" : p.installedVersion,
                    String.join(",", p.versions), String.join(",", p.modules), p.description == null ? "" : p.description);
        }
        table.print(System.out);
        return null;
    }
}
