package org.groupcrm.core.internal.service;

import java.time.Clock;
import java.time.Instant;
import java.time.Year;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.persistence.EntityManager;
import javax.persistence.TypedQuery;

import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.CoreResourceTypes;
import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.ValidationException.FieldError;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.customer.CustomerQuery;
import org.groupcrm.core.api.customer.CustomerService;
import org.groupcrm.core.api.customer.OwnerChangeDTO;
import org.groupcrm.core.api.customer.OwnershipParticipant;
import org.groupcrm.core.api.customer.ReassignmentDTO;
import org.groupcrm.core.api.event.CrmEventProperties;
import org.groupcrm.core.api.event.CrmTopics;
import org.groupcrm.core.internal.persistence.ActivityEntity;
import org.groupcrm.core.internal.persistence.CustomerEntity;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.OwnerChangeEntity;
import org.groupcrm.core.internal.persistence.Tx;
import org.groupcrm.core.internal.persistence.UserEntity;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Customers of the caller's subsidiary. */
@Component(service = {CustomerService.class, CustomerServiceImpl.class}, configurationPid = CustomerServiceImpl.PID)
@Designate(ocd = CustomerServiceImpl.Settings.class)
public class CustomerServiceImpl implements CustomerService {
    public static final String PID = "org.groupcrm.customers";

    /** Which fields make a customer one rep's, and how large an import may be ({@code etc/org.groupcrm.customers.cfg}). */
    @ObjectClassDefinition(name = "CRM customers", description = "Customer exclusivity and bulk import")
    public @interface Settings {
        @AttributeDefinition(description = "Fields no two live customers of a subsidiary may share: phone (compared by"
                + " its digits) and/or email (case-insensitive). A new customer or a change that repeats one is refused"
                + " with 409, naming the customer's owner.")
        String[] uniqueKeys() default {"phone"};

        @AttributeDefinition(description = "Most customers one POST /customers/import may carry (all or nothing in one"
                + " transaction); a larger batch is refused with 413 too_many_rows. At least 1.")
        int importMaxRows() default DEFAULT_IMPORT_MAX_ROWS;
    }

    static final int DEFAULT_IMPORT_MAX_ROWS = 10_000;
    private volatile Set<String> uniqueKeys = Set.of("phone");
    private volatile int importMaxRows = DEFAULT_IMPORT_MAX_ROWS;

    @Activate
    @Modified
    void configure(Settings config) {
        java.util.SortedSet<String> keys = new java.util.TreeSet<>();
        for (String k : config.uniqueKeys()) {
            String key = k == null ? "" : k.strip().toLowerCase(Locale.ROOT);
            if (key.equals("phone") || key.equals("email")) {
                keys.add(key);
            } else if (!key.isEmpty()) {
                LOG.warn("Ignoring unknown customer key '{}' in {}: use phone and/or email", k, PID);
            }
        }
        uniqueKeys = java.util.Collections.unmodifiableSortedSet(keys);
        if (config.importMaxRows() < 1) {
            LOG.warn("Ignoring importMaxRows {} in {}: it must be at least 1; using {}", config.importMaxRows(), PID,
                    DEFAULT_IMPORT_MAX_ROWS);
        }
        importMaxRows = config.importMaxRows() < 1 ? DEFAULT_IMPORT_MAX_ROWS : config.importMaxRows();
    }

    /** @return the configured exclusivity keys, sorted: the order in which every writer locks them */
    Set<String> uniqueKeys() {
        return uniqueKeys;
    }

    /** @return the most rows one import may carry */
    int importMaxRows() {
        return importMaxRows;
    }
    private static final Logger LOG = LoggerFactory.getLogger(CustomerServiceImpl.class);
    private final Clock clock = DbClock.UTC;
    private final List<OwnershipParticipant> participants = new CopyOnWriteArrayList<>();

    @Reference
    RightsServiceImpl rights;

    @Reference
    Tx tx;

    @Reference
    InputValidator validator;

    @Reference
    SubsidiaryServiceImpl subsidiaries;

    @Override
    public CustomerDTO create(CallerContext caller, CustomerDTO input) {
        String code = caller.requireSubsidiary();
        rights.require(caller, CoreResourceTypes.CUSTOMER, Right.ENTER);
        long sid = subsidiaries.idOf(code);
        validator.validate(input, ageErrors(input));
        return tx.run((em, events) -> {
            CustomerEntity c = new CustomerEntity();
            c.subsidiaryId = sid;
            copyWritable(input, c);
            c.enteredBy = Records.caller(em, caller);
            c.owner = Records.ownerFor(em, caller, c.enteredBy, input.owner, code);
            requireExclusive(em, sid, c, null);
            Instant now = clock.instant();
            c.created(now);
            em.persist(c);
            em.flush();
            Audit.record(em, caller, sid, "customer", c.id, "CREATE", Map.of(), c, now);
            events.add(CrmTopics.CUSTOMER_CREATED, Records.event(caller, "customer", c.id, c.id, c.owner.login, c.version));
            return Mapper.customer(c, code);
        });
    }

