package org.groupcrm.core.internal.plugin;

import java.util.List;

/** A plugin feature as the administration sees it: its versions in the registered repositories, and what runs. */
public class PluginDTO {
    /** Feature name, {@code crm-plugin-<name>}. */
    public String feature;
    public String description;
    /** The installed version, or {@code null} when the plugin is only available. */
    public String installedVersion;
    /** Every version the registered feature repositories offer, oldest first. */
    public List<String> versions;
    /** Ids of the modules the installed version's bundles provide right now. */
    public List<String> modules;
}
