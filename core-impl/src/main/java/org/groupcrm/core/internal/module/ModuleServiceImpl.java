package org.groupcrm.core.internal.module;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import javax.persistence.EntityManager;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.module.CrmModule;
import org.groupcrm.core.api.module.ModuleDTO;
import org.groupcrm.core.api.module.ModuleService;
import org.groupcrm.core.api.module.ModuleState;
import org.groupcrm.core.api.module.ModuleStateDTO;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.ModuleStateChangeEntity;
import org.groupcrm.core.internal.persistence.ModuleStateEntity;
import org.groupcrm.core.internal.persistence.Tx;
import org.groupcrm.core.internal.service.Audit;
import org.groupcrm.core.internal.service.InputValidator;
import org.groupcrm.core.internal.service.SubsidiaryServiceImpl;
import org.groupcrm.core.internal.service.UserDirectory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-subsidiary module states: stored with their history in PostgreSQL, held in memory for the request gate, which
 * sees a change as soon as the administrator's request has committed it.
 */
@Component(service = {ModuleService.class, ModuleServiceImpl.class}, configurationPid = ModuleServiceImpl.PID)
@Designate(ocd = ModuleServiceImpl.Policy.class)
public class ModuleServiceImpl implements ModuleService {
    public static final String PID = "org.groupcrm.modules";

    /** What group IT allows subsidiaries to do with their modules ({@code etc/org.groupcrm.modules.cfg}). */
    @ObjectClassDefinition(name = "CRM modules", description = "Who may change module states")
    public @interface Policy {
        @AttributeDefinition(description = "Codes of the subsidiaries whose own administrators may change their module"
                + " states; * for every subsidiary. Group administrators always may.")
        String[] subsidiaryAdminsManage() default {};
    }

    private static final Logger LOG = LoggerFactory.getLogger(ModuleServiceImpl.class);
    /** subsidiary code → module id → state */
    private final Map<String, Map<String, ModuleStates>> states = new ConcurrentHashMap<>();

    @Reference
    Tx tx;

    @Reference
    ModuleRegistry registry;

    @Reference
    SubsidiaryServiceImpl subsidiaries;

    @Reference
    InputValidator validator;

    @Reference
    UserDirectory users;

    private volatile boolean loaded;
    private volatile Set<String> selfManaged = Set.of();

    @Activate
    @Modified
    void configure(Policy policy) {
        Set<String> codes = new TreeSet<>();
        for (String c : policy.subsidiaryAdminsManage()) {
            if (c != null && !c.isBlank()) {
                codes.add(c.strip());
            }
        }
        selfManaged = Set.copyOf(codes);
    }

    /**
     * Loads the stored states on first use rather than at activation, so that a database that is down when the core
     * starts only fails the requests made meanwhile (503) instead of leaving the module platform without its states.
     */
    private void ensureLoaded() {
        if (loaded) {
            return;
        }
        synchronized (this) {
            if (!loaded) {
                load();
                loaded = true;
            }
        }
    }

    private void load() {
        tx.run((em, events) -> {
            List<Object[]> rows = em.createQuery("select s.code, m from ModuleStateEntity m, SubsidiaryEntity s"
                    + " where s.id = m.subsidiaryId", Object[].class).getResultList();
            for (Object[] row : rows) {
                ModuleStateEntity m = (ModuleStateEntity) row[1];
                remember((String) row[0], m.module, new ModuleStates(m.state, ModuleStates.split(m.pilotUsers), m.from));
            }
            return null;
        });
    }

    @Override
    public List<ModuleDTO> installed(CallerContext caller) {
        ensureLoaded();
        List<ModuleDTO> result = new ArrayList<>();
        for (CrmModule m : sorted()) {
            ModuleDTO d = new ModuleDTO();
            d.id = m.id();
            d.name = m.name();
            d.version = m.version();
            d.description = m.description();
            d.requires = new TreeSet<>(m.requires());
            d.coreApiRange = m.coreApiRange();
            d.resourceTypes = m.resourceTypes();
            d.compatible = registry.compatible(m);
            d.state = caller.subsidiary() == null ? null : dto(caller, caller.subsidiary(), m.id(), current(caller.subsidiary(), m.id()));
            result.add(d);
        }
        return result;
    }

    @Override
    public List<ModuleStateDTO> states(CallerContext caller, String subsidiary) {
        ensureLoaded();
        requireReader(caller, subsidiary);
        subsidiaries.idOf(subsidiary);
        return sorted().stream().map(m -> dto(caller, subsidiary, m.id(), current(subsidiary, m.id()))).toList();
    }

