package org.groupcrm.plugins.pipeline.internal;

import static org.groupcrm.plugins.pipeline.internal.StalledServiceTest.activityEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.PageRequest;
import org.groupcrm.core.api.activity.ActivityDTO;
import org.groupcrm.core.api.activity.ActivityService;
import org.groupcrm.core.api.activity.ActivityType;
import org.groupcrm.core.api.activity.DueFilter;
import org.groupcrm.core.api.event.CrmTopics;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.api.user.UserDTO;
import org.groupcrm.core.api.user.UserService;
import org.groupcrm.plugins.pipeline.internal.StalledServiceTest.FakeModuleService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


/** The stalled-opportunity reminder job's run, without its scheduler, with fakes of the core's services. */
class StalledReminderJobTest {
    private static final String SUB = "CN01";
    private static final Instant START = Instant.parse("2026-08-15T10:00:00Z");
    private static final CallerContext MANAGER = new CallerContext(10, "mona", SUB, Set.of(Roles.SUBSIDIARY_ADMIN));

    private static DataSource dataSource;

    private MutableClock clock;
    private StalledService stalled;
    private FakeModuleService modules;
    private FakeActivityService activities;
    private FakeUserService users;
    private StalledReminderJob job;

    @BeforeAll
    static void startDatabase() throws Exception {
        dataSource = TestDatabase.dataSource();
    }

    @BeforeEach
    void setUp() throws SQLException {
        TestDatabase.truncate();
        clock = new MutableClock(START);
        stalled = new StalledService(new PipelineModule(new Db(dataSource, null)), new ModuleRights(), clock);
        modules = new FakeModuleService();
        activities = new FakeActivityService();
        users = new FakeUserService(SUB).add(11, "alice", true).add(12, "bob", true).add(13, "carol", false);
        job = new StalledReminderJob(stalled, modules, activities, users);
    }

    @Test
    void remindsTheOwnerOncePerStall() throws SQLException {
        modules.inForce(SUB);
        long id = opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(20));

        assertEquals(new StalledReminderJob.Result(1, 0, 0), job.remindStalled());

        assertEquals(1, activities.created.size());
        Created reminder = activities.created.get(0);
        assertEquals(new CallerContext(11, "alice", SUB, Set.of(Roles.USER)), reminder.caller());
        assertEquals(1001, reminder.customerId());
        ActivityDTO a = reminder.activity();
        assertEquals(ActivityType.NOTE, a.type);
        assertEquals("Stalled opportunity: Deal 1001", a.subject);
        assertEquals("alice", a.owner);
        assertEquals(START, a.dueAt);
        assertTrue(a.notes.contains("for 20 days"), a.notes);
        assertEquals(START, StalledServiceTest.timestamp(dataSource, id, "stalled_reminded_at"));
        assertEquals(START, stalled.list(MANAGER, null, PageRequest.of(0, 20)).items().get(0).remindedAt());

