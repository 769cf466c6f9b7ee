package org.groupcrm.core.internal.shell;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.groupcrm.core.internal.plugin.PluginAdmin;

/** {@code crm:plugin-install [--dry-run] [--version v] <feature>}: installs or upgrades a plugin feature. */
@Service
@Command(scope = "crm", name = "plugin-install", description = "Installs a CRM plugin feature, or upgrades it to a version,"
        + " without refreshing any core bundle")
public class PluginInstallCommand implements Action {
    @Argument(index = 0, name = "feature", description = "Plugin feature, crm-plugin-<name>", required = true)
    String feature;

    @Option(name = "--version", description = "Version to install or upgrade to (default: the newest)")
    String version;

    @Option(name = "--dry-run", description = "Only show the plan and whether it is allowed")
    boolean dryRun;

    @Reference
    PluginAdmin plugins;

    @Override
    public Object execute() throws Exception {
        PluginPlans.print(plugins.install(ShellCaller.current(null), feature, version, dryRun));
        return null;
    }
}
