package org.groupcrm.core.api.module;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.groupcrm.core.api.user.Right;

/**
 * A type of record a module contributes, with the rights each position gets by default. Subsidiaries may adjust
 * the grants; these are only what ships.
 *
 * @param id            stable id, {@code <module id>.<type>}, e.g. {@code pipeline.opportunity}
 * @param name          human-readable name
 * @param defaultGrants position id (e.g. {@code sales-rep}) → rights; positions not named get none
 */
public record ResourceType(String id, String name, Map<String, Set<Right>> defaultGrants) {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{1,39}\\.[a-z][a-z0-9-]{0,39}");

    /** @throws IllegalArgumentException when the id is not {@code <module>.<type>} in lower case */
    public ResourceType {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("resource type id must match " + ID.pattern() + ": " + id);
        }
        Objects.requireNonNull(name, "name");
        defaultGrants = defaultGrants == null ? Map.of() : Map.copyOf(defaultGrants);
        defaultGrants.values().forEach(Objects::requireNonNull);
    }
}
