package org.groupcrm.plugins.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.PageRequest;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.event.CrmEventProperties;
import org.groupcrm.core.api.event.CrmTopics;
import org.groupcrm.core.api.module.ModuleDTO;
import org.groupcrm.core.api.module.ModuleService;
import org.groupcrm.core.api.module.ModuleStateDTO;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.plugins.pipeline.internal.StalledService.StalledOpportunity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;


/** The stalled list, the settings and the activity listener on a real PostgreSQL, with a fixed clock. */
class StalledServiceTest {
    static final String SUB = "CN01";
    static final Instant NOW = Instant.parse("2026-08-15T10:00:00Z");
    private static final CallerContext ALICE = new CallerContext(11, "alice", SUB, Set.of(Roles.USER));
    private static final CallerContext BOB = new CallerContext(12, "bob", SUB, Set.of(Roles.USER));
    private static final CallerContext MANAGER = new CallerContext(10, "mona", SUB, Set.of(Roles.SUBSIDIARY_ADMIN));
    private static final PageRequest FIRST = PageRequest.of(null, null);

    private static DataSource dataSource;
    private ModuleRights rights;
    private StalledService service;

    @BeforeAll
    static void startDatabase() throws Exception {
        dataSource = TestDatabase.dataSource();
    }

    @BeforeEach
    void emptyTables() throws Exception {
        TestDatabase.truncate();
        rights = new ModuleRights();
        service = new StalledService(TestAudit.moduleWith(new Db(dataSource, null)), rights,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    // ---- the list

    @Test
    void stalledFromExactlyTheThresholdOldestFirst() throws SQLException {
        long exactly = opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(14));
        opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(14).minusSeconds(1));
        long older = opportunity(SUB, "alice", 1002, "OPEN", Duration.ofDays(40));
        long archived = opportunity(SUB, "alice", 1003, "OPEN", Duration.ofDays(50));
        archive(archived);
        opportunity(SUB, "alice", 1004, "WON", Duration.ofDays(60));
        opportunity(SUB, "alice", 1005, "LOST", Duration.ofDays(60));

        Page<StalledOpportunity> page = service.list(ALICE, 14, FIRST);

        assertEquals(List.of(older, exactly), ids(page));
        assertEquals(2, page.total());
        StalledOpportunity first = page.items().get(0);
        assertEquals(40, first.daysSinceActivity());
        assertEquals(NOW.minus(Duration.ofDays(40)), first.lastActivityAt());
        assertEquals(1002, first.customerId());
        assertEquals("alice", first.owner());
        assertEquals("proposal", first.stage());
        assertEquals("CNY", first.currency());
        assertEquals(new BigDecimal("1000.00"), first.amount());
        assertEquals("Deal 1002", first.title());
        assertNull(first.remindedAt());
        assertEquals(14, page.items().get(1).daysSinceActivity());
        // one day less, and the second-to-last one is in too
        assertEquals(3, service.list(ALICE, 13, FIRST).total());
    }

    @Test
    void theThresholdDefaultsToTheSubsidiarysSetting() throws SQLException {
        long d20 = opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(20));
        long d40 = opportunity(SUB, "alice", 1002, "OPEN", Duration.ofDays(40));

