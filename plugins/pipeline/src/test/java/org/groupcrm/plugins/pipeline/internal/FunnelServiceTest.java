package org.groupcrm.plugins.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.SubsidiaryRequiredException;
import org.groupcrm.core.api.user.Roles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * Every funnel figure on a small hand-built data set in a real PostgreSQL, with the expected numbers worked out by hand
 * in the comments. Period: Q3 2026 (2026-07-01 to 2026-09-30, UTC). Reference stages: lead 10, qualified 25, proposal
 * 50, negotiation 75, won 100, lost 0.
 *
 * <pre>
 * id owner  amount    created          history (stage @ entered)                               now
 * A  alice  1000 EUR  07-01 00:00      lead 07-01, qualified 07-11, proposal 07-21, won 07-31  WON
 * B  alice  2000 EUR  07-05            lead 07-05, qualified 07-09, lost 07-15                 LOST
 * C  bob    3000 EUR  08-01            lead 08-01, proposal 08-03 (skips qualified)            OPEN proposal 50%
 * D  bob     500 USD  09-30 23:59:59   lead                                                    OPEN lead 10%
 * E  alice  4000 EUR  06-20            lead 06-20, qualified 07-02, won 10-05                  WON (after the period)
 * F  bob    6000 EUR  05-01            lead 05-01, negotiation 06-01, won 08-15                WON
 * G  alice  7000 EUR  07-10, ARCHIVED  lead 07-10, qualified 07-12                             OPEN qualified
 * H  alice  9000 EUR  07-10, in S2     lead 07-10, won 07-20                                   WON
 * I  bob     800 EUR  10-01 00:00      lead                                                    OPEN lead 10%
 * J  alice   100 EUR  06-30 12:00      lead 06-30 12:00, lost 07-01 00:00                      LOST
 * </pre>
 */
class FunnelServiceTest {
    static final String FROM = "2026-07-01";
    static final String TO = "2026-09-30";
    static final CallerContext MANAGER = new CallerContext(1, "boss", "S1", Set.of(Roles.SUBSIDIARY_ADMIN));
    static final CallerContext ALICE = new CallerContext(2, "alice", "S1", Set.of(Roles.USER));
    static final CallerContext BOB = new CallerContext(3, "bob", "S1", Set.of(Roles.USER));

    private static DataSource dataSource;
    private static FunnelService service;
    private static FakeUserService users;
    /** The same data with alice and bob, every owner of S1, in one team. */
    private static FunnelService everyone;

    @BeforeAll
    static void setUp() throws Exception {
        dataSource = TestDatabase.dataSource();
        TestDatabase.truncate();
        Db db = new Db(dataSource, null);
        for (String s : List.of("S1", "S2", "EMPTY")) {
            StageRepository.seedReference(db, s);
        }
        try (Connection c = dataSource.getConnection()) {
            opp(c, "S1", "alice", "1000", "EUR", false, "lead", "2026-07-01T00:00Z", "qualified", "2026-07-11T00:00Z",
                    "proposal", "2026-07-21T00:00Z", "won", "2026-07-31T00:00Z");
            opp(c, "S1", "alice", "2000", "EUR", false, "lead", "2026-07-05T00:00Z", "qualified", "2026-07-09T00:00Z",
                    "lost", "2026-07-15T00:00Z");
            opp(c, "S1", "bob", "3000", "EUR", false, "lead", "2026-08-01T00:00Z", "proposal", "2026-08-03T00:00Z");
            opp(c, "S1", "bob", "500", "USD", false, "lead", "2026-09-30T23:59:59Z");
            opp(c, "S1", "alice", "4000", "EUR", false, "lead", "2026-06-20T00:00Z", "qualified", "2026-07-02T00:00Z",
                    "won", "2026-10-05T00:00Z");
            opp(c, "S1", "bob", "6000", "EUR", false, "lead", "2026-05-01T00:00Z", "negotiation", "2026-06-01T00:00Z",
                    "won", "2026-08-15T00:00Z");
            opp(c, "S1", "alice", "7000", "EUR", true, "lead", "2026-07-10T00:00Z", "qualified", "2026-07-12T00:00Z");
            opp(c, "S2", "alice", "9000", "EUR", false, "lead", "2026-07-10T00:00Z", "won", "2026-07-20T00:00Z");
            opp(c, "S1", "bob", "800", "EUR", false, "lead", "2026-10-01T00:00Z");
            opp(c, "S1", "alice", "100", "EUR", false, "lead", "2026-06-30T12:00Z", "lost", "2026-07-01T00:00Z");
        }
        users = new FakeUserService("S1").add(2, "alice", true).add(3, "bob", true).add(4, "carol", true)
                .team("east", "alice", "carol");
        service = new FunnelService(db, new ModuleRights(), users);
        everyone = new FunnelService(db, new ModuleRights(), new FakeUserService("S1").add(2, "alice", true).add(3, "bob", true)
                .team("all", "alice", "bob"));
    }