    @Override
    public CustomerDTO get(CallerContext caller, long id) {
        String code = caller.requireSubsidiary();
        rights.require(caller, CoreResourceTypes.CUSTOMER, Right.QUERY);
        long sid = subsidiaries.idOf(code);
        return tx.run((em, events) -> Mapper.customer(Records.customer(em, caller, sid, id), code));
    }

    @Override
    public CustomerDTO update(CallerContext caller, long id, CustomerDTO input) {
        String code = caller.requireSubsidiary();
        rights.require(caller, CoreResourceTypes.CUSTOMER, Right.MODIFY);
        long sid = subsidiaries.idOf(code);
        validator.validate(input, ageErrors(input));
        return tx.run((em, events) -> {
            CustomerEntity c = Records.customerToChange(em, caller, sid, id);
            Records.checkVersion("customer", id, input.version, c.version);
            Map<String, Object> before = Audit.snapshot(c);
            copyWritable(input, c);
            if (!c.archived) {
                requireExclusive(em, sid, c, c.id);
            }
            c.updatedAt = clock.instant();
            em.flush();
            Audit.record(em, caller, sid, "customer", c.id, "UPDATE", before, c, c.updatedAt);
            events.add(CrmTopics.CUSTOMER_UPDATED, Records.event(caller, "customer", c.id, c.id, c.owner.login, c.version));
            return Mapper.customer(c, code);
        });
    }

    @Override
    public CustomerDTO archive(CallerContext caller, long id) {
        String code = caller.requireSubsidiary();
        rights.require(caller, CoreResourceTypes.CUSTOMER, Right.MODIFY);
        long sid = subsidiaries.idOf(code);
        return tx.run((em, events) -> {
            CustomerEntity c = Records.customerToChange(em, caller, sid, id);
            Map<String, Object> before = Audit.snapshot(c);
            if (c.archive(clock.instant())) {
                em.flush();
                Audit.record(em, caller, sid, "customer", c.id, "ARCHIVE", before, c, c.updatedAt);
                events.add(CrmTopics.CUSTOMER_ARCHIVED, Records.event(caller, "customer", c.id, c.id, c.owner.login, c.version));
            }
            return Mapper.customer(c, code);
        });
    }

