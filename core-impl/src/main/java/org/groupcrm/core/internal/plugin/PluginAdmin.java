package org.groupcrm.core.internal.plugin;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.FeaturesService.Option;
import org.apache.karaf.features.Repository;
import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.module.CrmModule;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.PluginActionEntity;
import org.groupcrm.core.internal.persistence.Tx;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs, upgrades and uninstalls plugin features ({@code crm-plugin-*}) while the platform runs, never at the cost
 * of the core: every change is first simulated by Karaf's deployer, and refused when a bundle of the plugin imports a
 * core API version this core does not provide, or when Karaf would refresh any bundle that is not the plugin's own
 * (a refresh restarts the bundles wired to it, and with them the core's requests). Allowed changes run without
 * automatic refresh. Only group administrators act here; every action is logged and kept with who did it.
 * Changes are serialised.
 */
@Component(service = PluginAdmin.class)
public class PluginAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(PluginAdmin.class);
    public static final String PREFIX = "crm-plugin-";
    static final Pattern NAME = Pattern.compile("crm-plugin-[a-z][a-z0-9-]{0,60}");

    @Reference
    FeaturesService features;

    @Reference
    ResolutionLog resolution;

    @Reference
    Tx tx;

    private BundleContext context;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
    }

    /** @return every plugin feature of the registered repositories, by name */
    public List<PluginDTO> list(CallerContext caller) throws Exception {
        requireGroupAdmin(caller);
        Map<String, List<Feature>> byName = new TreeMap<>();
        for (Feature f : features.listFeatures()) {
            if (f.getName().startsWith(PREFIX)) {
                byName.computeIfAbsent(f.getName(), k -> new ArrayList<>()).add(f);
            }
        }
        List<PluginDTO> result = new ArrayList<>();
        for (Map.Entry<String, List<Feature>> e : byName.entrySet()) {
            List<Feature> versions = new ArrayList<>(e.getValue());
            versions.sort(Comparator.comparing(f -> Version.parseVersion(f.getVersion())));
            PluginDTO d = new PluginDTO();
            d.feature = e.getKey();
            d.versions = versions.stream().map(Feature::getVersion).distinct().toList();
            Feature installed = versions.stream().filter(features::isInstalled).findFirst().orElse(null);
            Feature described = installed != null ? installed : versions.get(versions.size() - 1);
            d.description = described.getDescription();
            d.installedVersion = installed == null ? null : installed.getVersion();
            d.modules = installed == null ? List.of() : modulesOf(installed);
            result.add(d);
        }
        return result;
    }

    /**
     * Installs {@code name} in {@code version} (when {@code null}, the newest that fits the running core API), or upgrades to it when another version
     * is installed; with {@code dryRun} only returns the plan.
     *
     * @throws ConflictException {@code plugin_refused} when the plan is not allowed (the message gives the reasons),
     *                           {@code plugin_installed} when that version is installed already
     */
    public synchronized PluginPlanDTO install(CallerContext caller, String name, String version, boolean dryRun)
            throws Exception {
        requireGroupAdmin(caller);
        checkName(name);
        Feature target = version == null ? newestCompatible(name) : features.getFeature(name, version);
        if (target == null || !target.getName().equals(name)) {
            throw new NotFoundException("plugin feature", version == null ? name : name + "/" + version);
        }
        Feature installed = installedVersion(name);
        if (installed != null && installed.getVersion().equals(target.getVersion())) {
            throw new ConflictException("plugin_installed", name + " " + target.getVersion() + " is installed already");
        }
        long start = System.nanoTime();
        PluginPlanDTO plan = newPlan(name, installed == null ? "install" : "upgrade",
                installed == null ? null : installed.getVersion(), target.getVersion(), dryRun);
        Set<String> own = new TreeSet<>(symbolicNames(installed));
        List<String> reasons = apiMismatches(target, own);
        EnumSet<Option> options = installed == null ? EnumSet.noneOf(Option.class) : EnumSet.of(Option.Upgrade);
        simulate(plan, own, reasons, () -> features.installFeature(name, target.getVersion(), with(options, Option.Simulate)));
        return execute(caller, plan, reasons, start,
                () -> features.installFeature(name, target.getVersion(), with(options, Option.NoAutoRefreshBundles)));
    }

    /** Uninstalls the installed version of {@code name}; its data stays. With {@code dryRun} only plans. */
    public synchronized PluginPlanDTO uninstall(CallerContext caller, String name, boolean dryRun) throws Exception {
        requireGroupAdmin(caller);
        checkName(name);
        Feature installed = installedVersion(name);
        if (installed == null) {
            if (newest(name) == null) {
                throw new NotFoundException("plugin feature", name);
            }
            throw new ConflictException("plugin_not_installed", name + " is not installed");
        }
        long start = System.nanoTime();
        PluginPlanDTO plan = newPlan(name, "uninstall", installed.getVersion(), null, dryRun);
        List<String> reasons = new ArrayList<>();
        Set<String> own = symbolicNames(installed);
        simulate(plan, own, reasons,
                () -> features.uninstallFeature(name, installed.getVersion(), EnumSet.of(Option.Simulate)));
        return execute(caller, plan, reasons, start, () -> features.uninstallFeature(name, installed.getVersion(),
                EnumSet.of(Option.NoAutoRefreshBundles)));
    }

    /** Registers a feature repository that offers plugin features. */
    public synchronized PluginRepositoryDTO addRepository(CallerContext caller, String uri) throws Exception {
        requireGroupAdmin(caller);
        URI u;
        try {
            u = new URI(uri.strip());
        } catch (Exception e) {
            throw new ValidationException("uri", "not a URI: " + e.getMessage());
        }
        try {
            features.addRepository(u, false);
        } catch (Exception e) {
            record(caller, "add-repository", u.toString(), null, null, "FAILED", String.valueOf(e.getMessage()));
            throw new ValidationException("uri", "the repository cannot be read: " + e.getMessage());
        }
        Repository r = features.getRepository(u);
        record(caller, "add-repository", u.toString(), null, null, "DONE", "");
        PluginRepositoryDTO d = new PluginRepositoryDTO();
        d.uri = u.toString();
        d.name = r == null ? null : r.getName();
        return d;
    }

    /** @return the latest administrative actions on plugins, newest first */
    public List<PluginActionDTO> history(CallerContext caller, int limit) {
        requireGroupAdmin(caller);
        return tx.run((em, events) -> em.createQuery("select a from PluginActionEntity a order by a.performedAt desc,"
                + " a.id desc", PluginActionEntity.class).setMaxResults(limit).getResultList().stream().map(a -> {
                    PluginActionDTO d = new PluginActionDTO();
                    d.id = a.id;
                    d.action = a.action;
                    d.feature = a.feature;
                    d.fromVersion = a.fromVersion;
                    d.toVersion = a.toVersion;
                    d.outcome = a.outcome;
                    d.detail = a.detail;
                    d.performedBy = a.performedBy;
                    d.performedAt = a.performedAt;
                    return d;
                }).toList());
    }

    private void simulate(PluginPlanDTO plan, Set<String> own, List<String> reasons, ResolutionLog.Simulation simulation) {
        DeploymentPlan deployment;
        try {
            deployment = DeploymentPlan.parse(resolution.record(simulation));
        } catch (Exception e) {
            reasons.add("Karaf cannot deploy it: " + e.getMessage());
            deployment = DeploymentPlan.parse(List.of());
        }
        plan.bundlesToInstall = deployment.section("bundles to install");
        plan.bundlesToUpdate = deployment.section("bundles to update");
        plan.bundlesToUninstall = deployment.section("bundles to uninstall");
        plan.bundlesToRefresh = deployment.section(DeploymentPlan.REFRESH);
        if (deployment.lines().isEmpty() && reasons.isEmpty()) {
            reasons.add("the deployment plan could not be read: the log level of " + ResolutionLog.FEATURES_LOGGER
                    + " must be INFO or finer");
        }
        Set<String> foreign = new LinkedHashSet<>(deployment.refreshedSymbolicNames());
        foreign.removeAll(own);
        if (!foreign.isEmpty()) {
            reasons.add("it would refresh bundles outside the plugin, which restarts them: " + String.join(", ", foreign));
        }
        plan.reasons = List.copyOf(reasons);
        plan.allowed = reasons.isEmpty();
    }

    private PluginPlanDTO execute(CallerContext caller, PluginPlanDTO plan, List<String> reasons, long start,
            ResolutionLog.Simulation change) throws Exception {
        if (plan.dryRun) {
            plan.millis = (System.nanoTime() - start) / 1_000_000;
            return plan;
        }
        if (!plan.allowed) {
            record(caller, plan.action, plan.feature, plan.fromVersion, plan.toVersion, "REFUSED", String.join("; ", reasons));
            LOG.warn("{} was refused to {} {}: {}", caller.login(), plan.action, plan.feature, reasons);
            throw new ConflictException("plugin_refused", plan.action + " of " + plan.feature + " refused: "
                    + String.join("; ", reasons));
        }
        try {
            change.run();
        } catch (Exception e) {
            record(caller, plan.action, plan.feature, plan.fromVersion, plan.toVersion, "FAILED", String.valueOf(e.getMessage()));
            LOG.error("{} failed to {} {}", caller.login(), plan.action, plan.feature, e);
            throw new ConflictException("plugin_failed", plan.action + " of " + plan.feature + " failed: " + e.getMessage());
        }
        plan.millis = (System.nanoTime() - start) / 1_000_000;
        record(caller, plan.action, plan.feature, plan.fromVersion, plan.toVersion, "DONE", "");
        LOG.info("{} did {} of {} ({} -> {}) in {} ms", caller.login(), plan.action, plan.feature, plan.fromVersion,
                plan.toVersion, plan.millis);
        return plan;
    }

    private void record(CallerContext caller, String action, String feature, String from, String to, String outcome,
            String detail) {
        Instant now = DbClock.UTC.instant();
        try {
            tx.run((em, events) -> {
                PluginActionEntity a = new PluginActionEntity();
                a.action = action;
                a.feature = feature;
                a.fromVersion = from;
                a.toVersion = to;
                a.outcome = outcome;
                a.detail = detail.length() > 4000 ? detail.substring(0, 4000) : detail;
                a.performedBy = caller.login();
                a.performedAt = now;
                em.persist(a);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error("Could not keep the record of {} {} of {} by {} ({})", outcome, action, feature, caller.login(), e.toString());
        }
    }

    private static PluginPlanDTO newPlan(String name, String action, String from, String to, boolean dryRun) {
        PluginPlanDTO p = new PluginPlanDTO();
        p.feature = name;
        p.action = action;
        p.fromVersion = from;
        p.toVersion = to;
        p.dryRun = dryRun;
        return p;
    }

    private static EnumSet<Option> with(EnumSet<Option> options, Option more) {
        EnumSet<Option> o = EnumSet.copyOf(options);
        o.add(more);
        return o;
    }

    /** @return why the feature's bundles do not fit the core API (empty if they do); adds their symbolic names to {@code own} */
    private List<String> apiMismatches(Feature feature, Set<String> own) {
        List<String> reasons = new ArrayList<>();
        for (BundleInfo b : feature.getBundles()) {
            try {
                reasons.addAll(ApiCompatibility.check(b.getLocation(), coreApiExports()));
                own.add(ApiCompatibility.symbolicName(b.getLocation()));
            } catch (Exception e) {
                reasons.add("cannot read bundle " + b.getLocation() + ": " + e.getMessage());
            }
        }
        return reasons;
    }

    /** @return the newest version whose bundles fit the running core API, else the newest (to be refused) */
    private Feature newestCompatible(String name) throws Exception {
        List<Feature> versions = new ArrayList<>();
        for (Feature f : features.listFeatures()) {
            if (f.getName().equals(name)) {
                versions.add(f);
            }
        }
        versions.sort(Comparator.comparing((Feature f) -> Version.parseVersion(f.getVersion())).reversed());
        for (Feature f : versions) {
            if (apiMismatches(f, new TreeSet<>()).isEmpty()) {
                return f;
            }
        }
        return versions.isEmpty() ? null : versions.get(0);
    }

    private Feature newest(String name) throws Exception {
        Feature newest = null;
        for (Feature f : features.listFeatures()) {
            if (f.getName().equals(name) && (newest == null
                    || Version.parseVersion(f.getVersion()).compareTo(Version.parseVersion(newest.getVersion())) > 0)) {
                newest = f;
            }
        }
        return newest;
    }

    private Feature installedVersion(String name) throws Exception {
        for (Feature f : features.listInstalledFeatures()) {
            if (f.getName().equals(name)) {
                return f;
            }
        }
        return null;
    }

    private Set<String> symbolicNames(Feature feature) {
        Set<String> names = new TreeSet<>();
        if (feature != null) {
            for (BundleInfo b : feature.getBundles()) {
                Bundle bundle = context.getBundle(b.getLocation());
                if (bundle != null && bundle.getSymbolicName() != null) {
                    names.add(bundle.getSymbolicName());
                }
            }
        }
        return names;
    }

    private List<String> modulesOf(Feature feature) {
        Set<String> locations = new TreeSet<>();
        feature.getBundles().forEach(b -> locations.add(b.getLocation()));
        Set<String> ids = new TreeSet<>();
        try {
            for (ServiceReference<CrmModule> ref : context.getServiceReferences(CrmModule.class, null)) {
                Bundle b = ref.getBundle();
                if (b != null && locations.contains(b.getLocation())) {
                    CrmModule m = context.getService(ref);
                    if (m != null) {
                        try {
                            ids.add(m.id());
                        } finally {
                            context.ungetService(ref);
                        }
                    }
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return List.copyOf(ids);
    }

    /** The core API packages and the versions they are exported in. */
    static Map<String, Version> coreApiExports() {
        Map<String, Version> result = new TreeMap<>();
        Bundle api = FrameworkUtil.getBundle(CrmModule.class);
        BundleWiring wiring = api == null ? null : api.adapt(BundleWiring.class);
        if (wiring != null) {
            for (BundleCapability c : wiring.getCapabilities("osgi.wiring.package")) {
                result.put((String) c.getAttributes().get("osgi.wiring.package"), (Version) c.getAttributes().get("version"));
            }
        }
        return result;
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ValidationException("feature", "a plugin feature is named crm-plugin-<name> (lower case letters,"
                    + " digits and '-'): " + name);
        }
    }

    private static void requireGroupAdmin(CallerContext caller) {
        if (!caller.hasRole(Roles.GROUP_ADMIN)) {
            throw new ForbiddenException("only group administrators may install, upgrade or remove plugins");
        }
    }
}
