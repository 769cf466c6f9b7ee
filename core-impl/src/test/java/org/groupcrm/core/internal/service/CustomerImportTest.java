package org.groupcrm.core.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Year;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.SubsidiaryRequiredException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.event.CrmEventProperties;
import org.groupcrm.core.api.event.CrmTopics;
import org.groupcrm.core.internal.persistence.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import com.fasterxml.jackson.databind.ObjectMapper;

/** {@link CustomerImport} on a real PostgreSQL: all or nothing, the rules of a single create, the same stored rows. */
class CustomerImportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;
    private static CoreServices services;
    private static int subsidiaries;

    private String code;
    private long sid;
    private CallerContext admin;
    private CallerContext rep;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.start();
        services = new CoreServices(db);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    /** Each test in a subsidiary of its own, with an entering user and a rep. */
    @BeforeEach
    void subsidiary() throws Exception {
        services.configure(10_000, "phone");
        code = "S" + (++subsidiaries);
        sid = services.subsidiary(code);
        admin = services.user("admin-" + code, code, "subsidiary-admin");
        rep = services.user("rep-" + code, code);
        db.events().clear();
    }

    private static CustomerDTO customer(String name, String phone) {
        CustomerDTO c = new CustomerDTO();
        c.name = name;
        c.phone = phone;
        return c;
    }

    private long customers() throws Exception {
        return ((Number) db.scalar("SELECT count(*) FROM crm_customer WHERE subsidiary_id = ?", sid)).longValue();
    }

    private long auditRows() throws Exception {
        return ((Number) db.scalar("SELECT count(*) FROM crm_audit WHERE subsidiary_id = ?", sid)).longValue();
    }

    private void assertNothingWritten() throws Exception {
        assertEquals(0, customers(), "customers of " + code);
        assertEquals(0, auditRows(), "audit rows of " + code);
        assertTrue(db.events().isEmpty(), "events: " + db.events());
    }

    @Test
    void rowsAreStoredAsASingleCreateStoresThem() throws Exception {
        CustomerDTO single = customer("  Zhang Min ", "+86 21 5555 0101");
        single.email = "zhang@example.com";
        single.occupation = "engineer";
        single.age = 41;
        single.address = " Nanjing Road 1 ";
        single.notes = "met at the fair";
        single.owner = rep.login();
        CustomerDTO created = services.customers().create(admin, single);
        CustomerDTO bulk = customer("  Zhang Min ", "+86 21 5555 0102");
        bulk.email = "zhang@example.com";
        bulk.occupation = "engineer";
        bulk.age = 41;
        bulk.address = " Nanjing Road 1 ";
        bulk.notes = "met at the fair";
        bulk.owner = rep.login();
        CustomerImportDTO result = services.imports().importAll(admin, List.of(bulk));
        long id = result.ids.get(0);
        assertEquals(1, result.created);
        assertTrue(id > created.id, "ids from the same sequence: " + id + " after " + created.id);

        String columns = "subsidiary_id, name, email, occupation, birth_year, address, notes, owner_id, entered_by_id,"
                + " version, archived, created_at = updated_at";
        List<Object> a = db.rows("SELECT " + columns + " FROM crm_customer WHERE id = ?", created.id).get(0);
        List<Object> b = db.rows("SELECT " + columns + " FROM crm_customer WHERE id = ?", id).get(0);
        assertEquals(a, b);
        assertEquals(List.of(sid, "Zhang Min", "zhang@example.com", "engineer", Year.now().getValue() - 41,
                "Nanjing Road 1", "met at the fair", rep.userId(), admin.userId(), 1L, false, true), b);

        Map<?, ?> singleAudit = JSON.readValue((String) db.scalar("SELECT changes FROM crm_audit WHERE entity = 'customer'"
                + " AND entity_id = ?", String.valueOf(created.id)), Map.class);
        Map<?, ?> bulkAudit = JSON.readValue((String) db.scalar("SELECT changes FROM crm_audit WHERE entity = 'customer'"
                + " AND entity_id = ?", String.valueOf(id)), Map.class);
        assertEquals(singleAudit.keySet(), bulkAudit.keySet());
        for (Object field : singleAudit.keySet()) {
            if (!field.equals("id") && !field.equals("phone")) {
                assertEquals(singleAudit.get(field), bulkAudit.get(field), String.valueOf(field));
            }
        }
        assertEquals(id, ((Number) ((Map<?, ?>) bulkAudit.get("id")).get("after")).longValue());
        assertEquals(List.of("CREATE", admin.login()), db.rows("SELECT action, actor FROM crm_audit WHERE entity_id = ?",
                String.valueOf(id)).get(0));

        List<Event> events = db.events();
        assertEquals(2, events.size());
        assertEquals(events.get(0).getTopic(), events.get(1).getTopic());
        assertEquals(CrmTopics.CUSTOMER_CREATED, events.get(1).getTopic());
        for (String p : List.of(CrmEventProperties.SUBSIDIARY, CrmEventProperties.ENTITY, CrmEventProperties.OWNER,
                CrmEventProperties.ACTOR, CrmEventProperties.VERSION)) {
            assertEquals(events.get(0).getProperty(p), events.get(1).getProperty(p), p);
        }
        assertEquals(id, events.get(1).getProperty(CrmEventProperties.ID));
        assertEquals(id, events.get(1).getProperty(CrmEventProperties.CUSTOMER_ID));
    }

    @Test
    void eachCustomerGetsItsAuditRowAndItsEventInRowOrder() throws Exception {
        List<CustomerDTO> rows = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            rows.add(customer("Customer " + i, "+49 30 " + (1000 + i)));
        }
        CustomerImportDTO result = services.imports().importAll(rep, rows);
        assertEquals(250, result.created);
        assertEquals(250, result.ids.size());
        assertEquals(250, customers());
        for (int i : new int[] {0, 117, 249}) {
            assertEquals(List.of("Customer " + i, "+49 30 " + (1000 + i), rep.userId(), rep.userId()),
                    db.rows("SELECT name, phone, owner_id, entered_by_id FROM crm_customer WHERE id = ?", result.ids.get(i)).get(0));
        }
        assertEquals(250L, ((Number) db.scalar("SELECT count(*) FROM crm_audit a JOIN crm_customer c"
                + " ON a.entity_id = c.id::text WHERE a.entity = 'customer' AND a.action = 'CREATE' AND a.actor = ?"
                + " AND c.subsidiary_id = ? AND a.subsidiary_id = c.subsidiary_id", rep.login(), sid)).longValue());
        assertEquals(result.ids, db.events().stream().map(e -> e.getProperty(CrmEventProperties.ID)).toList());
    }

    @Test
    void invalidRowsRefuseTheWholeBatchNamingEachRow() throws Exception {
        CustomerDTO noName = customer(" ", "12");
        CustomerDTO badEmail = customer("B", "+49 30 2222");
        badEmail.email = "not-an-address";
        badEmail.birthYear = 2099;
        InvalidRowsException e = assertThrows(InvalidRowsException.class, () -> services.imports().importAll(admin,
                List.of(customer("A", "+49 30 1111"), noName, customer("C", null), badEmail)));
        assertEquals(List.of(new RowError(2, "name", "must not be blank"),
                new RowError(2, "phone", "must be a phone number: digits, optionally a leading '+', spaces, '(', ')', '.', '/', '-'"),
                new RowError(4, "birthYear", "must not lie in the future"),
                new RowError(4, "email", "must be a well-formed email address")), e.rows());
        assertEquals("validation_failed", e.code());
        assertTrue(e.getMessage().startsWith("4 problems in 2 of 4 rows"), e.getMessage());
        assertNothingWritten();
    }

    @Test
    void aBadRowAfterTheFirstChunksStillRefusesEverythingAndEveryProblemIsListed() throws Exception {
        List<CustomerDTO> rows = new ArrayList<>();
        for (int i = 0; i < 3500; i++) {
            rows.add(customer("Customer " + i, "+49 30 7" + i));
        }
        rows.get(1500).name = "";
        rows.get(3400).email = "not-an-address";
        InvalidRowsException e = assertThrows(InvalidRowsException.class, () -> services.imports().importAll(admin, rows));
        assertEquals(List.of(1501, 3401), e.rows().stream().map(RowError::row).toList());
        assertNothingWritten();
    }

    @Test
    void invalidRowsAreReportedBeforeDuplicates() throws Exception {
        InvalidRowsException e = assertThrows(InvalidRowsException.class, () -> services.imports().importAll(admin,
                List.of(customer("A", "+49 30 1"), customer("B", "+49 30 1"), customer("", "+49 30 2"))));
        assertEquals(List.of(new RowError(3, "name", "must not be blank")), e.rows());
        assertNothingWritten();
    }

    @Test
    void anUnknownOrForeignOwnerIsAnInvalidRow() throws Exception {
        String other = "O" + subsidiaries;
        services.subsidiary(other);
        CallerContext stranger = services.user("stranger-" + code, other);
        CustomerDTO unknown = customer("A", null);
        unknown.owner = "nobody";
        CustomerDTO foreign = customer("B", null);
        foreign.owner = stranger.login();
        CustomerDTO fine = customer("C", null);
        fine.owner = rep.login();
        InvalidRowsException e = assertThrows(InvalidRowsException.class,
                () -> services.imports().importAll(admin, List.of(unknown, fine, foreign)));
        assertEquals(List.of(new RowError(1, "owner", "no active user 'nobody' in subsidiary " + code),
                new RowError(3, "owner", "no active user '" + stranger.login() + "' in subsidiary " + code)), e.rows());
        assertNothingWritten();
    }

    @Test
    void serverKeptFieldsAreIgnoredAsInASingleCreate() throws Exception {
        CustomerDTO c = customer("Kept", null);
        c.id = 999_999L;
        c.subsidiary = "ELSEWHERE";
        c.enteredBy = rep.login();
        c.version = 7L;
        c.archived = true;
        c.createdAt = java.time.Instant.parse("2001-01-01T00:00:00Z");
        long id = services.imports().importAll(admin, List.of(c)).ids.get(0);
        assertTrue(id != 999_999L);
        assertEquals(List.of(sid, admin.userId(), admin.userId(), 1L, false), db.rows("SELECT subsidiary_id, owner_id,"
                + " entered_by_id, version, archived FROM crm_customer WHERE id = ?", id).get(0));
        assertTrue(((java.sql.Timestamp) db.scalar("SELECT created_at FROM crm_customer WHERE id = ?", id)).toInstant()
                .isAfter(c.createdAt));
    }

    @Test
    void aPhoneTwiceInTheBatchIsADuplicate() throws Exception {
        DuplicateRowsException e = assertThrows(DuplicateRowsException.class, () -> services.imports().importAll(admin,
                List.of(customer("A", "+49 (30) 1234-5"), customer("B", "+49 30 9"), customer("C", "49 30 12345"),
                        customer("D", "4930 12345"))));
        assertEquals("duplicate_customer", e.code());
        assertEquals(List.of(new RowError(3, "phone", "same phone as row 1 of this import"),
                new RowError(4, "phone", "same phone as row 1 of this import")), e.rows());
        assertNothingWritten();
    }

    @Test
    void aPhoneOfALiveCustomerOfTheSubsidiaryIsADuplicateNamingItsOwner() throws Exception {
        CustomerDTO existing = customer("Existing", "+49 30 777");
        existing.owner = rep.login();
        long existingId = services.customers().create(admin, existing).id;
        CustomerDTO archived = services.customers().create(admin, customer("Archived", "+49 30 888"));
        services.customers().archive(admin, archived.id);
        String other = "P" + subsidiaries;
        services.subsidiary(other);
        services.customers().create(services.user("other-" + code, other), customer("Elsewhere", "+49 30 999"));
        db.events().clear();
        long before = customers();
        long auditBefore = auditRows();

        DuplicateRowsException e = assertThrows(DuplicateRowsException.class, () -> services.imports().importAll(admin,
                List.of(customer("New", "+49 30 999"), customer("Again", "49 (30) 777"), customer("Back", "4930888"))));
        // rows 1 and 3 repeat another subsidiary's and an archived customer's phone: neither counts
        assertEquals(List.of(new RowError(2, "phone", "customer " + existingId + " (Existing) with the same phone belongs to "
                + rep.login() + " already; ask them, or an administrator to reassign it")), e.rows());
        assertEquals(before, customers());
        assertEquals(auditBefore, auditRows());
        assertTrue(db.events().isEmpty());
    }

    @Test
    void theEmailIsAKeyWhenConfigured() throws Exception {
        services.configure(10_000, "phone", "email");
        CustomerDTO existing = customer("Existing", null);
        existing.email = "Max@Example.com";
        long existingId = services.customers().create(admin, existing).id;
        CustomerDTO again = customer("Again", null);
        again.email = "max@example.COM";
        CustomerDTO first = customer("First", null);
        first.email = "first@example.com";
        CustomerDTO twice = customer("Twice", null);
        twice.email = "FIRST@example.com";
        DuplicateRowsException e = assertThrows(DuplicateRowsException.class,
                () -> services.imports().importAll(admin, List.of(again, first, twice)));
        assertEquals(List.of(1, 3), e.rows().stream().map(RowError::row).toList());
        assertTrue(e.rows().get(0).reason().startsWith("customer " + existingId + " (Existing) with the same email"),
                e.rows().toString());
        assertEquals("same email as row 2 of this import", e.rows().get(1).reason());
    }

    @Test
    void anEmptyBatchAndOneOverTheCapAreRefused() throws Exception {
        ValidationException empty = assertThrows(ValidationException.class,
                () -> services.imports().importAll(admin, List.of()));
        assertEquals("body", empty.fields().get(0).field());
        services.configure(3, "phone");
        assertEquals(3, services.imports().maxRows());
        List<CustomerDTO> four = List.of(customer("A", null), customer("B", null), customer("C", null), customer("D", null));
        TooManyRowsException e = assertThrows(TooManyRowsException.class, () -> services.imports().importAll(admin, four));
        assertEquals("too_many_rows", e.code());
        assertTrue(e.getMessage().contains("at most 3 customers"), e.getMessage());
        assertNothingWritten();
        assertEquals(3, services.imports().importAll(admin, four.subList(0, 3)).created);
    }

    @Test
    void aCallerWithoutASubsidiaryMustChooseOne() {
        CallerContext groupAdmin = new CallerContext(admin.userId(), admin.login(), null, admin.roles());
        assertThrows(SubsidiaryRequiredException.class,
                () -> services.imports().importAll(groupAdmin, List.of(customer("A", null))));
    }

    @Test
    void textsSurviveTheCopyAsTheyWereSent() throws Exception {
        CustomerDTO c = customer("O'Brien \\ \"Tab\tand\\N\"", null);
        c.notes = "line one\nline two\r\n\ttabbed \\N \\. end\u00e9\u4e2d";
        c.address = "\\";
        long id = services.imports().importAll(admin, List.of(c)).ids.get(0);
        assertEquals(List.of(c.name, c.notes, "\\"), db.rows("SELECT name, notes, address FROM crm_customer WHERE id = ?",
                id).get(0));
        Map<?, ?> audit = JSON.readValue((String) db.scalar("SELECT changes FROM crm_audit WHERE entity_id = ?",
                String.valueOf(id)), Map.class);
        assertEquals(c.notes, ((Map<?, ?>) audit.get("notes")).get("after"));
    }

    @Test
    void aNulCharacterIsAnInvalidRow() throws Exception {
        InvalidRowsException e = assertThrows(InvalidRowsException.class,
                () -> services.imports().importAll(admin, List.of(customer("A\0B", null))));
        assertEquals(List.of(new RowError(1, "name", "must not contain a NUL character")), e.rows());
        assertNothingWritten();
    }

    @Test
    void anImportWaitsForASingleCreateInFlightAndThenSeesItsCustomer() throws Exception {
        try (Connection single = db.dataSource().getConnection()) {
            single.setAutoCommit(false);
            // what a single create holds from its exclusivity check until it commits
            try (PreparedStatement lock = single.prepareStatement("SELECT pg_advisory_xact_lock_shared(hashtext(?))")) {
                lock.setString(1, CustomerKeys.keyLock(sid, "phone"));
                lock.execute();
            }
            CompletableFuture<CustomerImportDTO> running = CompletableFuture.supplyAsync(
                    () -> services.imports().importAll(admin, List.of(customer("Late", "+49 30 4242"))));
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (((Number) db.scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
                    .longValue() == 0) {
                assertTrue(System.nanoTime() < until, "the import never waited for the lock");
                assertFalse(running.isDone(), "the import did not wait: " + running);
                Thread.sleep(20);
            }
            try (PreparedStatement insert = single.prepareStatement("INSERT INTO crm_customer (subsidiary_id, name, phone,"
                    + " owner_id, entered_by_id, created_at, updated_at, version) VALUES (?, 'Early', '+49 30 42 42', ?, ?,"
                    + " now(), now(), 1)")) {
                insert.setLong(1, sid);
                insert.setLong(2, rep.userId());
                insert.setLong(3, rep.userId());
                insert.executeUpdate();
            }
            single.commit();
            Exception e = assertThrows(Exception.class, () -> running.get(20, TimeUnit.SECONDS));
            DuplicateRowsException duplicate = (DuplicateRowsException) e.getCause();
            assertTrue(duplicate.rows().get(0).reason().contains("(Early)"), duplicate.rows().toString());
        }
        assertEquals(1, customers());
    }

    @Test
    void aSingleCreateWaitsForAnImportInFlight() throws Exception {
        try (Connection bulk = db.dataSource().getConnection()) {
            bulk.setAutoCommit(false);
            try (PreparedStatement lock = bulk.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                lock.setString(1, CustomerKeys.keyLock(sid, "phone"));
                lock.execute();
            }
            CompletableFuture<CustomerDTO> running = CompletableFuture.supplyAsync(
                    () -> services.customers().create(admin, customer("Single", "+49 30 5151")));
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (((Number) db.scalar("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))
                    .longValue() == 0) {
                assertTrue(System.nanoTime() < until, "the create never waited for the import's lock");
                assertFalse(running.isDone(), "the create did not wait: " + running);
                Thread.sleep(20);
            }
            bulk.rollback();
            assertEquals("Single", running.get(20, TimeUnit.SECONDS).name);
        }
    }

    @Test
    void aRepImportsOnlyForThemselvesAsASingleCreateWould() throws Exception {
        CustomerDTO forOther = customer("For the admin", "+49 30 4711");
        forOther.owner = admin.login();
        org.junit.jupiter.api.Assertions.assertThrows(org.groupcrm.core.api.ForbiddenException.class,
                () -> services.imports().importAll(rep, java.util.List.of(customer("Own", "+49 30 4712"), forOther)));
        org.junit.jupiter.api.Assertions.assertEquals(0, customers());
    }
}
