package org.groupcrm.core.internal.module;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.groupcrm.core.api.module.CrmModule;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modules installed right now: every {@link CrmModule} service, tracked as plugins come and go, and whether each
 * one accepts the running version of the module API.
 */
@Component(service = ModuleRegistry.class)
public class ModuleRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleRegistry.class);
    private final Map<String, CrmModule> modules = new ConcurrentHashMap<>();
    private final Version apiVersion = exportedApiVersion();

    /** DS binds every {@link CrmModule} service; tests call it directly. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addModule(CrmModule module) {
        CrmModule previous = modules.put(module.id(), module);
        LOG.info("Module {} {} installed{}", module.id(), module.version(),
                compatible(module) ? "" : " but refused: it needs core API " + module.coreApiRange() + ", this is " + apiVersion);
        if (previous != null && previous != module) {
            LOG.warn("Module {} is provided twice; the latest registration wins", module.id());
        }
    }

    /** DS unbinds a module service that goes away. */
    public void removeModule(CrmModule module) {
        modules.remove(module.id(), module);
        LOG.info("Module {} {} removed", module.id(), module.version());
    }

    public Optional<CrmModule> find(String id) {
        return Optional.ofNullable(modules.get(id));
    }

    public Collection<CrmModule> all() {
        return List.copyOf(modules.values());
    }

    /** @return whether the module's declared core API range includes the running one (a malformed range does not) */
    public boolean compatible(CrmModule module) {
        return compatible(module.coreApiRange(), apiVersion);
    }

    public Version apiVersion() {
        return apiVersion;
    }

    static boolean compatible(String range, Version api) {
        try {
            return range != null && new VersionRange(range).includes(api);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The version with which the core API bundle exports the module SPI package. */
    private static Version exportedApiVersion() {
        String pkg = CrmModule.class.getPackageName();
        Bundle api = FrameworkUtil.getBundle(CrmModule.class);
        BundleWiring wiring = api == null ? null : api.adapt(BundleWiring.class);
        if (wiring != null) {
            for (BundleCapability c : wiring.getCapabilities("osgi.wiring.package")) {
                if (pkg.equals(c.getAttributes().get("osgi.wiring.package"))) {
                    return (Version) c.getAttributes().get("version");
                }
            }
        }
        return Version.parseVersion("1.0.0");
    }
}
