package org.groupcrm.core.internal.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import javax.persistence.EntityManager;

import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.CoreResourceTypes;
import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.ValidationException.FieldError;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.event.CrmTopics;
import org.groupcrm.core.internal.persistence.AuditEntity;
import org.groupcrm.core.internal.persistence.CustomerEntity;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.PgCopy;
import org.groupcrm.core.internal.persistence.LongWork;
import org.groupcrm.core.internal.persistence.Tx;
import org.groupcrm.core.internal.persistence.UserEntity;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk import of customers into the caller's subsidiary: every row gets the checks and the stored form of a single
 * create ({@link CustomerServiceImpl#create}: validation, owner, entered-by, exclusivity against the subsidiary's live
 * customers and the batch's other rows), then all rows and their audit rows are written with {@code COPY} on the
 * transaction's own connection, in one transaction; a {@code customer/CREATED} event per customer follows the commit.
 * Any problem refuses the whole batch, naming each row; nothing is written then.
 */
@Component(service = CustomerImport.class)
public class CustomerImport {
    private static final Logger LOG = LoggerFactory.getLogger(CustomerImport.class);
    private static final String[] CUSTOMER_COLUMNS = {"id", "subsidiary_id", "name", "phone", "email", "occupation",
        "birth_year", "address", "notes", "owner_id", "entered_by_id", "created_at", "updated_at", "version", "archived"};
    private static final String[] AUDIT_COLUMNS = {"subsidiary_id", "entity", "entity_id", "action", "changes", "actor", "at"};
    /** Rows validated (and then copied) together: small enough that the copy starts soon. */
    private static final int CHUNK = 1000;
    /** The version a new row gets, as EclipseLink's numeric optimistic locking starts it. */
    private static final long FIRST_VERSION = 1L;

    private final Clock clock = DbClock.UTC;

    @Reference
    RightsServiceImpl rights;

    @Reference
    Tx tx;

    @Reference
    InputValidator validator;

    @Reference
    SubsidiaryServiceImpl subsidiaries;

    @Reference
    CustomerServiceImpl customers;

    /** @return the most rows one import may carry (configuration {@code importMaxRows}) */
    public int maxRows() {
        return customers.importMaxRows();
    }

    /**
     * Creates one customer per row, all or none.
     *
     * @param rows the batch, in the client's order; row {@code i} of the list is the client's row {@code i + 1}
     * @throws ValidationException     the batch is empty, or (an {@link InvalidRowsException}) rows are invalid or
     *                                 name an owner who is not an active user of the subsidiary
     * @throws TooManyRowsException    more than {@link #maxRows()} rows
     * @throws DuplicateRowsException  rows repeat an exclusivity key of a live customer or of an earlier row
     */
    public CustomerImportDTO importAll(CallerContext caller, List<CustomerDTO> rows) {
        String code = caller.requireSubsidiary();
        rights.require(caller, CoreResourceTypes.CUSTOMER, Right.ENTER);
        long sid = subsidiaries.idOf(code);
        if (rows == null || rows.isEmpty()) {
            throw new ValidationException("body", "no customers to import: send at least one row");
        }
        if (rows.size() > maxRows()) {
            throw new TooManyRowsException(maxRows());
        }
        long t0 = System.nanoTime();
        // Bean Validation (most of the CPU the import itself costs) runs chunk by chunk beside the database work
        List<CompletableFuture<List<RowError>>> checks = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += CHUNK) {
            int first = from;
            int end = Math.min(rows.size(), from + CHUNK);
            checks.add(CompletableFuture.supplyAsync(() -> validate(rows, first, end)));
        }
        Set<String> keys = customers.uniqueKeys();
        CustomerImportDTO result;
        try {
            result = tx.run((em, events) -> {
                // first: every statement of the unit of work, EclipseLink's included, then runs on this connection
                Connection connection = em.unwrap(Connection.class);
                try (LongWork longWork = LongWork.allow(connection, LongWork.BULK)) {
                    return write(em, connection, events, caller, code, sid, keys, rows, checks);
                }
            });
        } finally {
            checks.forEach(c -> c.cancel(false));
        }
        LOG.info("{} imported {} customers into {} in {} ms (ids {}..{})", caller.login(), result.created, code,
                (System.nanoTime() - t0) / 1_000_000, result.ids.get(0), result.ids.get(result.ids.size() - 1));
        return result;
    }

    /**
     * The unit of work: owners, exclusivity and ids first (while the rows are validated), then the customers copied
     * chunk by chunk as each chunk turns out valid, then their trail rows. The first problem stops the copying; the
     * remaining rows are still checked, so that the refusal names every problem, and the transaction rolls back.
     */
    private CustomerImportDTO write(EntityManager em, Connection connection, Tx.Events events, CallerContext caller,
            String code, long sid, Set<String> keys, List<CustomerDTO> rows,
            List<CompletableFuture<List<RowError>>> checks) throws SQLException {
        UserEntity enteredBy = Records.caller(em, caller);
        Instant now = clock.instant();
        List<RowError> invalid = new ArrayList<>();
        List<UserEntity> owners = owners(em, caller, code, rows, enteredBy, invalid);
        List<RowError> conflicts = conflicts(connection, sid, keys, rows);
        boolean writing = invalid.isEmpty() && conflicts.isEmpty();
        // drawn before the copy starts (no other statement can run during it), so a batch refused by a row's
        // validation leaves a gap in the customers' ids, as any rolled-back write does
        List<Long> ids = writing ? allocateIds(connection, rows.size()) : List.of();
        List<CustomerEntity> batch = new ArrayList<>(rows.size());
        List<CompletableFuture<List<AuditEntity>>> trail = new ArrayList<>();
        try (PgCopy copy = writing ? PgCopy.into(connection, "crm_customer", CUSTOMER_COLUMNS) : null) {
            for (int k = 0; k < checks.size(); k++) {
                invalid.addAll(checks.get(k).join());
                if (!writing || !invalid.isEmpty()) {
                    writing = false;
                    continue;
                }
                List<CustomerEntity> chunk = new ArrayList<>(CHUNK);
                for (int i = k * CHUNK; i < Math.min(rows.size(), (k + 1) * CHUNK); i++) {
                    CustomerEntity c = entity(rows.get(i), sid, enteredBy, owners.get(i), now);
                    c.id = ids.get(i);
                    copyCustomer(copy, c);
                    chunk.add(c);
                }
                batch.addAll(chunk);
                // the chunk's trail rows are made while the database takes the next chunks
                trail.add(CompletableFuture.supplyAsync(() -> chunk.stream()
                        .map(c -> Audit.entry(caller, sid, "customer", c.id, "CREATE", Map.of(), c, now)).toList()));
            }
            if (!invalid.isEmpty()) {
                throw new InvalidRowsException(invalid, rows.size());
            }
            if (!conflicts.isEmpty()) {
                throw new DuplicateRowsException(conflicts, rows.size());
            }
            copy.finish();
        }
        try (PgCopy copy = PgCopy.into(connection, "crm_audit", AUDIT_COLUMNS)) {
            for (CompletableFuture<List<AuditEntity>> chunk : trail) {
                for (AuditEntity a : chunk.join()) {
                    copy.number(a.subsidiaryId).text(a.entity).text(a.entityId).text(a.action).text(a.changes)
                            .text(a.actor).instant(a.at).endRow();
                }
            }
            copy.finish();
        }
        for (CustomerEntity c : batch) {
            events.add(CrmTopics.CUSTOMER_CREATED, Records.event(caller, "customer", c.id, c.id, c.owner.login, c.version));
        }
        CustomerImportDTO dto = new CustomerImportDTO();
        dto.created = batch.size();
        dto.ids = ids;
        return dto;
    }

    /** @return each row's owner, as a single create finds it (the caller when none is named); errors for unknown ones */
    private static List<UserEntity> owners(EntityManager em, CallerContext caller, String code, List<CustomerDTO> rows,
            UserEntity enteredBy,
            List<RowError> invalid) {
        Map<String, Optional<UserEntity>> byLogin = new HashMap<>();
        List<UserEntity> owners = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            CustomerDTO in = rows.get(i);
            if (in == null || in.owner == null) {
                owners.add(enteredBy);
                continue;
            }
            // the rules of a single create: a rep names only themselves, an assistant their reps, managers anyone
            // (a ForbiddenException refuses the whole batch, as it would refuse the single create)
            Optional<UserEntity> owner = byLogin.computeIfAbsent(in.owner, l -> {
                try {
                    return Optional.of(Records.ownerFor(em, caller, enteredBy, l, code));
                } catch (org.groupcrm.core.api.ValidationException unknown) {
                    return Optional.empty();
                }
            });
            if (owner.isEmpty()) {
                invalid.add(new RowError(i + 1, "owner", "no active user '" + in.owner + "' in subsidiary " + code));
            }
            owners.add(owner.orElse(null));
        }
        return owners;
    }

    /** A row as a single create stores it; the row is valid. */
    private CustomerEntity entity(CustomerDTO in, long sid, UserEntity enteredBy, UserEntity owner, Instant now) {
        CustomerEntity c = new CustomerEntity();
        c.subsidiaryId = sid;
        customers.copyWritable(in, c);
        c.enteredBy = enteredBy;
        c.owner = owner;
        c.created(now);
        c.version = FIRST_VERSION;
        return c;
    }

    /** @return the problems of rows {@code from} (0-based) to {@code to} (exclusive) */
    private List<RowError> validate(List<CustomerDTO> rows, int from, int to) {
        List<RowError> errors = new ArrayList<>();
        for (int i = from; i < to; i++) {
            errors.addAll(validate(i + 1, rows.get(i)));
        }
        return errors;
    }

    /** @return the problems of one row; none when it is valid */
    private List<RowError> validate(int row, CustomerDTO in) {
        List<RowError> errors = new ArrayList<>();
        if (in == null) {
            errors.add(new RowError(row, "body", "must be a customer, not null"));
            return errors;
        }
        for (FieldError f : validator.errors(in, customers.ageErrors(in))) {
            errors.add(new RowError(row, f.field(), f.reason()));
        }
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("name", in.name);
        texts.put("phone", in.phone);
        texts.put("email", in.email);
        texts.put("occupation", in.occupation);
        texts.put("address", in.address);
        texts.put("notes", in.notes);
        texts.put("owner", in.owner);
        texts.forEach((field, value) -> {
            if (value != null && value.indexOf('\0') >= 0) {
                errors.add(new RowError(row, field, "must not contain a NUL character"));
            }
        });
        return errors;
    }

    /**
     * @return the rows that repeat a key of a live customer of the subsidiary or of an earlier row, by the values a
     *         single create would store. Holds each key's subsidiary-wide lock exclusively until the transaction ends,
     *         so no single create or update of the subsidiary can take the same value meanwhile (see {@link CustomerKeys}).
     */
    private static List<RowError> conflicts(Connection connection, long sid, Set<String> keys, List<CustomerDTO> rows)
            throws SQLException {
        List<RowError> conflicts = new ArrayList<>();
        for (String key : keys) {
            Map<String, Integer> firstRow = new HashMap<>();
            for (int i = 0; i < rows.size(); i++) {
                CustomerDTO in = rows.get(i);
                String value = in == null ? null : CustomerKeys.value(key, Records.clean(in.phone), Records.clean(in.email));
                if (value == null) {
                    continue;
                }
                Integer earlier = firstRow.putIfAbsent(value, i + 1);
                if (earlier != null) {
                    conflicts.add(new RowError(i + 1, key, "same " + key + " as row " + earlier + " of this import"));
                }
            }
            if (firstRow.isEmpty()) {
                continue;
            }
            try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, CustomerKeys.keyLock(sid, key));
                lock.execute();
            }
            // one probe of the key's index per value (LATERAL ... LIMIT 1), as a single create makes: a plain
            // "= ANY (values)" lets the planner scan the subsidiary's customers and compute every key instead
            String column = CustomerKeys.column(key);
            try (PreparedStatement ps = connection.prepareStatement("SELECT k.value, f.id, f.name, f.login"
                    + " FROM unnest(?::text[]) AS k(value) CROSS JOIN LATERAL (SELECT c.id, c.name, u.login"
                    + " FROM crm_customer c JOIN crm_user u ON u.id = c.owner_id WHERE c.subsidiary_id = ?"
                    + " AND NOT c.archived AND " + CustomerKeys.source(key) + " IS NOT NULL AND " + column + " = k.value"
                    + " LIMIT 1) f")) {
                ps.setArray(1, connection.createArrayOf("text", firstRow.keySet().toArray()));
                ps.setLong(2, sid);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Integer row = firstRow.get(rs.getString(1));
                        conflicts.add(new RowError(row, key, CustomerServiceImpl.taken(key, rs.getLong(2),
                                rs.getString(3), rs.getString(4))));
                    }
                }
            }
        }
        return conflicts;
    }

    /** @return {@code n} new ids from the customers' own sequence, the one single creates draw from */
    private static List<Long> allocateIds(Connection connection, int n) throws SQLException {
        List<Long> ids = new ArrayList<>(n);
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT nextval('crm_customer_id_seq') FROM generate_series(1, ?)")) {
            ps.setInt(1, n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getLong(1));
                }
            }
        }
        if (ids.size() != n) {
            throw new SQLException("the sequence gave " + ids.size() + " ids for " + n + " customers");
        }
        return ids;
    }

    private static void copyCustomer(PgCopy copy, CustomerEntity c) throws SQLException {
        copy.number(c.id).number(c.subsidiaryId).text(c.name).text(c.phone).text(c.email).text(c.occupation)
                .number(c.birthYear).text(c.address).text(c.notes).number(c.owner.id).number(c.enteredBy.id)
                .instant(c.createdAt).instant(c.updatedAt).number(c.version).bool(c.archived).endRow();
    }
}