        // the same stall, later: no second reminder
        clock.advance(Duration.ofDays(3));
        assertEquals(new StalledReminderJob.Result(0, 0, 0), job.remindStalled());
        assertEquals(1, activities.created.size());
    }

    @Test
    void theJobsOwnReminderIsNoActivityButRealActivityStartsANewStall() throws SQLException {
        modules.inForce(SUB);
        long id = opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(20));
        ActivityListener listener = new ActivityListener(modules, stalled);
        job.remindStalled();

        // the core's event for the reminder the job created
        listener.handleEvent(activityEvent(CrmTopics.ACTIVITY_CREATED, SUB, 1001L, "alice"));
        assertEquals(START.minus(Duration.ofDays(20)), StalledServiceTest.timestamp(dataSource, id, "last_activity_at"));
        assertEquals(1, stalled.list(MANAGER, null, PageRequest.of(0, 20)).total());

        // the rep calls the customer: activity resumes, the stall ends
        listener.handleEvent(activityEvent(CrmTopics.ACTIVITY_CREATED, SUB, 1001L, "alice"));
        assertEquals(START, StalledServiceTest.timestamp(dataSource, id, "last_activity_at"));
        assertNull(StalledServiceTest.timestamp(dataSource, id, "stalled_reminded_at"));
        assertEquals(new StalledReminderJob.Result(0, 0, 0), job.remindStalled());

        // and when it stalls again, the owner is reminded again
        clock.advance(Duration.ofDays(14));
        assertEquals(new StalledReminderJob.Result(1, 0, 0), job.remindStalled());
        assertEquals(2, activities.created.size());
        assertTrue(activities.created.get(1).activity().notes.contains("for 14 days"));
    }

    @Test
    void aChangeOfTheOpportunityAfterTheReminderMakesTheNextStallANewOne() throws SQLException {
        modules.inForce(SUB);
        long id = opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(20));
        job.remindStalled();
        // e.g. the rep moved it to another stage a day later (the opportunity's own update of last_activity_at)
        clock.advance(Duration.ofDays(1));
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "UPDATE pipeline_opportunity SET last_activity_at = ? WHERE id = ?")) {
            p.setObject(1, clock.instant().atOffset(ZoneOffset.UTC));
            p.setLong(2, id);
            p.executeUpdate();
        }
        clock.advance(Duration.ofDays(13));
        assertEquals(0, job.remindStalled().reminded(), "13 days: not stalled yet");
        clock.advance(Duration.ofDays(1));
        assertEquals(1, job.remindStalled().reminded());
        assertEquals(2, activities.created.size());
    }

    @Test
    void ownersWithoutTheModuleInForceAreSkippedUntilTheyHaveIt() throws SQLException {
        modules.inForce(SUB, "alice"); // a pilot with alice only
        opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(20));
        opportunity(SUB, "bob", 1002, "OPEN", Duration.ofDays(20));
        opportunity("HK01", "alice", 1003, "OPEN", Duration.ofDays(20)); // module not in force there

        assertEquals(new StalledReminderJob.Result(1, 1, 0), job.remindStalled());
        assertEquals(List.of("alice@1001"), activities.summary());

        modules.inForce(SUB, "bob");
        assertEquals(new StalledReminderJob.Result(1, 0, 0), job.remindStalled());
        assertEquals(List.of("alice@1001", "bob@1002"), activities.summary());
    }

    @Test
    void inactiveOrUnknownOwnersAreSkipped() throws SQLException {
        modules.inForce(SUB);
        opportunity(SUB, "carol", 1001, "OPEN", Duration.ofDays(20)); // disabled
        opportunity(SUB, "gone", 1002, "OPEN", Duration.ofDays(20)); // no such user
        opportunity(SUB, "moved", 1003, "OPEN", Duration.ofDays(20)); // works in another subsidiary now
        users.add(14, "moved", true).users.get("moved").homeSubsidiary = "HK01";
        opportunity(SUB, "helper", 1004, "OPEN", Duration.ofDays(20)); // home elsewhere, may act here too
        users.add(15, "helper", true).users.get("helper").homeSubsidiary = "HK01";
        users.users.get("helper").subsidiaries = Set.of(SUB);

        assertEquals(new StalledReminderJob.Result(1, 3, 0), job.remindStalled());
        assertEquals(List.of("helper@1004"), activities.summary());
    }

    @Test
    void onlyStallsOfTheSubsidiarysThresholdAreReminded() throws SQLException {
        modules.inForce(SUB);
        stalled.saveSettings(MANAGER, SettingsDTO.of(30));
        opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(29));
        opportunity(SUB, "alice", 1002, "OPEN", Duration.ofDays(30));
        opportunity(SUB, "alice", 1003, "WON", Duration.ofDays(90));
        long archived = opportunity(SUB, "alice", 1004, "OPEN", Duration.ofDays(90));
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE pipeline_opportunity SET archived = TRUE WHERE id = " + archived);
        }

        assertEquals(new StalledReminderJob.Result(1, 0, 0), job.remindStalled());
        assertEquals(List.of("alice@1002"), activities.summary());
    }

    @Test
    void aFailureForOneOpportunityDoesNotStopTheRunAndIsRetried() throws SQLException {
        modules.inForce(SUB).inForce("HK01");
        users.users.get("bob").subsidiaries = Set.of("HK01");
        opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(30));
        long failing = opportunity(SUB, "alice", 1002, "OPEN", Duration.ofDays(25));
        opportunity(SUB, "bob", 1003, "OPEN", Duration.ofDays(20));
        opportunity("HK01", "bob", 1004, "OPEN", Duration.ofDays(20));
        activities.failing.put(1002L, new IllegalStateException("the core is having a bad day"));

        assertEquals(new StalledReminderJob.Result(3, 0, 1), job.remindStalled());
        assertEquals(List.of("alice@1001", "bob@1003", "bob@1004"), activities.summary().stream().sorted().toList());
        assertNull(StalledServiceTest.timestamp(dataSource, failing, "stalled_reminded_at"), "released for a retry");

        activities.failing.clear();
        assertEquals(new StalledReminderJob.Result(1, 0, 0), job.remindStalled());
        assertEquals(4, activities.created.size());
        assertEquals("alice@1002", activities.summary().get(3));
    }

    @Test
    void aRefusalThatWillNotPassIsNotRetriedEveryRun() throws SQLException {
        modules.inForce(SUB);
        long id = opportunity(SUB, "alice", 1001, "OPEN", Duration.ofDays(30));
        activities.failing.put(1001L, new NotFoundException("customer", 1001L));

        assertEquals(new StalledReminderJob.Result(0, 0, 1), job.remindStalled());
        assertNotNull(StalledServiceTest.timestamp(dataSource, id, "stalled_reminded_at"));
        assertEquals(new StalledReminderJob.Result(0, 0, 0), job.remindStalled());
        assertEquals(1, activities.attempts, "the second run did not try again");
    }

    @Test
    void theScheduledRunNeverThrows() {
        ModuleServiceThatFails broken = new ModuleServiceThatFails();
        StalledReminderJob failing = new StalledReminderJob(stalled, broken, activities, users);
        assertEquals(new StalledReminderJob.Result(0, 0, 1), failing.remindStalled());
        failing.run();
        assertEquals(2, broken.calls, "run() reached the module service and swallowed its failure");
    }

    @Test
    void longTitlesAreCutToTheSubjectsLimit() {
        StalledService.Unreminded o = new StalledService.Unreminded(5, "t".repeat(200), 1001, "alice",
                new java.math.BigDecimal("12.50"), "CNY", START.minus(Duration.ofDays(15)), null);
        ActivityDTO a = StalledReminderJob.reminder(o, "alice", START);
        assertEquals(StalledReminderJob.SUBJECT_MAX, a.subject.length());
        assertTrue(a.subject.startsWith("Stalled opportunity: ttt"));
        assertTrue(a.notes.contains("#5 (12.50 CNY) for 15 days, since 2026-07-31"), a.notes);
    }

    // ---- fakes

    private long opportunity(String subsidiary, String owner, long customer, String status, Duration idle)
            throws SQLException {
        return StalledServiceTest.opportunity(dataSource, subsidiary, owner, customer, status, clock.instant().minus(idle));
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    private record Created(CallerContext caller, long customerId, ActivityDTO activity) {
    }

    private static final class FakeActivityService implements ActivityService {
        final List<Created> created = new ArrayList<>();
        final Map<Long, RuntimeException> failing = new HashMap<>();
        int attempts;

        List<String> summary() {
            return created.stream().map(c -> c.caller().login() + "@" + c.customerId()).toList();
        }

        @Override
        public ActivityDTO create(CallerContext caller, long customerId, ActivityDTO activity) {
            attempts++;
            RuntimeException failure = failing.get(customerId);
            if (failure != null) {
                throw failure;
            }
            created.add(new Created(caller, customerId, activity));
            activity.id = (long) created.size();
            return activity;
        }

        @Override
        public ActivityDTO get(CallerContext caller, long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Page<ActivityDTO> listForCustomer(CallerContext caller, long customerId, PageRequest page) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Page<ActivityDTO> reminders(CallerContext caller, String ownerLogin, DueFilter filter, PageRequest page) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ActivityDTO update(CallerContext caller, long id, ActivityDTO activity) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ActivityDTO complete(CallerContext caller, long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ActivityDTO archive(CallerContext caller, long id) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class ModuleServiceThatFails extends FakeModuleService {
        int calls;

        @Override
        public Set<String> subsidiariesInForce(String module) {
            calls++;
            throw new IllegalStateException("module states cannot be loaded");
        }
    }
}
