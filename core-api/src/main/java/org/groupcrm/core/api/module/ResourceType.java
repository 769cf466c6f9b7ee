package org.groupcrm.core.api.module;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.Roles;

/**
 * A type of record a module contributes, with the rights each position gets by default. Subsidiaries may adjust
 * the grants; these are only what ships.
 *
 * @param id            stable id, {@code <module id>.<type>}, e.g. {@code pipeline.opportunity}
 * @param name          human-readable name
 * @param defaultGrants position ({@link Roles#ALL}, e.g. {@link Roles#USER} for sales reps) → rights; positions not
 *                      named get none; group administrators always hold every right
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
        for (String position : defaultGrants.keySet()) {
            if (!Roles.ALL.contains(position)) {
                throw new IllegalArgumentException("resource type " + id + " grants rights to '" + position
                        + "', which is not a position; use one of " + new java.util.TreeSet<>(Roles.ALL));
            }
        }
    }
}
