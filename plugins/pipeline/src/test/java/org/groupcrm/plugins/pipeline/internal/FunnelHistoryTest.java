package org.groupcrm.plugins.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.user.Roles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


/**
 * The stage history's derived columns (change set pipeline-3) that the funnel reads: each row's opportunity creation
 * time and the stay it ends, kept right by triggers under every kind of write — in order, backdated, changed,
 * moved, deleted, tampered with. After each test the whole table is compared with a recomputation from scratch.
 */
class FunnelHistoryTest {
    private static DataSource dataSource;
    private static Db db;

    @BeforeAll
    static void setUp() throws Exception {
        dataSource = TestDatabase.dataSource();
        TestDatabase.truncate();
        db = new Db(dataSource, null);
        StageRepository.seedReference(db, "T1");
    }

    @AfterEach
    void derivedColumnsMatchARecomputation() throws SQLException {
        assertEquals(0, inconsistentRows(dataSource), "rows whose derived columns differ from a recomputation");
    }

    /** Rows whose derived columns differ from their definition, recomputed over the whole table. */
    static long inconsistentRows(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pipeline_stage_history h JOIN (SELECT x.id,"
                        + " o.created_at, lag(x.to_stage_id) OVER w AS prev_stage, lag(x.changed_at) OVER w AS prev_at"
                        + " FROM pipeline_stage_history x JOIN pipeline_opportunity o ON o.id = x.opportunity_id"
                        + " WINDOW w AS (PARTITION BY x.opportunity_id ORDER BY x.changed_at, x.id)) d ON d.id = h.id"
                        + " WHERE h.opportunity_created_at IS DISTINCT FROM d.created_at"
                        + " OR h.stay_stage_id IS DISTINCT FROM d.prev_stage"
                        + " OR h.stay_started_at IS DISTINCT FROM d.prev_at")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The opportunity's history in order: "to<-stay@stayStart created" per row. */
    private static List<String> history(long opportunity) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("SELECT t.code,"
                + " s.code, to_char(h.stay_started_at AT TIME ZONE 'UTC', 'MM-DD'),"
                + " to_char(h.opportunity_created_at AT TIME ZONE 'UTC', 'MM-DD') FROM pipeline_stage_history h"
                + " JOIN pipeline_stage t ON t.id = h.to_stage_id LEFT JOIN pipeline_stage s ON s.id = h.stay_stage_id"
                + " WHERE h.opportunity_id = ? ORDER BY h.changed_at, h.id")) {
            p.setLong(1, opportunity);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "<-" + rs.getString(2) + "@" + rs.getString(3) + " " + rs.getString(4));
                }
            }
        }
        return rows;
    }

    private static long opp(String... path) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return FunnelServiceTest.opp(c, "T1", "carol", "100", "EUR", false, path);
        }
    }

    private static int update(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setObject(i + 1, params[i]);
            }
            return p.executeUpdate();
        }
    }

    private static void insertHistory(long opportunity, String to, String at) throws SQLException {
        update("INSERT INTO pipeline_stage_history (opportunity_id, subsidiary, to_stage_id, changed_by, changed_at)"
                + " SELECT ?, 'T1', id, 'carol', ?::timestamptz FROM pipeline_stage WHERE subsidiary = 'T1' AND code = ?",
                opportunity, at, to);
    }

    @Test
    void eachRowCarriesTheStayItEndsAndTheOpportunitysCreation() throws SQLException {
        long id = opp("lead", "2026-07-01T00:00Z", "qualified", "2026-07-11T00:00Z", "won", "2026-07-31T00:00Z");
        assertEquals(List.of("lead<-null@null 07-01", "qualified<-lead@07-01 07-01", "won<-qualified@07-11 07-01"),
                history(id));
    }

    @Test
    void aBackdatedRowTakesItsPlace() throws SQLException {
        long id = opp("lead", "2026-07-01T00:00Z", "qualified", "2026-07-11T00:00Z");
        insertHistory(id, "proposal", "2026-07-05T00:00Z");
        assertEquals(List.of("lead<-null@null 07-01", "proposal<-lead@07-01 07-01", "qualified<-proposal@07-05 07-01"),
                history(id));
    }

    @Test
    void rowsAtTheSameInstantFollowTheirIds() throws SQLException {
        long id = opp("lead", "2026-07-01T00:00Z", "qualified", "2026-07-02T00:00Z");
        insertHistory(id, "proposal", "2026-07-02T00:00Z");
        assertEquals(List.of("lead<-null@null 07-01", "qualified<-lead@07-01 07-01", "proposal<-qualified@07-02 07-01"),
                history(id));
    }

    @Test
    void deletingARowJoinsItsNeighbours() throws SQLException {
        long id = opp("lead", "2026-07-01T00:00Z", "qualified", "2026-07-11T00:00Z", "won", "2026-07-31T00:00Z");
        assertEquals(1, update("DELETE FROM pipeline_stage_history WHERE opportunity_id = ? AND changed_at = ?::timestamptz",
                id, "2026-07-11T00:00Z"));
        assertEquals(List.of("lead<-null@null 07-01", "won<-lead@07-01 07-01"), history(id));
    }

    @Test
    void movingARowInTimeReordersTheStays() throws SQLException {
        long id = opp("lead", "2026-07-01T00:00Z", "qualified", "2026-07-11T00:00Z", "proposal", "2026-07-21T00:00Z");
        update("UPDATE pipeline_stage_history SET changed_at = ?::timestamptz WHERE opportunity_id = ?"
                + " AND changed_at = ?::timestamptz", "2026-07-25T00:00Z", id, "2026-07-11T00:00Z");
        assertEquals(List.of("lead<-null@null 07-01", "proposal<-lead@07-01 07-01", "qualified<-proposal@07-21 07-01"),
                history(id));
    }

    @Test
    void changingARowsStageChangesTheNextStay() throws SQLException {
        long id = opp("lead", "2026-07-01T00:00Z", "qualified", "2026-07-11T00:00Z", "won", "2026-07-31T00:00Z");
        update("UPDATE pipeline_stage_history SET to_stage_id = (SELECT id FROM pipeline_stage WHERE subsidiary = 'T1'"
                + " AND code = 'negotiation') WHERE opportunity_id = ? AND changed_at = ?::timestamptz", id,
                "2026-07-11T00:00Z");
        assertEquals(List.of("lead<-null@null 07-01", "negotiation<-lead@07-01 07-01", "won<-negotiation@07-11 07-01"),
                history(id));
    }

    @Test
    void aRowMovedToAnotherOpportunityIsDerivedThereAndLeavesNoGap() throws SQLException {
        long a = opp("lead", "2026-07-01T00:00Z", "qualified", "2026-07-11T00:00Z", "won", "2026-07-31T00:00Z");
        long b = opp("lead", "2026-08-01T00:00Z");
        update("UPDATE pipeline_stage_history SET opportunity_id = ? WHERE opportunity_id = ? AND changed_at = ?::timestamptz",
                b, a, "2026-07-31T00:00Z");
        assertEquals(List.of("lead<-null@null 07-01", "qualified<-lead@07-01 07-01"), history(a));
        assertEquals(List.of("won<-null@null 08-01", "lead<-won@07-31 08-01"), history(b));
    }

    @Test
    void derivedColumnsCannotBeSetByHand() throws SQLException {
        long id = opp("lead", "2026-07-01T00:00Z", "qualified", "2026-07-11T00:00Z");
        update("UPDATE pipeline_stage_history SET stay_stage_id = NULL, stay_started_at = now(),"
                + " opportunity_created_at = NULL WHERE opportunity_id = ?", id);
        assertEquals(List.of("lead<-null@null 07-01", "qualified<-lead@07-01 07-01"), history(id));
    }

    @Test
    void changingTheOpportunitysCreationFollowsIntoItsHistory() throws SQLException {
        long id = opp("lead", "2026-07-01T00:00Z", "qualified", "2026-07-11T00:00Z");
        update("UPDATE pipeline_opportunity SET created_at = ?::timestamptz WHERE id = ?", "2026-06-15T00:00Z", id);
        assertEquals(List.of("lead<-null@null 06-15", "qualified<-lead@07-01 06-15"), history(id));
    }

    @Test
    void theFunnelSeesABackdatedStay() throws SQLException {
        StageRepository.seedReference(db, "T2");
        long id;
        try (Connection c = dataSource.getConnection()) {
            id = FunnelServiceTest.opp(c, "T2", "dan", "100", "EUR", false, "lead", "2026-07-01T00:00Z", "qualified",
                    "2026-07-21T00:00Z");
        }
        update("INSERT INTO pipeline_stage_history (opportunity_id, subsidiary, to_stage_id, changed_by, changed_at)"
                + " SELECT ?, 'T2', id, 'dan', '2026-07-11T00:00Z' FROM pipeline_stage WHERE subsidiary = 'T2'"
                + " AND code = 'proposal'", id);
        FunnelService service = new FunnelService(db, new ModuleRights());
        FunnelDTO f = service.funnel(new CallerContext(1, "boss", "T2", Set.of(Roles.SUBSIDIARY_ADMIN)), "2026-07-01",
                "2026-07-31", null);
        var s = FunnelServiceTest.byCode(f);
        assertEquals(10.0, s.get("lead").averageDaysInStage); // 07-01 -> 07-11, no longer 20 days
        assertEquals(10.0, s.get("proposal").averageDaysInStage); // 07-11 -> 07-21
        assertEquals(1, s.get("proposal").reached);
    }
}