    @Override
    public ReassignmentDTO reassign(CallerContext caller, ReassignmentDTO request) {
        String code = caller.requireSubsidiary();
        rights.require(caller, CoreResourceTypes.CUSTOMER, Right.ADMIN);
        long sid = subsidiaries.idOf(code);
        validator.validate(request);
        String from = request.from.strip();
        String to = request.to.strip();
        if (from.equals(to)) {
            throw new ValidationException("to", "must differ from 'from'");
        }
        if (request.customerIds != null && request.customerIds.stream().anyMatch(java.util.Objects::isNull)) {
            throw new ValidationException("customerIds", "must not contain null");
        }
        Instant now = clock.instant();
        return tx.run((em, events) -> {
            UserEntity target = Records.activeUserIn(em, to, code, "to");
            // the leaving rep may be disabled, or have moved on, but must be someone of this subsidiary: a user of
            // another subsidiary is reported like one that does not exist, so the answer tells nothing about them
            UserEntity source = em.createQuery("select u from UserEntity u where u.login = :login", UserEntity.class)
                    .setParameter("login", from).getResultList().stream()
                    .filter(u -> UserServiceImpl.actsIn(u, code) || ownsCustomersIn(em, u, sid)).findFirst()
                    .orElseThrow(() -> new ValidationException("from", "no user '" + from + "' in subsidiary " + code));
            List<CustomerEntity> moving;
            if (request.customerIds == null) {
                moving = em.createQuery("select c from CustomerEntity c where c.subsidiaryId = :sid and c.owner = :from"
                        + " order by c.id", CustomerEntity.class).setParameter("sid", sid).setParameter("from", source)
                        .getResultList();
            } else {
                moving = new ArrayList<>();
                for (Long id : new LinkedHashSet<>(request.customerIds)) {
                    CustomerEntity c = em.find(CustomerEntity.class, id);
                    if (c == null || c.subsidiaryId != sid) {
                        throw new ValidationException("customerIds", "no customer " + id + " in subsidiary " + code);
                    }
                    if (!c.owner.id.equals(source.id)) {
                        throw new ValidationException("customerIds", "customer " + id + " is owned by " + c.owner.login
                                + ", not " + from);
                    }
                    moving.add(c);
                }
            }
            Set<Long> ids = new LinkedHashSet<>();
            String reason = request.reason == null ? "" : request.reason.strip();
            for (CustomerEntity c : moving) {
                c.owner = target;
                c.updatedAt = now;
                ids.add(c.id);
                OwnerChangeEntity h = new OwnerChangeEntity();
                h.customerId = c.id;
                h.subsidiaryId = sid;
                h.fromOwner = from;
                h.toOwner = to;
                h.reason = reason;
                h.changedBy = caller.login();
                h.changedAt = now;
                em.persist(h);
                Audit.record(em, caller, sid, "customer", c.id, "REASSIGN", Map.of("owner", from), Map.of("owner", to), now);
            }
            int activities = 0;
            if (!ids.isEmpty()) {
                List<ActivityEntity> open = em.createQuery("select a from ActivityEntity a where a.customer.id in :ids"
                        + " and a.owner = :from and a.done = false and a.archived = false", ActivityEntity.class)
                        .setParameter("ids", ids).setParameter("from", source).getResultList();
                for (ActivityEntity a : open) {
                    a.owner = target;
                    a.updatedAt = now;
                    Audit.record(em, caller, sid, "activity", a.id, "REASSIGN", Map.of("owner", from), Map.of("owner", to), now);
                }
                activities = open.size();
            }
            em.flush();
            Map<String, Integer> modules = new TreeMap<>();
            if (!ids.isEmpty()) {
                java.sql.Connection connection = em.unwrap(java.sql.Connection.class);
                for (OwnershipParticipant p : participants) {
                    try {
                        modules.merge(p.module(), p.transfer(connection, caller, Set.copyOf(ids), from, to), Integer::sum);
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException("module " + p.module() + " could not move its records: "
                                + e.getMessage(), e);
                    }
                }
            }
            for (CustomerEntity c : moving) {
                Map<String, Object> p = Records.event(caller, "customer", c.id, c.id, to, c.version);
                p.put(CrmEventProperties.PREVIOUS_OWNER, from);
                events.add(CrmTopics.CUSTOMER_REASSIGNED, p);
            }
            LOG.info("{} moved {} customers, {} open activities and {} from {} to {} in {}", caller.login(), ids.size(),
                    activities, modules, from, to, code);
            ReassignmentDTO result = new ReassignmentDTO();
            result.from = from;
            result.to = to;
            result.customerIds = List.copyOf(ids);
            result.reason = reason;
            result.customers = ids.size();
            result.activities = activities;
            result.modules = modules;
            return result;
        });
    }

    private static boolean ownsCustomersIn(EntityManager em, UserEntity user, long sid) {
        return !em.createQuery("select c.id from CustomerEntity c where c.subsidiaryId = :sid and c.owner = :u", Long.class)
                .setParameter("sid", sid).setParameter("u", user).setMaxResults(1).getResultList().isEmpty();
    }

