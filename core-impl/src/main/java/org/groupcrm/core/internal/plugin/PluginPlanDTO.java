package org.groupcrm.core.internal.plugin;

import java.util.List;

/**
 * What installing, upgrading or uninstalling a plugin does (dry run) or did: the bundles Karaf installs, updates,
 * uninstalls and would refresh, and whether the platform allows it.
 */
public class PluginPlanDTO {
    public String feature;
    /** {@code install}, {@code upgrade} or {@code uninstall}. */
    public String action;
    public String fromVersion;
    public String toVersion;
    public boolean dryRun;
    /** Whether the change may go ahead: it fits the core API and refreshes no bundle outside the plugin. */
    public boolean allowed;
    /** Why it may not, one sentence each; empty when allowed. */
    public List<String> reasons;
    public List<String> bundlesToInstall;
    public List<String> bundlesToUpdate;
    public List<String> bundlesToUninstall;
    /** Bundles Karaf would refresh; a plugin change is refused when any of them is not the plugin's own. */
    public List<String> bundlesToRefresh;
    /** Time taken by the plan (dry run) or by the whole change, in milliseconds. */
    public long millis;
}
