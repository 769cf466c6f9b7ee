package org.groupcrm.core.internal.plugin;

import java.time.Instant;

/** One administrative action on a plugin, as kept in the platform's log. */
public class PluginActionDTO {
    public long id;
    public String action;
    public String feature;
    public String fromVersion;
    public String toVersion;
    /** {@code DONE}, {@code REFUSED} or {@code FAILED}. */
    public String outcome;
    public String detail;
    public String performedBy;
    public Instant performedAt;
}