    @Override
    public List<OwnerChangeDTO> owners(CallerContext caller, long id) {
        String code = caller.requireSubsidiary();
        rights.require(caller, CoreResourceTypes.CUSTOMER, Right.QUERY);
        long sid = subsidiaries.idOf(code);
        return tx.run((em, events) -> {
            Records.customer(em, caller, sid, id);
            return em.createQuery("select h from OwnerChangeEntity h where h.customerId = :id order by h.changedAt, h.id",
                    OwnerChangeEntity.class).setParameter("id", id).getResultList().stream().map(h -> {
                        OwnerChangeDTO d = new OwnerChangeDTO();
                        d.from = h.fromOwner;
                        d.to = h.toOwner;
                        d.reason = h.reason;
                        d.changedBy = h.changedBy;
                        d.changedAt = h.changedAt;
                        return d;
                    }).toList();
        });
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addParticipant(OwnershipParticipant participant) {
        participants.add(participant);
    }

    void removeParticipant(OwnershipParticipant participant) {
        participants.remove(participant);
    }

    @Override
    public Page<CustomerDTO> search(CallerContext caller, CustomerQuery query) {
        String code = caller.requireSubsidiary();
        rights.require(caller, CoreResourceTypes.CUSTOMER, Right.QUERY);
        long sid = subsidiaries.idOf(code);
        StringBuilder where = new StringBuilder(" where c.subsidiaryId = :sid");
        String text = Records.clean(query.text());
        if (!query.includeArchived()) {
            where.append(" and c.archived = false");
        }
        if (query.owner() != null) {
            where.append(" and c.owner.login = :owner");
        }
        if (text != null) {
            where.append(" and (lower(c.name) like :name escape '\\' or c.phone like :phone escape '\\')");
        }
        return tx.run((em, events) -> {
            java.util.Set<Long> visible = Records.visibleOwners(em, caller, sid);
            String scoped = visible == null ? where.toString() : where + " and c.owner.id in :visible";
            TypedQuery<Long> count = em.createQuery("select count(c) from CustomerEntity c" + scoped, Long.class);
            TypedQuery<CustomerEntity> rows = em.createQuery(
                    "select c from CustomerEntity c" + scoped + " order by c.name, c.id", CustomerEntity.class);
            for (TypedQuery<?> q : List.of(count, rows)) {
                q.setParameter("sid", sid);
                if (visible != null) {
                    q.setParameter("visible", visible);
                }
                if (query.owner() != null) {
                    q.setParameter("owner", query.owner());
                }
                if (text != null) {
                    String escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
                    q.setParameter("name", "%" + escaped.toLowerCase(Locale.ROOT) + "%");
                    q.setParameter("phone", escaped + "%");
                }
            }
            return Records.page(count, rows, query.page(), c -> Mapper.customer(c, code));
        });
    }

    /** Birth year not in the future; age and birth year, when both are given, must agree (within the year's turn). */
    List<FieldError> ageErrors(CustomerDTO in) {
        List<FieldError> errors = new ArrayList<>();
        if (in == null) {
            return errors;
        }
        int year = Year.now(clock).getValue();
        if (in.birthYear != null && in.birthYear > year) {
            errors.add(new FieldError("birthYear", "must not lie in the future"));
        }
        if (in.birthYear != null && in.age != null && Math.abs(year - in.age - in.birthYear) > 1) {
            errors.add(new FieldError("age", "does not match birthYear " + in.birthYear + "; send one of them"));
        }
        return errors;
    }

    /**
     * Refuses a customer that shares an exclusivity key with another live customer of the subsidiary (409 naming that
     * customer and its owner). Serialised per key value with a transaction-scoped advisory lock, so two concurrent
     * creations of the same phone cannot both pass.
     */
    private void requireExclusive(javax.persistence.EntityManager em, long sid, CustomerEntity c, Long self) {
        for (String key : uniqueKeys) {
            String value = CustomerKeys.value(key, c.phone, c.email);
            if (value == null) {
                continue;
            }
            // shared: single writers of other values pass; a bulk import of the subsidiary (exclusive) waits or is waited for
            em.createNativeQuery("SELECT pg_advisory_xact_lock_shared(hashtext(?1)), pg_advisory_xact_lock(hashtext(?2))")
                    .setParameter(1, CustomerKeys.keyLock(sid, key))
                    .setParameter(2, CustomerKeys.valueLock(sid, key, value)).getSingleResult();
            String column = CustomerKeys.column(key);
            @SuppressWarnings("unchecked")
            List<Object[]> found = em.createNativeQuery("SELECT c.id, c.name, u.login FROM crm_customer c JOIN crm_user u"
                    + " ON u.id = c.owner_id WHERE c.subsidiary_id = ?1 AND NOT c.archived AND " + column + " = ?2"
                    + " AND c.id <> ?3 LIMIT 1").setParameter(1, sid).setParameter(2, value)
                    .setParameter(3, self == null ? -1L : self).getResultList();
            if (!found.isEmpty()) {
                Object[] other = found.get(0);
                throw new ConflictException("duplicate_customer", taken(key, other[0], other[1], other[2]));
            }
        }
    }

    /** @return why a customer cannot have a key value that customer {@code id} of {@code owner} has */
    static String taken(String key, Object id, Object name, Object owner) {
        return "customer " + id + " (" + name + ") with the same " + key + " belongs to " + owner + " already; ask them,"
                + " or an administrator to reassign it";
    }

    /** Copies the writable fields of a create or update, normalised as stored. */
    void copyWritable(CustomerDTO in, CustomerEntity c) {
        c.name = in.name.strip();
        c.phone = Records.clean(in.phone);
        c.email = Records.clean(in.email);
        c.occupation = Records.clean(in.occupation);
        c.birthYear = in.birthYear != null ? in.birthYear
                : in.age != null ? Year.now(clock).getValue() - in.age : null;
        c.address = Records.clean(in.address);
        c.notes = Records.clean(in.notes);
    }
}