    @Override
    public ModuleStateDTO setState(CallerContext caller, String subsidiary, String moduleId, ModuleStateDTO input) {
        ensureLoaded();
        requireManager(caller, subsidiary);
        validator.validate(input);
        long sid = subsidiaries.idOf(subsidiary);
        CrmModule module = registry.find(moduleId).orElseThrow(() -> new NotFoundException("module", moduleId));
        if (input.state != ModuleState.OFF && !registry.compatible(module)) {
            throw new ValidationException("state", "module " + moduleId + " " + module.version() + " needs core API "
                    + module.coreApiRange() + " but this core provides " + registry.apiVersion());
        }
        Set<String> pilots = input.pilotUsers == null ? Set.of() : Set.copyOf(input.pilotUsers);
        checkPilots(input.state, pilots, subsidiary);
        ModuleStates next = new ModuleStates(input.state, pilots, input.from);
        ModuleStates previous = current(subsidiary, moduleId);
        checkDependencies(module, subsidiary, next);
        Instant now = DbClock.UTC.instant();
        tx.run((em, events) -> {
            store(em, sid, moduleId, next, previous, caller.login(), now);
            Audit.record(em, caller, sid, "module_state", moduleId, "STATE", auditOf(previous), auditOf(next), now);
            return null;
        });
        remember(subsidiary, moduleId, next);
        LOG.info("{} set module {} in subsidiary {} from {} to {} (pilots {}, from {})", caller.login(), moduleId,
                subsidiary, previous.state(), next.state(), pilots, input.from);
        provisioning(module, subsidiary, previous, next);
        ModuleStateDTO d = dto(caller, subsidiary, moduleId, next);
        d.changedBy = caller.login();
        d.changedAt = now;
        return d;
    }

    @Override
    public List<ModuleStateDTO> history(CallerContext caller, String subsidiary, String module) {
        requireReader(caller, subsidiary);
        long sid = subsidiaries.idOf(subsidiary);
        return tx.run((em, events) -> em.createQuery("select h from ModuleStateChangeEntity h where h.subsidiaryId = :sid"
                + " and h.module = :module order by h.changedAt desc, h.id desc", ModuleStateChangeEntity.class)
                .setParameter("sid", sid).setParameter("module", module).getResultList().stream().map(h -> {
                    ModuleStateDTO d = new ModuleStateDTO();
                    d.module = h.module;
                    d.subsidiary = subsidiary;
                    d.previous = h.fromState;
                    d.state = h.toState;
                    d.pilotUsers = new TreeSet<>(ModuleStates.split(h.pilotUsers));
                    d.from = h.from;
                    d.changedBy = h.changedBy;
                    d.changedAt = h.changedAt;
                    return d;
                }).toList());
    }

    @Override
    public boolean inForce(CallerContext caller, String moduleId) {
        return caller.subsidiary() != null && inForce(caller.subsidiary(), caller.login(), moduleId);
    }

    @Override
    public boolean inForce(String subsidiary, String login, String moduleId) {
        ensureLoaded();
        if (subsidiary == null || !installedAndCompatible(moduleId)) {
            return false;
        }
        ModuleStates s = current(subsidiary, moduleId);
        if (s.state() == ModuleState.OFF || (login == null && s.state() != ModuleState.ON)) {
            return false;
        }
        LocalDate today = LocalDate.now(subsidiaries.zoneOf(subsidiary));
        return s.inForce(login, today);
    }

    @Override
    public Set<String> subsidiariesInForce(String moduleId) {
        ensureLoaded();
        if (!installedAndCompatible(moduleId)) {
            return Set.of();
        }
        Set<String> result = new TreeSet<>();
        states.forEach((subsidiary, modules) -> {
            ModuleStates s = modules.getOrDefault(moduleId, ModuleStates.OFF);
            if (s.state() != ModuleState.OFF
                    && (s.from() == null || !LocalDate.now(subsidiaries.zoneOf(subsidiary)).isBefore(s.from()))) {
                result.add(subsidiary);
            }
        });
        return result;
    }

    private boolean installedAndCompatible(String moduleId) {
        return registry.find(moduleId).filter(registry::compatible).isPresent();
    }

    private void checkPilots(ModuleState state, Set<String> pilots, String subsidiary) {
        if (state != ModuleState.PILOT && !pilots.isEmpty()) {
            throw new ValidationException("pilotUsers", "only a PILOT state has pilot users");
        }
        if (state == ModuleState.PILOT && pilots.isEmpty()) {
            throw new ValidationException("pilotUsers", "a PILOT state needs at least one pilot user");
        }
        for (String login : new TreeSet<>(pilots)) {
            if (!users.activeIn(login, subsidiary)) {
                throw new ValidationException("pilotUsers", "no active user '" + login + "' in subsidiary " + subsidiary);
            }
        }
    }

