package org.groupcrm.plugins.pipeline.internal;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.module.ResourceType;
import org.groupcrm.core.api.user.GrantDTO;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.RightsService;
import org.groupcrm.core.api.user.Roles;

/**
 * The rights of the pipeline's resource types without the core: the module's default grants
 * ({@link PipelineModule#RESOURCE_TYPES}), which a test may adjust per subsidiary as a subsidiary's administrators do,
 * applied as the core applies them (the union of the caller's positions in the subsidiary they act in; group
 * administrators hold every right; a type that is not the pipeline's grants nothing). Administration of the grants
 * is not the plugin's business.
 */
final class ModuleRights implements RightsService {
    private final Map<String, ResourceType> types = new HashMap<>();
    /** subsidiary → type → position → rights */
    private final Map<String, Map<String, Map<String, Set<Right>>>> adjusted = new HashMap<>();

    ModuleRights() {
        PipelineModule.RESOURCE_TYPES.forEach(t -> types.put(t.id(), t));
    }

    /** As {@link RightsService#grant}: {@code position} holds exactly {@code rights} over {@code type} there. */
    ModuleRights adjust(String subsidiary, String type, String position, Right... rights) {
        Set<Right> set = EnumSet.noneOf(Right.class);
        set.addAll(List.of(rights));
        adjusted.computeIfAbsent(subsidiary, s -> new HashMap<>()).computeIfAbsent(type, t -> new HashMap<>())
                .put(position, set);
        return this;
    }

    @Override
    public boolean has(CallerContext caller, String resourceType, Right right) {
        return rightsOf(caller, resourceType).contains(right);
    }

    @Override
    public void require(CallerContext caller, String resourceType, Right right) {
        if (!has(caller, resourceType, right)) {
            throw new ForbiddenException("missing_right", "the " + right + " right over " + resourceType
                    + " is not granted to your positions " + new TreeSet<>(caller.roles()));
        }
    }

    @Override
    public List<String> resourceTypes() {
        return PipelineModule.RESOURCE_TYPES.stream().map(ResourceType::id).toList();
    }

    @Override
    public Set<Right> rightsOf(CallerContext caller, String resourceType) {
        if (caller.hasRole(Roles.GROUP_ADMIN)) {
            return EnumSet.allOf(Right.class);
        }
        ResourceType type = types.get(resourceType);
        if (type == null) {
            return Set.of();
        }
        Map<String, Set<Right>> own = caller.subsidiary() == null ? Map.of()
                : adjusted.getOrDefault(caller.subsidiary(), Map.of()).getOrDefault(resourceType, Map.of());
        Set<Right> rights = EnumSet.noneOf(Right.class);
        for (String position : caller.roles()) {
            rights.addAll(own.containsKey(position) ? own.get(position)
                    : type.defaultGrants().getOrDefault(position, Set.of()));
        }
        return rights;
    }

    @Override
    public List<GrantDTO> grants(CallerContext caller, String subsidiary) {
        throw new UnsupportedOperationException();
    }

    @Override
    public GrantDTO grant(CallerContext caller, String subsidiary, String resourceType, String position,
            Set<Right> rights) {
        throw new UnsupportedOperationException();
    }

    @Override
    public GrantDTO reset(CallerContext caller, String subsidiary, String resourceType, String position) {
        throw new UnsupportedOperationException();
    }
}
