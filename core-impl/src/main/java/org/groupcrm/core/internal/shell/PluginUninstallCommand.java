package org.groupcrm.core.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.groupcrm.core.internal.plugin.PluginAdmin;

/** {@code crm:plugin-uninstall [--dry-run] <feature>}: uninstalls a plugin feature; its data stays. */
@Service
@Command(scope = "crm", name = "plugin-uninstall", description = "Uninstalls a CRM plugin feature (its data stays)")
public class PluginUninstallCommand implements Action {
    @Argument(index = 0, name = "feature", description = "Plugin feature, crm-plugin-<name>", required = true)
    String feature;

    @Option(name = "--dry-run", description = "Only show the plan and whether it is allowed")
    boolean dryRun;

    @Reference
    PluginAdmin plugins;

    @Override
    public Object execute() throws Exception {
        PluginPlans.print(plugins.uninstall(ShellCaller.current(null), feature, dryRun));
        return null;
    }
}