        assertEquals(List.of(d40, d20), ids(service.list(ALICE, null, FIRST)), "14 days without settings");
        service.saveSettings(MANAGER, SettingsDTO.of(30));
        assertEquals(List.of(d40), ids(service.list(ALICE, null, FIRST)));
        assertEquals(List.of(d40, d20), ids(service.list(ALICE, 20, FIRST)), "days overrides the setting");
        assertEquals(Set.of("days"), fields(() -> service.list(ALICE, 0, FIRST)));
        assertEquals(Set.of("days"), fields(() -> service.list(ALICE, 366, FIRST)));
    }

    @Test
    void aRepSeesTheirOwnAManagerTheSubsidiarys() throws SQLException {
        long alices = opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(30));
        long bobs = opportunity(SUB, "bob", 1002, "OPEN", Duration.ofDays(20));
        opportunity("HK01", "alice", 1003, "OPEN", Duration.ofDays(50));

        assertEquals(List.of(alices), ids(service.list(ALICE, null, FIRST)));
        assertEquals(List.of(bobs), ids(service.list(BOB, null, FIRST)));
        assertEquals(List.of(alices, bobs), ids(service.list(MANAGER, null, FIRST)));
        assertEquals(1, service.list(new CallerContext(1, "root", "HK01", Set.of(Roles.GROUP_ADMIN)), null, FIRST).total());
    }

    @Test
    void pagesLikeTheCore() throws SQLException {
        long[] ids = new long[5];
        for (int i = 0; i < 5; i++) {
            ids[i] = opportunity(SUB, "alice", 1000 + i, "OPEN", Duration.ofDays(50 - i));
        }
        Page<StalledOpportunity> first = service.list(MANAGER, null, PageRequest.of(0, 2));
        assertEquals(List.of(ids[0], ids[1]), ids(first));
        assertEquals(5, first.total());
        assertEquals(0, first.page());
        assertEquals(2, first.size());
        assertEquals(List.of(ids[2], ids[3]), ids(service.list(MANAGER, null, PageRequest.of(1, 2))));
        assertEquals(List.of(ids[4]), ids(service.list(MANAGER, null, PageRequest.of(2, 2))));
        Page<StalledOpportunity> past = service.list(MANAGER, null, PageRequest.of(3, 2));
        assertTrue(past.items().isEmpty());
        assertEquals(5, past.total());
        Page<StalledOpportunity> capped = service.list(MANAGER, null, PageRequest.of(0, 1000));
        assertEquals(200, capped.size());
        assertEquals(5, capped.items().size());
    }

    // ---- settings

    @Test
    void settingsAndTheListFollowTheRightsNotThePositions() throws SQLException {
        opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(30));
        CallerContext finance = new CallerContext(13, "fiona", SUB, Set.of(Roles.FINANCE));
        CallerContext manager = new CallerContext(14, "max", SUB, Set.of(Roles.MANAGER));
        // finance holds nothing over the pipeline's stages and opportunities by default
        assertEquals("missing_right", assertThrows(ForbiddenException.class, () -> service.settings(finance)).code());
        assertEquals("missing_right", assertThrows(ForbiddenException.class,
                () -> service.saveSettings(finance, SettingsDTO.of(3))).code());
        assertEquals("missing_right", assertThrows(ForbiddenException.class,
                () -> service.list(finance, null, FIRST)).code());
        assertEquals(14, service.settings(manager).stalledDays, "the refused change wrote nothing");
        assertEquals(1, service.list(manager, null, FIRST).total());
        assertEquals(20, service.saveSettings(manager, SettingsDTO.of(20)).stalledDays);
        // a subsidiary that takes the MODIFY right from its managers: refused, the setting stays
        rights.adjust(SUB, PipelineModule.STAGE, Roles.MANAGER, Right.QUERY);
        assertEquals("missing_right", assertThrows(ForbiddenException.class,
                () -> service.saveSettings(manager, SettingsDTO.of(5))).code());
        assertEquals(20, service.settings(manager).stalledDays);
        // and one that gives it to its reps: a rep changes them
        rights.adjust(SUB, PipelineModule.STAGE, Roles.USER, Right.QUERY, Right.MODIFY);
        assertEquals(7, service.saveSettings(ALICE, SettingsDTO.of(7)).stalledDays);
        assertEquals(7, service.settings(manager).stalledDays);
    }

    @Test
    void settingsDefaultTo14AndManagersChangeThem() {
        assertEquals(14, service.settings(ALICE).stalledDays);
        assertEquals(30, service.saveSettings(MANAGER, SettingsDTO.of(30)).stalledDays);
        assertEquals(30, service.settings(ALICE).stalledDays);
        assertEquals(1, service.saveSettings(MANAGER, SettingsDTO.of(1)).stalledDays);
        assertEquals(365, service.saveSettings(MANAGER, SettingsDTO.of(365)).stalledDays);
        assertEquals(14, service.settings(new CallerContext(20, "hank", "HK01", Set.of(Roles.USER))).stalledDays);
        assertEquals("missing_right", assertThrows(ForbiddenException.class,
                () -> service.saveSettings(ALICE, SettingsDTO.of(7))).code());
        assertEquals(Set.of("stalledDays"), fields(() -> service.saveSettings(MANAGER, SettingsDTO.of(0))));
        assertEquals(Set.of("stalledDays"), fields(() -> service.saveSettings(MANAGER, SettingsDTO.of(366))));
        assertEquals(Set.of("stalledDays"), fields(() -> service.saveSettings(MANAGER, new SettingsDTO())));
        assertEquals(Set.of("stalledDays"), fields(() -> service.saveSettings(MANAGER, null)));
        assertEquals(365, service.settings(MANAGER).stalledDays);
    }

    @Test
    void eachChangeOfTheSettingsIsOneAuditEntry() throws Exception {
        service.saveSettings(MANAGER, SettingsDTO.of(30));
        service.saveSettings(MANAGER, SettingsDTO.of(30));
        assertThrows(ForbiddenException.class, () -> service.saveSettings(ALICE, SettingsDTO.of(7)));
        fields(() -> service.saveSettings(MANAGER, SettingsDTO.of(0)));
        service.saveSettings(MANAGER, SettingsDTO.of(7));
        assertEquals(List.of("pipeline.settings " + SUB + " CONFIGURE mona [stalledDays]",
                "pipeline.settings " + SUB + " CONFIGURE mona [stalledDays]"), TestAudit.trail());
        assertEquals(List.of("stalledDays: 14 -> 30", "stalledDays: 30 -> 7"), TestAudit.diffs());
    }

    // ---- activity of customers

    @Test
    void anActivityOfTheCustomerEndsTheStallOfItsOpenOpportunities() throws SQLException {
        long open = opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(30));
        long won = opportunity(SUB, "alice", 1001, "WON", Duration.ofDays(30));
        long otherCustomer = opportunity(SUB, "alice", 1002, "OPEN", Duration.ofDays(30));
        long otherSubsidiary = opportunity("HK01", "alice", 1001, "OPEN", Duration.ofDays(30));
        setReminded(open, NOW.minus(Duration.ofDays(1)));
        FakeModuleService modules = new FakeModuleService().inForce(SUB, "bob");
        ActivityListener listener = new ActivityListener(modules, service);

        listener.handleEvent(activityEvent(CrmTopics.ACTIVITY_COMPLETED, SUB, 1001L, "bob"));

        assertEquals(NOW, lastActivity(open));
        assertNull(reminded(open), "the next stall is reminded again");
        assertEquals(NOW.minus(Duration.ofDays(30)), lastActivity(won));
        assertEquals(NOW.minus(Duration.ofDays(30)), lastActivity(otherCustomer));
        assertEquals(NOW.minus(Duration.ofDays(30)), lastActivity(otherSubsidiary));
        assertEquals(List.of(otherCustomer), ids(service.list(MANAGER, null, FIRST)));
    }

    @Test
    void eventsWhereTheModuleIsNotInForceAreIgnored() throws SQLException {
        long open = opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(30));
        ActivityListener listener = new ActivityListener(new FakeModuleService().inForce(SUB, "bob"), service);

        listener.handleEvent(activityEvent(CrmTopics.ACTIVITY_CREATED, SUB, 1001L, "carol"));
        listener.handleEvent(activityEvent(CrmTopics.ACTIVITY_CREATED, null, 1001L, "bob"));
        new ActivityListener(null, service).handleEvent(activityEvent(CrmTopics.ACTIVITY_CREATED, SUB, 1001L, "bob"));
        assertEquals(NOW.minus(Duration.ofDays(30)), lastActivity(open));

        listener.handleEvent(activityEvent(CrmTopics.ACTIVITY_UPDATED, SUB, 1001L, "bob"));
        assertEquals(NOW, lastActivity(open));
    }

    @Test
    void aFailingUpdateDoesNotEscapeTheListener() {
        DataSource down = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    throw new SQLException("connection refused", "08001");
                });
        StalledService broken = new StalledService(new PipelineModule(new Db(down, null)), rights,
                Clock.fixed(NOW, ZoneOffset.UTC));
        ActivityListener listener = new ActivityListener(new FakeModuleService().inForce(SUB, "bob"), broken);
        listener.handleEvent(activityEvent(CrmTopics.ACTIVITY_CREATED, SUB, 1001L, "bob"));
        assertThrows(RuntimeException.class, () -> broken.activityRecorded(SUB, 1001L, "bob", true),
                "the failure itself is real; the listener only logs it");
    }

    // ---- helpers (also used by StalledReminderJobTest)

    /** Where the module is in force: a subsidiary for everyone ({@code null} login) or for named pilot users. */
    static class FakeModuleService implements ModuleService {
        private final Map<String, Set<String>> inForce = new HashMap<>();

        FakeModuleService inForce(String subsidiary, String... logins) {
            Set<String> users = inForce.computeIfAbsent(subsidiary, s -> new HashSet<>());
            users.addAll(logins.length == 0 ? Collections.singleton(null) : Arrays.asList(logins));
            return this;
        }

        @Override
        public boolean inForce(String subsidiary, String login, String module) {
            Set<String> users = inForce.get(subsidiary);
            return PipelineModule.ID.equals(module) && users != null
                    && (users.contains(null) || (login != null && users.contains(login)));
        }

        @Override
        public Set<String> subsidiariesInForce(String module) {
            return PipelineModule.ID.equals(module) ? Set.copyOf(inForce.keySet()) : Set.of();
        }

        @Override
        public boolean inForce(CallerContext caller, String module) {
            return inForce(caller.subsidiary(), caller.login(), module);
        }

        @Override
        public List<ModuleDTO> installed(CallerContext caller) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ModuleStateDTO> states(CallerContext caller, String subsidiary) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ModuleStateDTO setState(CallerContext caller, String subsidiary, String module, ModuleStateDTO state) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<ModuleStateDTO> history(CallerContext caller, String subsidiary, String module) {
            throw new UnsupportedOperationException();
        }
    }

    static Event activityEvent(String topic, String subsidiary, Long customerId, String actor) {
        Map<String, Object> p = new HashMap<>();
        if (subsidiary != null) {
            p.put(CrmEventProperties.SUBSIDIARY, subsidiary);
        }
        p.put(CrmEventProperties.ENTITY, "activity");
        p.put(CrmEventProperties.ID, 77L);
        p.put(CrmEventProperties.CUSTOMER_ID, customerId);
        p.put(CrmEventProperties.ACTOR, actor);
        p.put(CrmEventProperties.OWNER, actor);
        return new Event(topic, p);
    }

    private static List<Long> ids(Page<StalledOpportunity> page) {
        return page.items().stream().map(StalledOpportunity::id).toList();
    }

    private static Set<String> fields(Runnable call) {
        ValidationException e = assertThrows(ValidationException.class, call::run);
        return Set.copyOf(e.fields().stream().map(ValidationException.FieldError::field).toList());
    }

    private long opportunity(String subsidiary, String owner, long customer, String status, Duration idle)
            throws SQLException {
        return opportunity(dataSource, subsidiary, owner, customer, status, NOW.minus(idle));
    }

    /** Inserts an opportunity (and the subsidiary's stage, once) last active at {@code lastActivity}. */
    static long opportunity(DataSource dataSource, String subsidiary, String owner, long customer, String status,
            Instant lastActivity) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long stage;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_stage (subsidiary, code, name,"
                    + " position, probability, outcome) VALUES (?, 'proposal', 'Proposal', 1, 50, 'OPEN')"
                    + " ON CONFLICT (subsidiary, code) DO UPDATE SET name = EXCLUDED.name RETURNING id")) {
                p.setString(1, subsidiary);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    stage = rs.getLong(1);
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_opportunity (subsidiary, customer_id,"
                    + " title, owner, amount, currency, stage_id, probability, status, stage_entered_at,"
                    + " last_activity_at, created_by, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, 1000.00, 'CNY', ?, 50, ?, ?, ?, ?, ?, ?) RETURNING id")) {
                OffsetDateTime at = lastActivity.atOffset(ZoneOffset.UTC);
                p.setString(1, subsidiary);
                p.setLong(2, customer);
                p.setString(3, "Deal " + customer);
                p.setString(4, owner);
                p.setLong(5, stage);
                p.setString(6, status);
                p.setObject(7, at);
                p.setObject(8, at);
                p.setString(9, owner);
                p.setObject(10, at);
                p.setObject(11, at);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }

    private void archive(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement p = c.prepareStatement("UPDATE pipeline_opportunity SET archived = TRUE WHERE id = ?")) {
            p.setLong(1, id);
            p.executeUpdate();
        }
    }

    private void setReminded(long id, Instant at) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "UPDATE pipeline_opportunity SET stalled_reminded_at = ? WHERE id = ?")) {
            p.setObject(1, at.atOffset(ZoneOffset.UTC));
            p.setLong(2, id);
            p.executeUpdate();
        }
    }

    private Instant lastActivity(long id) throws SQLException {
        return timestamp(dataSource, id, "last_activity_at");
    }

    private Instant reminded(long id) throws SQLException {
        return timestamp(dataSource, id, "stalled_reminded_at");
    }

    static Instant timestamp(DataSource dataSource, long id, String column) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "SELECT " + column + " FROM pipeline_opportunity WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                OffsetDateTime t = rs.getObject(1, OffsetDateTime.class);
                return t == null ? null : t.toInstant();
            }
        }
    }
}
