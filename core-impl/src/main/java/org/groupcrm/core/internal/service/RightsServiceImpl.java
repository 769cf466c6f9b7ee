package org.groupcrm.core.internal.service;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.module.CrmModule;
import org.groupcrm.core.api.module.ResourceType;
import org.groupcrm.core.api.user.CoreResourceTypes;
import org.groupcrm.core.api.user.GrantDTO;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.RightsService;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.module.ModuleRegistry;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.Tx;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rights from the shipped defaults (the core's and the installed modules' resource types) and each subsidiary's
 * adjustments ({@code crm_right_grant}). Adjustments are read once per subsidiary and kept in memory until one of
 * them changes (single node: a change through another node is seen after that node's next change here or a restart).
 */
@Component(service = {RightsService.class, RightsServiceImpl.class})
public class RightsServiceImpl implements RightsService {
    private static final Logger LOG = LoggerFactory.getLogger(RightsServiceImpl.class);
    static final String CORE = "core";

    /** One adjustment: the rights and who set them when. */
    record Adjustment(long id, Set<Right> rights, String changedBy, Instant changedAt) {
    }

    /** A resource type installed now, with the module contributing it. */
    record Installed(String module, ResourceType type) {
    }

    @Reference
    Tx tx;

    @Reference
    SubsidiaryServiceImpl subsidiaries;

    @Reference
    ModuleRegistry modules;

    /** subsidiary id → (resource type, position) key → adjustment */
    private final Map<Long, Map<String, Adjustment>> adjustments = new ConcurrentHashMap<>();
    private long generation;

    @Override
    public boolean has(CallerContext caller, String resourceType, Right right) {
        return rightsOf(caller, resourceType).contains(right);
    }

    @Override
    public void require(CallerContext caller, String resourceType, Right right) {
        if (!has(caller, resourceType, right)) {
            String where = caller.subsidiary() == null ? "" : " in subsidiary " + caller.subsidiary();
            throw new ForbiddenException("missing_right", "the " + right + " right over " + resourceType
                    + " is not granted to your positions " + new TreeSet<>(caller.roles()) + where);
        }
    }

    @Override
    public List<String> resourceTypes() {
        return List.copyOf(installed().keySet());
    }

    @Override
    public Set<Right> rightsOf(CallerContext caller, String resourceType) {
        if (caller.hasRole(Roles.GROUP_ADMIN)) {
            return EnumSet.allOf(Right.class);
        }
        Installed installed = installed().get(resourceType);
        if (installed == null) {
            LOG.debug("No resource type {} is installed; {} holds no right over it", resourceType, caller.login());
            return Set.of();
        }
        Map<String, Adjustment> adjusted = caller.subsidiary() == null ? Map.of()
                : adjustments(subsidiaries.idOf(caller.subsidiary()));
        Set<Right> rights = EnumSet.noneOf(Right.class);
        for (String position : caller.roles()) {
            Adjustment a = adjusted.get(key(resourceType, position));
            rights.addAll(a != null ? a.rights() : installed.type().defaultGrants().getOrDefault(position, Set.of()));
        }
        return rights;
    }

    @Override
    public List<GrantDTO> grants(CallerContext caller, String subsidiary) {
        // who may is checked first: another subsidiary's administrator learns nothing about which codes exist
        requireAdministrator(caller, subsidiary, "see");
        long sid = subsidiaries.idOf(subsidiary);
        Map<String, Adjustment> adjusted = adjustments(sid);
        List<GrantDTO> grants = new ArrayList<>();
        for (Installed t : installed().values()) {
            for (String position : new TreeSet<>(Roles.ALL)) {
                grants.add(dto(subsidiary, t, position, adjusted.get(key(t.type().id(), position))));
            }
        }
        return grants;
    }

    @Override
    public GrantDTO grant(CallerContext caller, String subsidiary, String resourceType, String position,
            Set<Right> rights) {
        requireAdministrator(caller, subsidiary, "adjust");
        long sid = subsidiaries.idOf(subsidiary);
        Installed t = validate(resourceType, position);
        if (rights == null || rights.stream().anyMatch(java.util.Objects::isNull)) {
            throw new ValidationException("rights", "give the complete list of rights, e.g. [\"QUERY\",\"ENTER\"];"
                    + " an empty list grants nothing; known rights: " + List.of(Right.values()));
        }
        requireAdjuster(caller, subsidiary, position);
        Set<Right> wanted = rights.isEmpty() ? EnumSet.noneOf(Right.class) : EnumSet.copyOf(rights);
        return write(caller, sid, subsidiary, t, position, wanted);
    }

    @Override
    public GrantDTO reset(CallerContext caller, String subsidiary, String resourceType, String position) {
        requireAdministrator(caller, subsidiary, "adjust");
        long sid = subsidiaries.idOf(subsidiary);
        Installed t = validate(resourceType, position);
        requireAdjuster(caller, subsidiary, position);
        return write(caller, sid, subsidiary, t, position, null);
    }

    /** Sets ({@code wanted} not null) or drops the adjustment, audited, in one transaction. */
    private GrantDTO write(CallerContext caller, long sid, String subsidiary, Installed t, String position,
            Set<Right> wanted) {
        String type = t.type().id();
        Set<Right> defaults = defaults(t, position);
        GrantDTO result = tx.run((em, events) -> {
            // lock the row (if any) so that concurrent changes of one grant apply one after the other
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT id, rights FROM crm_right_grant WHERE subsidiary_id = ?1"
                    + " AND resource_type = ?2 AND position = ?3 FOR UPDATE").setParameter(1, sid).setParameter(2, type)
                    .setParameter(3, position).getResultList();
            Set<Right> before = rows.isEmpty() ? defaults : parse((String) rows.get(0)[1]);
            Set<Right> after = wanted == null ? defaults : wanted;
            Set<Right> added = EnumSet.noneOf(Right.class);
            added.addAll(after);
            added.removeAll(before);
            Set<Right> own = rightsIn(caller, subsidiary, t);
            if (!own.containsAll(added)) {
                added.removeAll(own);
                throw new ForbiddenException("you cannot grant " + added + " over " + type + ": your positions do not"
                        + " hold " + (added.size() == 1 ? "it" : "them"));
            }
            Instant now = DbClock.UTC.instant();
            long id;
            if (wanted == null) {
                if (rows.isEmpty()) {
                    return dto(subsidiary, t, position, null);
                }
                id = ((Number) rows.get(0)[0]).longValue();
                em.createNativeQuery("DELETE FROM crm_right_grant WHERE id = ?1").setParameter(1, id).executeUpdate();
            } else if (rows.isEmpty()) {
                id = ((Number) em.createNativeQuery("INSERT INTO crm_right_grant (subsidiary_id, resource_type, position,"
                        + " rights, changed_by, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id")
                        .setParameter(1, sid).setParameter(2, type).setParameter(3, position)
                        .setParameter(4, format(wanted)).setParameter(5, caller.login())
                        .setParameter(6, Timestamp.from(now)).getSingleResult()).longValue();
            } else {
                id = ((Number) rows.get(0)[0]).longValue();
                em.createNativeQuery("UPDATE crm_right_grant SET rights = ?1, changed_by = ?2, changed_at = ?3"
                        + " WHERE id = ?4").setParameter(1, format(wanted)).setParameter(2, caller.login())
                        .setParameter(3, Timestamp.from(now)).setParameter(4, id).executeUpdate();
            }
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("rights", format(before));
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("rights", format(after));
            a.put("adjusted", wanted != null);
            b.put("adjusted", !rows.isEmpty());
            // the trail's id: "<resource type>/<position>", the same across resets
            Audit.record(em, caller, sid, "right-grant", type + "/" + position, wanted == null ? "RESET" : "GRANT",
                    b, a, now);
            return dto(subsidiary, t, position, wanted == null ? null : new Adjustment(id, wanted, caller.login(), now));
        });
        invalidate(sid);
        LOG.info("{} set the rights of {} over {} in {} to {}{}", caller.login(), position, type, subsidiary,
                result.rights, wanted == null ? " (the default)" : "");
        return result;
    }

    /** The caller's rights over {@code t} in {@code subsidiary}, whatever subsidiary they act in now. */
    private Set<Right> rightsIn(CallerContext caller, String subsidiary, Installed t) {
        return rightsOf(new CallerContext(caller.userId(), caller.login(), subsidiary, caller.roles()), t.type().id());
    }

    private Installed validate(String resourceType, String position) {
        Installed t = resourceType == null ? null : installed().get(resourceType);
        if (t == null) {
            throw new ValidationException("resourceType", "no resource type '" + resourceType + "' is installed; known: "
                    + installed().keySet());
        }
        if (position == null || !Roles.ALL.contains(position)) {
            throw new ValidationException("position", "'" + position + "' is not a position; use one of "
                    + new TreeSet<>(Roles.ALL));
        }
        if (position.equals(Roles.GROUP_ADMIN)) {
            throw new ValidationException("position", "group administrators hold every right; their grants cannot be"
                    + " adjusted");
        }
        return t;
    }

    private static void requireAdministrator(CallerContext caller, String subsidiary, String what) {
        boolean ownAdmin = caller.hasRole(Roles.SUBSIDIARY_ADMIN) && subsidiary.equals(caller.subsidiary());
        if (!caller.hasRole(Roles.GROUP_ADMIN) && !ownAdmin) {
            throw new ForbiddenException("only group administrators and administrators of subsidiary " + subsidiary
                    + " may " + what + " its rights");
        }
    }

    private static void requireAdjuster(CallerContext caller, String subsidiary, String position) {
        requireAdministrator(caller, subsidiary, "adjust");
        if (position.equals(Roles.SUBSIDIARY_ADMIN) && !caller.hasRole(Roles.GROUP_ADMIN)) {
            throw new ForbiddenException("the rights of subsidiary administrators are adjusted by group administrators");
        }
    }

    private GrantDTO dto(String subsidiary, Installed t, String position, Adjustment a) {
        GrantDTO d = new GrantDTO();
        d.resourceType = t.type().id();
        d.module = t.module();
        d.position = position;
        d.subsidiary = subsidiary;
        d.defaultRights = Collections.unmodifiableSet(defaults(t, position));
        d.rights = a == null ? d.defaultRights : Collections.unmodifiableSet(EnumSet.copyOf(
                a.rights().isEmpty() ? EnumSet.noneOf(Right.class) : a.rights()));
        d.adjusted = a != null;
        d.adjustable = !position.equals(Roles.GROUP_ADMIN);
        if (a != null) {
            d.changedBy = a.changedBy();
            d.changedAt = a.changedAt();
        }
        return d;
    }

    private static Set<Right> defaults(Installed t, String position) {
        if (position.equals(Roles.GROUP_ADMIN)) {
            return EnumSet.allOf(Right.class);
        }
        Set<Right> d = t.type().defaultGrants().getOrDefault(position, Set.of());
        return d.isEmpty() ? EnumSet.noneOf(Right.class) : EnumSet.copyOf(d);
    }

    /** The core's types, then the installed modules' (by module id), by type id. */
    Map<String, Installed> installed() {
        Map<String, Installed> types = new LinkedHashMap<>();
        for (ResourceType t : CoreResourceTypes.ALL) {
            types.put(t.id(), new Installed(CORE, t));
        }
        Map<String, CrmModule> byId = new TreeMap<>();
        for (CrmModule m : modules.all()) {
            if (modules.compatible(m)) { // a refused module's types are not installed either
                byId.put(m.id(), m);
            }
        }
        for (CrmModule m : byId.values()) {
            for (ResourceType t : m.resourceTypes()) {
                if (types.putIfAbsent(t.id(), new Installed(m.id(), t)) != null) {
                    LOG.warn("Module {} declares resource type {}, which is taken; ignoring it", m.id(), t.id());
                }
            }
        }
        return types;
    }

    private Map<String, Adjustment> adjustments(long sid) {
        Map<String, Adjustment> cached = adjustments.get(sid);
        if (cached != null) {
            return cached;
        }
        long g;
        synchronized (this) {
            g = generation;
        }
        Map<String, Adjustment> loaded = tx.run((em, events) -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT id, resource_type, position, rights, changed_by, changed_at"
                    + " FROM crm_right_grant WHERE subsidiary_id = ?1").setParameter(1, sid).getResultList();
            Map<String, Adjustment> m = new ConcurrentHashMap<>();
            for (Object[] r : rows) {
                Object at = r[5];
                Instant changedAt = at instanceof Timestamp ts ? ts.toInstant()
                        : at instanceof java.time.OffsetDateTime o ? o.toInstant() : Instant.parse(String.valueOf(at));
                m.put(key((String) r[1], (String) r[2]), new Adjustment(((Number) r[0]).longValue(),
                        parse((String) r[3]), (String) r[4], changedAt));
            }
            return Collections.unmodifiableMap(m);
        });
        synchronized (this) {
            if (generation == g) {
                adjustments.put(sid, loaded);
            }
        }
        return loaded;
    }

    private synchronized void invalidate(long sid) {
        generation++;
        adjustments.remove(sid);
    }

    private static String key(String type, String position) {
        return type + '\u0000' + position;
    }

    static String format(Set<Right> rights) {
        return rights.stream().sorted().map(Right::name).collect(Collectors.joining(","));
    }

    static Set<Right> parse(String s) {
        Set<Right> rights = EnumSet.noneOf(Right.class);
        if (s != null && !s.isBlank()) {
            for (String r : s.split(",")) {
                try {
                    rights.add(Right.valueOf(r.strip()));
                } catch (IllegalArgumentException e) {
                    LOG.warn("Ignoring unknown right '{}' in crm_right_grant", r);
                }
            }
        }
        return rights;
    }
}