    private void checkDependencies(CrmModule module, String subsidiary, ModuleStates next) {
        for (String required : new TreeSet<>(module.requires())) {
            if (next.state() != ModuleState.OFF && !next.coveredBy(current(subsidiary, required))) {
                throw new ValidationException("state", "module " + module.id() + " requires module " + required
                        + " to be in force in subsidiary " + subsidiary + " for the same users and dates first");
            }
        }
        for (CrmModule dependent : sorted()) {
            if (dependent.requires().contains(module.id()) && !current(subsidiary, dependent.id()).coveredBy(next)) {
                throw new ValidationException("state", "module " + dependent.id() + " requires module " + module.id()
                        + " in subsidiary " + subsidiary + "; change " + dependent.id() + " first");
            }
        }
    }

    private static void store(EntityManager em, long sid, String module, ModuleStates next, ModuleStates previous,
            String login, Instant now) {
        ModuleStateEntity row = em.createQuery("select m from ModuleStateEntity m where m.subsidiaryId = :sid"
                + " and m.module = :module", ModuleStateEntity.class).setParameter("sid", sid)
                .setParameter("module", module).getResultList().stream().findFirst().orElseGet(() -> {
                    ModuleStateEntity created = new ModuleStateEntity();
                    created.subsidiaryId = sid;
                    created.module = module;
                    em.persist(created);
                    return created;
                });
        row.state = next.state();
        row.pilotUsers = ModuleStates.join(next.pilotUsers());
        row.from = next.from();
        row.changedBy = login;
        row.changedAt = now;
        ModuleStateChangeEntity h = new ModuleStateChangeEntity();
        h.subsidiaryId = sid;
        h.module = module;
        h.fromState = previous.state();
        h.toState = next.state();
        h.pilotUsers = row.pilotUsers;
        h.from = next.from();
        h.changedBy = login;
        h.changedAt = now;
        em.persist(h);
    }

    private static Map<String, Object> auditOf(ModuleStates s) {
        Map<String, Object> m = new java.util.TreeMap<>();
        m.put("state", s.state().name());
        m.put("pilotUsers", ModuleStates.join(s.pilotUsers()));
        m.put("from", s.from() == null ? null : s.from().toString());
        return m;
    }

    private void provisioning(CrmModule module, String subsidiary, ModuleStates previous, ModuleStates next) {
        boolean was = previous.state() != ModuleState.OFF;
        boolean is = next.state() != ModuleState.OFF;
        try {
            if (!was && is) {
                module.provision(subsidiary);
            } else if (was && !is) {
                module.deprovision(subsidiary);
            }
        } catch (RuntimeException e) {
            LOG.error("Module {} failed to {} subsidiary {}", module.id(), is ? "provision" : "deprovision", subsidiary, e);
        }
    }

    /** Group administrators; a subsidiary's own administrators where the policy allows it. */
    private void requireManager(CallerContext caller, String subsidiary) {
        if (caller.hasRole(Roles.GROUP_ADMIN)) {
            return;
        }
        boolean ownAdmin = caller.hasRole(Roles.SUBSIDIARY_ADMIN) && subsidiary.equals(caller.subsidiary());
        if (!ownAdmin) {
            throw new ForbiddenException("only group administrators, or administrators of subsidiary " + subsidiary
                    + " where group IT allows it, may change its module states");
        }
        Set<String> allowed = selfManaged;
        if (!allowed.contains("*") && !allowed.contains(subsidiary)) {
            throw new ForbiddenException("group IT has not allowed the administrators of subsidiary " + subsidiary
                    + " to change its module states");
        }
    }

    private void requireReader(CallerContext caller, String subsidiary) {
        boolean ownAdmin = caller.hasRole(Roles.SUBSIDIARY_ADMIN) && subsidiary.equals(caller.subsidiary());
        if (!caller.hasRole(Roles.GROUP_ADMIN) && !ownAdmin) {
            throw new ForbiddenException("only administrators of subsidiary " + subsidiary + " may see its module states");
        }
    }

    private ModuleStates current(String subsidiary, String module) {
        return states.getOrDefault(subsidiary, Map.of()).getOrDefault(module, ModuleStates.OFF);
    }

    private void remember(String subsidiary, String module, ModuleStates s) {
        states.computeIfAbsent(subsidiary, k -> new ConcurrentHashMap<>()).put(module, s);
    }

    private List<CrmModule> sorted() {
        return registry.all().stream().sorted(Comparator.comparing(CrmModule::id)).toList();
    }

    private ModuleStateDTO dto(CallerContext caller, String subsidiary, String module, ModuleStates s) {
        ModuleStateDTO d = new ModuleStateDTO();
        d.module = module;
        d.subsidiary = subsidiary;
        d.state = s.state();
        d.pilotUsers = new TreeSet<>(s.pilotUsers());
        d.from = s.from();
        d.inForce = subsidiary.equals(caller.subsidiary()) && inForce(caller, module);
        return d;
    }
}