    static void migrate(DataSource dataSource) throws Exception {
        try (Connection conn = dataSource.getConnection()) {
            new Liquibase(PipelineModule.CHANGELOG, new ClassLoaderResourceAccessor(FunnelServiceTest.class.getClassLoader()),
                    DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(conn))).update("");
        }
    }

    /**
     * Inserts an opportunity with its stage history: {@code path} alternates stage codes and the instants they were
     * entered; the first is the creation, the last is where it is now (closed when that stage is WON or LOST, with
     * the stage's default probability).
     */
    static long opp(Connection c, String subsidiary, String owner, String amount, String currency, boolean archived,
            String... path) throws SQLException {
        Map<String, long[]> stages = stageIds(c, subsidiary); // code -> {id, probability}
        String lastCode = path[path.length - 2];
        String lastAt = path[path.length - 1];
        String status = lastCode.equals("won") ? "WON" : lastCode.equals("lost") ? "LOST" : "OPEN";
        long id;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_opportunity (subsidiary, customer_id, title,"
                + " owner, amount, currency, stage_id, probability, status, closed_at, stage_entered_at,"
                + " last_activity_at, created_by, created_at, updated_at, archived) VALUES (?, 1, 'deal', ?, ?, ?, ?, ?,"
                + " ?, ?::timestamptz, ?::timestamptz, ?::timestamptz, ?, ?::timestamptz, ?::timestamptz, ?) RETURNING id")) {
            p.setString(1, subsidiary);
            p.setString(2, owner);
            p.setBigDecimal(3, new BigDecimal(amount));
            p.setString(4, currency);
            p.setLong(5, stages.get(lastCode)[0]);
            p.setInt(6, (int) stages.get(lastCode)[1]);
            p.setString(7, status);
            p.setString(8, status.equals("OPEN") ? null : lastAt);
            p.setString(9, lastAt);
            p.setString(10, lastAt);
            p.setString(11, owner);
            p.setString(12, path[1]);
            p.setString(13, lastAt);
            p.setBoolean(14, archived);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        Long from = null;
        for (int i = 0; i < path.length; i += 2) {
            long to = stages.get(path[i])[0];
            try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_stage_history (opportunity_id, subsidiary,"
                    + " from_stage_id, to_stage_id, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?::timestamptz)")) {
                p.setLong(1, id);
                p.setString(2, subsidiary);
                p.setObject(3, from);
                p.setLong(4, to);
                p.setString(5, owner);
                p.setString(6, path[i + 1]);
                p.executeUpdate();
            }
            from = to;
        }
        return id;
    }

    private static Map<String, long[]> stageIds(Connection c, String subsidiary) throws SQLException {
        return StageRepository.all(c, subsidiary).stream().collect(Collectors.toMap(StageRepository.Stage::code,
                s -> new long[] {s.id(), s.probability()}));
    }

    static Map<String, FunnelDTO.Stage> byCode(FunnelDTO f) {
        return f.stages.stream().collect(Collectors.toMap(s -> s.code, Function.identity()));
    }

    static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
        assertEquals(2, actual.scale(), () -> "two decimals: " + actual);
    }

    // ---------------------------------------------------------------------------------------------- whole subsidiary

    @Test
    void periodAndScopeAreEchoed() {
        FunnelDTO f = service.funnel(MANAGER, FROM, TO, null);
        assertEquals(LocalDate.of(2026, 7, 1), f.from);
        assertEquals(LocalDate.of(2026, 9, 30), f.to);
        assertEquals("S1", f.scope.subsidiary);
        assertNull(f.scope.owner);
    }

    @Test
    void stagesComeInTheSubsidiaryOrderWithWonAndLostLast() {
        FunnelDTO f = service.funnel(MANAGER, FROM, TO, null);
        assertEquals(List.of("lead", "qualified", "proposal", "negotiation", "won", "lost"),
                f.stages.stream().map(s -> s.code).toList());
        assertEquals(List.of(1, 2, 3, 4, 5, 6), f.stages.stream().map(s -> s.position).toList());
        FunnelDTO.Stage proposal = byCode(f).get("proposal");
        assertEquals("Proposal", proposal.name);
        assertEquals(50, proposal.probability);
        assertEquals(Stages.Outcome.OPEN, proposal.outcome);
        assertEquals(Stages.Outcome.WON, byCode(f).get("won").outcome);
    }

    @Test
    void cohortIsTheNonArchivedOpportunitiesCreatedWithinThePeriod() {
        // A (07-01 00:00, the first instant), B, C, D (09-30 23:59:59, the last second); not E, F, J (before), I
        // (10-01 00:00, after), G (archived), H (S2)
        FunnelDTO f = service.funnel(MANAGER, FROM, TO, null);
        assertEquals(4, f.created);
        assertAmount("6500.00", f.createdAmount); // 1000 + 2000 + 3000 + 500
        assertEquals(1, f.createdWon); // A
        assertEquals(1, f.createdLost); // B
        assertEquals(2, f.createdOpen); // C, D
    }

    @Test
    void reachedCountsEachCohortOpportunityThatEverEnteredTheStage() {
        Map<String, FunnelDTO.Stage> s = byCode(service.funnel(MANAGER, FROM, TO, null));
        assertEquals(4, s.get("lead").reached); // A B C D
        assertAmount("6500.00", s.get("lead").reachedAmount);
        assertEquals(2, s.get("qualified").reached); // A B (C skipped it)
        assertAmount("3000.00", s.get("qualified").reachedAmount);
        assertEquals(2, s.get("proposal").reached); // A C
        assertAmount("4000.00", s.get("proposal").reachedAmount);
        assertEquals(0, s.get("negotiation").reached);
        assertAmount("0.00", s.get("negotiation").reachedAmount);
        assertEquals(1, s.get("won").reached); // A (E won too but was created before the period)
        assertAmount("1000.00", s.get("won").reachedAmount);
        assertEquals(1, s.get("lost").reached); // B
        assertAmount("2000.00", s.get("lost").reachedAmount);
    }

    @Test
    void anOpportunityEnteringAStageTwiceIsReachedOnce() throws SQLException {
        // in its own subsidiary so as not to disturb the others: lead -> qualified -> lead -> qualified -> won
        Db db = new Db(dataSource, null);
        StageRepository.seedReference(db, "TWICE");
        try (Connection c = dataSource.getConnection()) {
            opp(c, "TWICE", "carol", "100", "EUR", false, "lead", "2026-07-01T00:00Z", "qualified", "2026-07-02T00:00Z",
                    "lead", "2026-07-03T00:00Z", "qualified", "2026-07-05T00:00Z", "won", "2026-07-06T00:00Z");
        }
        CallerContext manager = new CallerContext(9, "boss", "TWICE", Set.of(Roles.GROUP_ADMIN));
        Map<String, FunnelDTO.Stage> s = byCode(service.funnel(manager, FROM, TO, null));
        assertEquals(1, s.get("lead").reached);
        assertAmount("100.00", s.get("lead").reachedAmount);
        assertEquals(1, s.get("qualified").reached);
        assertAmount("100.00", s.get("qualified").reachedAmount);
        assertEquals(1.0, s.get("lead").conversionToNext);
        // but every stay counts: lead 1 day and 2 days, qualified 1 day and 1 day
        assertEquals(2, s.get("lead").staysEnded);
        assertEquals(1.5, s.get("lead").averageDaysInStage);
        assertEquals(2, s.get("qualified").staysEnded);
        assertEquals(1.0, s.get("qualified").averageDaysInStage);
    }

    @Test
    void conversionToNextIsTheNextOpenOrWonStagesReachedOverThisOnes() {
        Map<String, FunnelDTO.Stage> s = byCode(service.funnel(MANAGER, FROM, TO, null));
        assertEquals(0.5, s.get("lead").conversionToNext); // qualified 2 / lead 4
        assertEquals(1.0, s.get("qualified").conversionToNext); // proposal 2 / qualified 2
        assertEquals(0.0, s.get("proposal").conversionToNext); // negotiation 0 / proposal 2
        assertNull(s.get("negotiation").conversionToNext); // won 1 / negotiation 0: undefined
        assertNull(s.get("won").conversionToNext);
        assertNull(s.get("lost").conversionToNext);
    }

    @Test
    void conversionMayExceedOneWhenOpportunitiesSkipAStage() {
        // bob's cohort: C (lead -> proposal) and D (lead): qualified reached 0, so qualified -> proposal is undefined
        Map<String, FunnelDTO.Stage> s = byCode(service.funnel(MANAGER, FROM, TO, "bob"));
        assertEquals(0.0, s.get("lead").conversionToNext); // qualified 0 / lead 2
        assertNull(s.get("qualified").conversionToNext);
        assertEquals(0.0, s.get("proposal").conversionToNext);
    }

    @Test
    void currentIsTheScopesOpenOpportunitiesNowWhateverThePeriod() {
        // open now and not archived: C (proposal 3000), D (lead 500), I (lead 800, created after the period); not G
        FunnelDTO f = service.funnel(MANAGER, FROM, TO, null);
        Map<String, FunnelDTO.Stage> s = byCode(f);
        assertEquals(2, s.get("lead").current);
        assertAmount("1300.00", s.get("lead").currentAmount);
        assertEquals(0, s.get("qualified").current); // G is archived
        assertEquals(1, s.get("proposal").current);
        assertAmount("3000.00", s.get("proposal").currentAmount);
        assertEquals(0, s.get("won").current);
        assertEquals(0, s.get("lost").current);
        assertEquals(3, f.open);
        assertAmount("4300.00", f.openAmount);
        // the same whatever the period
        FunnelDTO other = service.funnel(MANAGER, "2020-01-01", "2020-01-31", null);
        assertEquals(3, other.open);
        assertEquals(2, byCode(other).get("lead").current);
    }

    @Test
    void weightedPipelineValueUsesEachOpenOpportunitysProbability() {
        // C 3000 × 50% + D 500 × 10% + I 800 × 10% = 1500 + 50 + 80
        assertAmount("1630.00", service.funnel(MANAGER, FROM, TO, null).weightedPipelineValue);
    }

    @Test
    void weightedPipelineValueKeepsCents() throws SQLException {
        Db db = new Db(dataSource, null);
        StageRepository.seedReference(db, "CENTS");
        try (Connection c = dataSource.getConnection()) {
            opp(c, "CENTS", "carol", "33.33", "EUR", false, "lead", "2026-07-01T00:00Z", "negotiation", "2026-07-02T00:00Z");
            opp(c, "CENTS", "carol", "0.05", "EUR", false, "lead", "2026-07-01T00:00Z");
        }
        FunnelDTO f = service.funnel(new CallerContext(9, "boss", "CENTS", Set.of(Roles.GROUP_ADMIN)), FROM, TO, null);
        // 33.33 × 0.75 = 24.9975, 0.05 × 0.10 = 0.005: 25.0025 -> 25.00
        assertAmount("25.00", f.weightedPipelineValue);
        assertAmount("33.38", f.openAmount);
    }

    @Test
    void wonLostAndWinRateCountTheScopesOpportunitiesClosedWithinThePeriod() {
        // won: A (07-31), F (08-15, created 05-01); lost: B (07-15), J (07-01 00:00, created 06-30); not E (10-05)
        FunnelDTO f = service.funnel(MANAGER, FROM, TO, null);
        assertEquals(2, f.won);
        assertAmount("7000.00", f.wonAmount);
        assertEquals(2, f.lost);
        assertAmount("2100.00", f.lostAmount);
        assertEquals(0.5, f.winRate);
    }

    @Test
    void averageDaysInStageIsOverTheStaysThatEndedWithinThePeriod() {
        // lead: A 10, B 4, C 2, E 12 (entered 06-20, left 07-02), J 0.5 (left 07-01 00:00) -> 28.5 / 5 = 5.7;
        // F's lead stay ended 06-01 (before), G is archived, D and I are still in lead
        // qualified: A 10, B 6 -> 8 (E's stay ends 10-05, after); proposal: A 10; negotiation: F 75 (06-01 -> 08-15)
        Map<String, FunnelDTO.Stage> s = byCode(service.funnel(MANAGER, FROM, TO, null));
        assertEquals(5, s.get("lead").staysEnded);
        assertEquals(5.7, s.get("lead").averageDaysInStage);
        assertEquals(2, s.get("qualified").staysEnded);
        assertEquals(8.0, s.get("qualified").averageDaysInStage);
        assertEquals(1, s.get("proposal").staysEnded);
        assertEquals(10.0, s.get("proposal").averageDaysInStage);
        assertEquals(1, s.get("negotiation").staysEnded);
        assertEquals(75.0, s.get("negotiation").averageDaysInStage);
        assertNull(s.get("won").averageDaysInStage);
        assertEquals(0, s.get("won").staysEnded);
        assertNull(s.get("lost").averageDaysInStage);
    }

    @Test
    void currenciesAreReportedAndMixedOnesNoted() {
        FunnelDTO f = service.funnel(MANAGER, FROM, TO, null);
        assertEquals(List.of("EUR", "USD"), f.currencies); // D is in USD
        assertTrue(f.currencyNote.contains("EUR, USD"), f.currencyNote);
        FunnelDTO alice = service.funnel(ALICE, FROM, TO, null);
        assertEquals(List.of("EUR"), alice.currencies);
        assertNull(alice.currencyNote);
    }

    // ------------------------------------------------------------------------------------------------------- scopes

    @Test
    void aRepWithoutOwnerSeesOnlyTheirOwn() {
        // alice: cohort A, B; open now: none (E won, G archived); closed in the period: A won, B and J lost
        FunnelDTO f = service.funnel(ALICE, FROM, TO, null);
        assertEquals("alice", f.scope.owner);
        assertEquals("S1", f.scope.subsidiary);
        assertEquals(2, f.created);
        assertAmount("3000.00", f.createdAmount);
        Map<String, FunnelDTO.Stage> s = byCode(f);
        assertEquals(2, s.get("lead").reached);
        assertEquals(2, s.get("qualified").reached);
        assertEquals(1, s.get("proposal").reached);
        assertEquals(1.0, s.get("lead").conversionToNext);
        assertEquals(0.5, s.get("qualified").conversionToNext);
        assertEquals(0, f.open);
        assertAmount("0.00", f.weightedPipelineValue);
        assertEquals(1, f.won);
        assertAmount("1000.00", f.wonAmount);
        assertEquals(2, f.lost);
        assertAmount("2100.00", f.lostAmount);
        assertEquals(0.3333, f.winRate);
        // lead: A 10, B 4, E 12, J 0.5 -> 26.5 / 4 = 6.625 -> 6.63; negotiation was bob's (F)
        assertEquals(6.63, s.get("lead").averageDaysInStage);
        assertNull(s.get("negotiation").averageDaysInStage);
    }

    @Test
    void aRepMayNameThemselves() {
        FunnelDTO named = service.funnel(ALICE, FROM, TO, "alice");
        assertEquals("alice", named.scope.owner);
        assertEquals(2, named.created);
    }

    @Test
    void aRepMayNotAskForAnotherOwner() {
        assertThrows(ForbiddenException.class, () -> service.funnel(ALICE, FROM, TO, "bob"));
    }

    @Test
    void aManagerMayAskForAnyOwner() {
        // bob: cohort C, D; open now C, D, I; closed in the period F (won)
        FunnelDTO f = service.funnel(MANAGER, FROM, TO, "bob");
        assertEquals("bob", f.scope.owner);
        assertEquals(2, f.created);
        assertAmount("3500.00", f.createdAmount);
        assertEquals(3, f.open);
        assertEquals(1, f.won);
        assertEquals(0, f.lost);
        assertEquals(1.0, f.winRate);
        assertAmount("1630.00", f.weightedPipelineValue);
        Map<String, FunnelDTO.Stage> s = byCode(f);
        assertEquals(2.0, s.get("lead").averageDaysInStage); // C only
        assertEquals(75.0, s.get("negotiation").averageDaysInStage); // F
        // and bob asking for himself gets the same
        FunnelDTO own = service.funnel(BOB, FROM, TO, null);
        assertEquals(f.created, own.created);
        assertEquals(f.open, own.open);
    }

    @Test
    void anotherSubsidiarysRowsNeverCount() {
        // H is alice's in S2: won 07-20 with 9000; S1's figures above exclude it; S2 sees only H
        FunnelDTO s2 = service.funnel(new CallerContext(2, "alice", "S2", Set.of(Roles.USER)), FROM, TO, null);
        assertEquals(1, s2.created);
        assertAmount("9000.00", s2.createdAmount);
        assertEquals(1, s2.won);
        assertEquals(0, s2.open);
        assertEquals(1, byCode(s2).get("won").reached);
        assertEquals(10.0, byCode(s2).get("lead").averageDaysInStage);
        FunnelDTO s1 = service.funnel(MANAGER, FROM, TO, null);
        assertAmount("7000.00", s1.wonAmount); // A + F, not H
    }

    @Test
    void archivedOpportunitiesNeverCount() {
        // G (alice, archived, created 07-10, lead -> qualified 07-12, open in qualified) appears nowhere
        FunnelDTO f = service.funnel(MANAGER, FROM, TO, "alice");
        assertEquals(2, f.created);
        Map<String, FunnelDTO.Stage> s = byCode(f);
        assertEquals(2, s.get("qualified").reached);
        assertEquals(0, s.get("qualified").current);
        assertEquals(0, f.open);
        assertEquals(4, s.get("lead").staysEnded); // A, B, E, J, not G's two days
    }

    @Test
    void aCallerWithoutSubsidiaryIsRefused() {
        CallerContext groupAdmin = new CallerContext(4, "root", null, Set.of(Roles.GROUP_ADMIN));
        assertThrows(SubsidiaryRequiredException.class, () -> service.funnel(groupAdmin, FROM, TO, null));
    }

    // -------------------------------------------------------------------------------------------------------- empty

    @Test
    void anEmptyPeriodGivesZerosAndNulls() {
        FunnelDTO f = service.funnel(MANAGER, "2025-01-01", "2025-03-31", null);
        assertEquals(0, f.created);
        assertAmount("0.00", f.createdAmount);
        assertEquals(0, f.won);
        assertEquals(0, f.lost);
        assertAmount("0.00", f.wonAmount);
        assertAmount("0.00", f.lostAmount);
        assertNull(f.winRate);
        for (FunnelDTO.Stage s : f.stages) {
            assertEquals(0, s.reached, s.code);
            assertAmount("0.00", s.reachedAmount);
            assertNull(s.conversionToNext, s.code);
            assertNull(s.averageDaysInStage, s.code);
            assertEquals(0, s.staysEnded, s.code);
        }
        assertEquals(3, f.open); // open now does not depend on the period
    }

    @Test
    void anEmptySubsidiaryGivesZerosAndNulls() {
        FunnelDTO f = service.funnel(new CallerContext(5, "boss", "EMPTY", Set.of(Roles.SUBSIDIARY_ADMIN)), FROM, TO, null);
        assertEquals(6, f.stages.size());
        assertEquals(0, f.created);
        assertEquals(0, f.open);
        assertAmount("0.00", f.openAmount);
        assertAmount("0.00", f.weightedPipelineValue);
        assertNull(f.winRate);
        assertEquals(List.of(), f.currencies);
        assertNull(f.currencyNote);
        f.stages.forEach(s -> {
            assertEquals(0, s.current);
            assertAmount("0.00", s.currentAmount);
            assertNull(s.conversionToNext);
        });
    }

    @Test
    void aSubsidiaryWithoutStagesGivesAnEmptyFunnel() {
        FunnelDTO f = service.funnel(new CallerContext(5, "boss", "NONE", Set.of(Roles.SUBSIDIARY_ADMIN)), FROM, TO, null);
        assertEquals(List.of(), f.stages);
        assertEquals(0, f.created);
        assertNull(f.winRate);
    }

    @Test
    void aSingleDayPeriodIncludesTheWholeDay() {
        // 2026-09-30: D, created 23:59:59
        FunnelDTO f = service.funnel(MANAGER, TO, TO, null);
        assertEquals(1, f.created);
        assertAmount("500.00", f.createdAmount);
    }

    // ---------------------------------------------------------------------------------------------- sales teams

    @Test
    void aTeamCountsItsMembersOpportunitiesOnly() {
        // east = alice (opportunities) + carol (none): the same figures as alice's own funnel
        FunnelDTO team = service.funnel(MANAGER, FROM, TO, null, "east");
        FunnelDTO alice = service.funnel(MANAGER, FROM, TO, "alice");
        assertEquals("east", team.scope.team);
        assertNull(team.scope.owner);
        assertEquals(List.of("alice", "carol"), team.scope.members);
        assertEquals(alice.created, team.created);
        assertAmount(alice.createdAmount.toPlainString(), team.createdAmount);
        assertEquals(alice.open, team.open);
        assertAmount(alice.weightedPipelineValue.toPlainString(), team.weightedPipelineValue);
        assertEquals(alice.won, team.won);
        assertEquals(alice.winRate, team.winRate);
        for (int i = 0; i < team.stages.size(); i++) {
            assertEquals(alice.stages.get(i).reached, team.stages.get(i).reached);
            assertEquals(alice.stages.get(i).current, team.stages.get(i).current);
            assertEquals(alice.stages.get(i).averageDaysInStage, team.stages.get(i).averageDaysInStage);
        }
    }

    @Test
    void aTeamOfEveryOwnerIsTheWholeSubsidiary() {
        FunnelDTO team = everyone.funnel(MANAGER, FROM, TO, null, "all");
        FunnelDTO whole = service.funnel(MANAGER, FROM, TO, null);
        assertEquals(whole.created, team.created);
        assertAmount(whole.createdAmount.toPlainString(), team.createdAmount);
        assertEquals(whole.open, team.open);
        assertEquals(whole.won, team.won);
        assertEquals(whole.lost, team.lost);
        assertAmount(whole.weightedPipelineValue.toPlainString(), team.weightedPipelineValue);
    }

    @Test
    void repsMayAnalyseTheirOwnTeamOnly() {
        assertEquals(List.of("alice", "carol"), service.funnel(ALICE, FROM, TO, null, "east").scope.members);
        assertThrows(ForbiddenException.class, () -> service.funnel(BOB, FROM, TO, null, "east"));
        assertThrows(ForbiddenException.class, () -> everyone.funnel(BOB, FROM, TO, null, "east"));
    }

    @Test
    void anUnknownTeamOrATeamWithAnOwnerIs400NamingTeam() {
        ValidationException unknown = assertThrows(ValidationException.class,
                () -> service.funnel(MANAGER, FROM, TO, null, "west"));
        assertEquals("team", unknown.fields().get(0).field());
        assertTrue(unknown.fields().get(0).reason().contains("west"), unknown.fields().toString());
        ValidationException both = assertThrows(ValidationException.class,
                () -> service.funnel(MANAGER, FROM, TO, "alice", "east"));
        assertEquals("team", both.fields().get(0).field());
        ValidationException malformed = assertThrows(ValidationException.class,
                () -> service.funnel(MANAGER, FROM, TO, null, "East Side"));
        assertEquals("team", malformed.fields().get(0).field());
    }
}
