package org.groupcrm.core.api.module;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Bookkeeping for module authors: pass the descriptive values once; provisioning does nothing unless overridden.
 * A subclass is typically a DS component with {@code service = CrmModule.class}.
 */
public abstract class AbstractCrmModule implements CrmModule {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,39}");
    private final String id;
    private final String name;
    private final String version;
    private final String description;
    private final Set<String> requires;
    private final String coreApiRange;
    private final List<ResourceType> resourceTypes;

    /** A module without resource types of its own. */
    protected AbstractCrmModule(String id, String name, String version, String description, Set<String> requires,
            String coreApiRange) {
        this(id, name, version, description, requires, coreApiRange, List.of());
    }

    /**
     * @throws IllegalArgumentException when {@code id} is not lower case letters, digits and '-' (2 to 40), or a
     *                                  resource type's id does not start with {@code id + "."}
     */
    protected AbstractCrmModule(String id, String name, String version, String description, Set<String> requires,
            String coreApiRange, List<ResourceType> resourceTypes) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("module id must match " + ID.pattern() + ": " + id);
        }
        this.id = id;
        this.name = Objects.requireNonNull(name, "name");
        this.version = Objects.requireNonNull(version, "version");
        this.description = Objects.requireNonNull(description, "description");
        this.requires = Set.copyOf(requires);
        this.coreApiRange = Objects.requireNonNull(coreApiRange, "coreApiRange");
        this.resourceTypes = List.copyOf(resourceTypes);
        for (ResourceType t : this.resourceTypes) {
            if (!t.id().startsWith(id + ".")) {
                throw new IllegalArgumentException("resource type " + t.id() + " must start with " + id + ".");
            }
        }
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String version() {
        return version;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final Set<String> requires() {
        return requires;
    }

    @Override
    public final String coreApiRange() {
        return coreApiRange;
    }

    @Override
    public final List<ResourceType> resourceTypes() {
        return resourceTypes;
    }

    @Override
    public void provision(String subsidiary) {
    }

    @Override
    public void deprovision(String subsidiary) {
    }
}
