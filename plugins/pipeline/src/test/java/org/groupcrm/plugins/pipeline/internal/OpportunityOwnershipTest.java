package org.groupcrm.plugins.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.Set;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.user.Roles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link OpportunityOwnership}: a reassignment moves the former owner's open opportunities of those customers only,
 * each audited in the core's transaction.
 */
class OpportunityOwnershipTest {
    private static Db db;

    @BeforeAll
    static void database() throws Exception {
        db = new Db(TestDatabase.dataSource(), null);
    }

    @BeforeEach
    void data() throws Exception {
        TestDatabase.truncate();
        StageRepository.seedReference(db, "S1");
        StageRepository.seedReference(db, "S2");
        insert("S1", 1, "rita", "OPEN", false);   // moves
        insert("S1", 1, "rita", "WON", false);    // closed: stays
        insert("S1", 1, "rita", "OPEN", true);    // archived: stays
        insert("S1", 1, "ray", "OPEN", false);    // someone else's: stays
        insert("S1", 2, "rita", "OPEN", false);   // another customer: stays
        insert("S2", 1, "rita", "OPEN", false);   // another subsidiary: stays
        insert("S1", 3, "rita", "OPEN", false);   // moves
    }

    private static void insert(String subsidiary, long customer, String owner, String status, boolean archived) {
        db.tx((c, e) -> {
            long stage = StageRepository.first(c, subsidiary, Stages.Outcome.valueOf(status)).id();
            try (var p = c.prepareStatement("INSERT INTO pipeline_opportunity (subsidiary, customer_id, title, owner, amount,"
                    + " currency, stage_id, probability, status, stage_entered_at, last_activity_at, created_by, created_at,"
                    + " updated_at, archived) VALUES (?, ?, 't', ?, 1, 'CNY', ?, 10, ?, now(), now(), ?, now(), now(), ?)")) {
                p.setString(1, subsidiary);
                p.setLong(2, customer);
                p.setString(3, owner);
                p.setLong(4, stage);
                p.setString(5, status);
                p.setString(6, owner);
                p.setBoolean(7, archived);
                p.executeUpdate();
            }
            return null;
        });
    }

    private static final CallerContext MANAGER = new CallerContext(10, "mona", "S1", Set.of(Roles.SUBSIDIARY_ADMIN));

    private static List<Long> ids(String where) throws Exception {
        return db.read((c, e) -> Rows.list(c, "SELECT id FROM pipeline_opportunity WHERE " + where + " ORDER BY id",
                List.of(), rs -> rs.getLong(1)));
    }

    @Test
    void onlyTheFormerOwnersOpenWorkOfThoseCustomersMovesEachWithOneAuditEntry() throws Exception {
        OpportunityOwnership ownership = new OpportunityOwnership(TestAudit.moduleWith(db));
        List<Long> moving = ids("owner = 'rita' AND status = 'OPEN' AND NOT archived AND subsidiary = 'S1'"
                + " AND customer_id IN (1, 3)");
        int moved;
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            c.setAutoCommit(false);
            moved = ownership.transfer(c, MANAGER, Set.of(1L, 3L), "rita", "rose");
            c.commit();
        }
        assertEquals(2, moved);
        assertEquals(List.of("pipeline.opportunity " + moving.get(0) + " REASSIGN mona [owner]",
                "pipeline.opportunity " + moving.get(1) + " REASSIGN mona [owner]"), TestAudit.trail());
        assertEquals(List.of("owner: rita -> rose", "owner: rita -> rose"), TestAudit.diffs());
        List<String> owners = db.read((c, e) -> Rows.list(c, "SELECT owner || '/' || customer_id || '/' || status || '/'"
                + " || archived || '/' || subsidiary FROM pipeline_opportunity ORDER BY id", List.of(), rs -> rs.getString(1)));
        assertEquals(List.of("rose/1/OPEN/false/S1", "rita/1/WON/false/S1", "rita/1/OPEN/true/S1", "ray/1/OPEN/false/S1",
                "rita/2/OPEN/false/S1", "rita/1/OPEN/false/S2", "rose/3/OPEN/false/S1"), owners);
        assertEquals("pipeline", ownership.module());
    }

    @Test
    void aRolledBackReassignmentMovesNothingAndLeavesNoAuditEntry() throws Exception {
        OpportunityOwnership ownership = new OpportunityOwnership(TestAudit.moduleWith(db));
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            c.setAutoCommit(false);
            assertEquals(2, ownership.transfer(c, MANAGER, Set.of(1L, 3L), "rita", "rose"));
            c.rollback();
        }
        assertEquals(List.of(), ids("owner = 'rose'"));
        assertEquals(List.of(), TestAudit.trail());
    }

    @Test
    void nothingToMoveLeavesNoAuditEntry() throws Exception {
        OpportunityOwnership ownership = new OpportunityOwnership(TestAudit.moduleWith(db));
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            assertEquals(0, ownership.transfer(c, MANAGER, Set.of(2L), "ray", "rose"));
        }
        assertEquals(List.of(), TestAudit.trail());
    }

    @Test
    void theCallerlessVariantRefusesBecauseItCouldNotAudit() throws Exception {
        OpportunityOwnership ownership = new OpportunityOwnership(TestAudit.moduleWith(db));
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            @SuppressWarnings("deprecation")
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> ownership.transfer(c, "S1", Set.of(1L, 3L), "rita", "rose"));
            assertTrue(e.getMessage().contains("audit"));
        }
        assertEquals(List.of(), ids("owner = 'rose'"));
    }
}
