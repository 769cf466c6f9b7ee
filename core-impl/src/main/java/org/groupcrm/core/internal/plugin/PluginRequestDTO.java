package org.groupcrm.core.internal.plugin;

import javax.validation.constraints.Pattern;

/** Body of {@code POST /admin/plugins/{feature}} (optional). */
public class PluginRequestDTO {
    /** Version to install or upgrade to; the newest available when absent. */
    @Pattern(regexp = "[0-9]+(\\.[0-9]+){0,2}([.-][A-Za-z0-9_-]+)?", message = "must be a version like 1.2.0")
    public String version;
    /** Only plan: nothing is installed. */
    public boolean dryRun;
}
