package org.groupcrm.core.api.module;

import java.util.List;
import java.util.Set;

/** An installed module as the administration sees it, with its state in the subsidiary asked about. */
public class ModuleDTO {
    public String id;
    public String name;
    public String version;
    public String description;
    public Set<String> requires;
    public String coreApiRange;
    /** The types of record the module contributes, with their default rights. */
    public List<ResourceType> resourceTypes;
    /** Whether the running core API is within {@link #coreApiRange}; an incompatible module is never in force. */
    public boolean compatible;
    public ModuleStateDTO state;
}
