package org.groupcrm.plugins.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link OpportunityOwnership}: a reassignment moves the former owner's open opportunities of those customers only. */
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

    @Test
    void onlyTheFormerOwnersOpenWorkOfThoseCustomersMoves() throws Exception {
        OpportunityOwnership ownership = new OpportunityOwnership();
        int moved;
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            moved = ownership.transfer(c, "S1", Set.of(1L, 3L), "rita", "rose");
        }
        assertEquals(2, moved);
        List<String> owners = db.read((c, e) -> Rows.list(c, "SELECT owner || '/' || customer_id || '/' || status || '/'"
                + " || archived || '/' || subsidiary FROM pipeline_opportunity ORDER BY id", List.of(), rs -> rs.getString(1)));
        assertEquals(List.of("rose/1/OPEN/false/S1", "rita/1/WON/false/S1", "rita/1/OPEN/true/S1", "ray/1/OPEN/false/S1",
                "rita/2/OPEN/false/S1", "rita/1/OPEN/false/S2", "rose/3/OPEN/false/S1"), owners);
        assertEquals("pipeline", ownership.module());
    }
}
