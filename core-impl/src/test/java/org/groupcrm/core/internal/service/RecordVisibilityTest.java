package org.groupcrm.core.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.List;
import java.util.Set;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.PageRequest;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.activity.ActivityDTO;
import org.groupcrm.core.api.activity.ActivityType;
import org.groupcrm.core.api.activity.DueFilter;
import org.groupcrm.core.api.customer.ContactDTO;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.customer.CustomerQuery;
import org.groupcrm.core.api.subsidiary.RecordVisibility;
import org.groupcrm.core.api.subsidiary.SubsidiarySettingsDTO;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A subsidiary's record visibility for reps ({@code OWN} / {@code TEAM}) on the real queries: who sees whose customers,
 * contacts and activities, that a change is in force on the next call, and who may change the setting.
 */
class RecordVisibilityTest {
    private static TestDatabase db;
    private static CoreServices services;
    private static int subsidiaries;

    private String code;
    private String other;
    private CallerContext admin;
    private CallerContext manager;
    private CallerContext rep;
    private CallerContext teammate;
    private CallerContext westRep;
    private CallerContext loneRep;
    private CallerContext assistant;
    private CallerContext otherAdmin;
    private CallerContext otherEastRep;
    private CallerContext groupAdmin;

    private long teammates;
    private long teammatesContact;
    private long teammatesActivity;
    private long wests;
    private long lones;
    private long otherEasts;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.start();
        services = new CoreServices(db);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    /**
     * Each test with two subsidiaries of its own. In the first: an administrator, a manager, two reps of team east, a
     * rep of team west, a rep in no team and an assistant working for that one; in the second, whose own team is also
     * called east: an administrator and an east rep. Every rep owns a customer.
     */
    @BeforeEach
    void subsidiaries() throws Exception {
        code = "V" + (++subsidiaries);
        other = code + "X";
        services.subsidiary(code);
        services.subsidiary(other);
        admin = services.user("admin-" + code, code, Roles.SUBSIDIARY_ADMIN);
        manager = services.user("manager-" + code, code, Roles.MANAGER);
        rep = services.user("rep-" + code, code);
        teammate = services.user("mate-" + code, code);
        westRep = services.user("west-" + code, code);
        loneRep = services.user("lone-" + code, code);
        assistant = services.user("assistant-" + code, code, Roles.SALES_ASSISTANT);
        otherAdmin = services.user("admin-" + other, other, Roles.SUBSIDIARY_ADMIN);
        otherEastRep = services.user("east-" + other, other);
        long groupAdminId = ((Number) db.scalar("INSERT INTO crm_user (login, display_name, password_hash)"
                + " VALUES (?, ?, 'x') RETURNING id", "group-" + code, "group-" + code)).longValue();
        groupAdmin = new CallerContext(groupAdminId, "group-" + code, code, Set.of(Roles.GROUP_ADMIN));
        team(rep, "east");
        team(teammate, "east");
        team(westRep, "west");
        team(otherEastRep, "east");
        db.execute("INSERT INTO crm_user_assistant (assistant_id, rep_id) VALUES (" + assistant.userId() + ", "
                + loneRep.userId() + ")");

        customer(rep, "Rep's");
        teammates = customer(teammate, "Teammate's");
        wests = customer(westRep, "West's");
        lones = customer(loneRep, "Lone's");
        otherEasts = customer(otherEastRep, "Other east's");
        ContactDTO contact = new ContactDTO();
        contact.name = "Teammate's contact";
        teammatesContact = services.contacts().create(teammate, teammates, contact).id;
        teammatesActivity = services.activities().create(teammate, teammates, activity("Teammate's call")).id;
    }

    private static void team(CallerContext user, String team) throws SQLException {
        db.execute("UPDATE crm_user SET team = '" + team + "' WHERE id = " + user.userId());
    }

    private static long customer(CallerContext owner, String name) {
        CustomerDTO c = new CustomerDTO();
        c.name = name;
        return services.customers().create(owner, c).id;
    }

    private static ActivityDTO activity(String subject) {
        ActivityDTO a = new ActivityDTO();
        a.type = ActivityType.CALL;
        a.subject = subject;
        return a;
    }

    private void visibility(String subsidiary, RecordVisibility v) {
        CallerContext by = subsidiary.equals(code) ? admin : otherAdmin;
        services.subsidiaries().changeSettings(by, subsidiary, new SubsidiarySettingsDTO(v));
    }

    /** @return the names of the customers {@code who} finds, in name order */
    private static List<String> found(CallerContext who) {
        return services.customers().search(who, new CustomerQuery(null, null, false, PageRequest.of(0, 50))).items()
                .stream().map(c -> c.name).toList();
    }

    private static void invisible(CallerContext who, long customerId) {
        assertThrows(NotFoundException.class, () -> services.customers().get(who, customerId));
        assertThrows(NotFoundException.class, () -> services.customers().owners(who, customerId));
        assertThrows(NotFoundException.class, () -> services.contacts().list(who, customerId));
        assertThrows(NotFoundException.class,
                () -> services.activities().listForCustomer(who, customerId, PageRequest.of(0, 20)));
    }

    @Test
    void byDefaultARepSeesOnlyTheirOwnCustomers() {
        assertEquals(RecordVisibility.OWN, services.subsidiaries().settings(admin, code).recordVisibility);
        assertEquals(List.of("Rep's"), found(rep));
        invisible(rep, teammates);
        assertThrows(NotFoundException.class, () -> services.activities().get(rep, teammatesActivity));
    }

    @Test
    void withTeamARepSeesTheTeamsCustomersWithTheirContactsActivitiesAndHistory() {
        visibility(code, RecordVisibility.TEAM);
        assertEquals(List.of("Rep's", "Teammate's"), found(rep));
        assertEquals(List.of("Rep's", "Teammate's"), found(teammate));
        assertEquals("Teammate's", services.customers().get(rep, teammates).name);
        assertEquals(List.of(teammatesContact), services.contacts().list(rep, teammates).stream().map(c -> c.id).toList());
        assertEquals(List.of(teammatesActivity), services.activities()
                .listForCustomer(rep, teammates, PageRequest.of(0, 20)).items().stream().map(a -> a.id).toList());
        assertEquals("Teammate's call", services.activities().get(rep, teammatesActivity).subject);
        assertEquals(List.of(), services.customers().owners(rep, teammates)); // readable: no reassignment yet
        // the owner filter of the search works within what the rep sees
        assertEquals(List.of("Teammate's"), services.customers().search(rep,
                new CustomerQuery(null, teammate.login(), false, PageRequest.of(0, 20))).items().stream().map(c -> c.name).toList());
    }

    @Test
    void aRepOfAnotherTeamAndARepInNoTeamDoNotSeeTheTeamsCustomers() {
        visibility(code, RecordVisibility.TEAM);
        assertEquals(List.of("West's"), found(westRep));
        invisible(westRep, teammates);
        assertThrows(NotFoundException.class, () -> services.activities().get(westRep, teammatesActivity));
        assertEquals(List.of("Lone's"), found(loneRep));
        invisible(loneRep, teammates);
        invisible(rep, wests);
        invisible(rep, lones);
    }

    @Test
    void aChangeIsInForceOnTheNextCall() {
        invisible(rep, teammates);
        visibility(code, RecordVisibility.TEAM);
        assertEquals("Teammate's", services.customers().get(rep, teammates).name);
        visibility(code, RecordVisibility.OWN);
        invisible(rep, teammates);
        assertEquals(List.of("Rep's"), found(rep));
    }

    @Test
    void aTeammatesRecordsAreReadOnlyAndARefusalWritesNothing() throws SQLException {
        visibility(code, RecordVisibility.TEAM);
        long audits = audits();
        CustomerDTO read = services.customers().get(rep, teammates);
        read.name = "Renamed by a teammate";
        assertThrows(ForbiddenException.class, () -> services.customers().update(rep, teammates, read));
        assertThrows(ForbiddenException.class, () -> services.customers().archive(rep, teammates));
        ContactDTO contact = new ContactDTO();
        contact.name = "Added by a teammate";
        assertThrows(ForbiddenException.class, () -> services.contacts().create(rep, teammates, contact));
        assertThrows(ForbiddenException.class, () -> services.contacts().archive(rep, teammates, teammatesContact));
        assertThrows(ForbiddenException.class, () -> services.activities().create(rep, teammates, activity("Mine")));
        assertThrows(ForbiddenException.class, () -> services.activities().complete(rep, teammatesActivity));
        assertThrows(ForbiddenException.class, () -> services.activities().archive(rep, teammatesActivity));
        // nor do a teammate's reminders become the rep's to read
        assertThrows(ForbiddenException.class, () -> services.activities()
                .reminders(rep, teammate.login(), DueFilter.ALL, PageRequest.of(0, 20)));
        assertEquals(audits, audits());
        assertEquals("Teammate's", services.customers().get(teammate, teammates).name);
        assertEquals(false, services.activities().get(teammate, teammatesActivity).done);
        assertEquals(1, services.contacts().list(teammate, teammates).size());
        // the owner still changes their own
        read.name = "Renamed by its owner";
        assertEquals("Renamed by its owner", services.customers().update(teammate, teammates, read).name);
    }

    @Test
    void subsidiariesAreIsolated() throws SQLException {
        visibility(other, RecordVisibility.TEAM);
        // the other subsidiary's TEAM does not change this one, which is still OWN
        invisible(rep, teammates);
        assertEquals(List.of("Other east's"), found(otherEastRep));
        visibility(code, RecordVisibility.TEAM);
        // a team of the same name in another subsidiary is another team
        assertEquals(List.of("Rep's", "Teammate's"), found(rep));
        invisible(rep, otherEasts);
        assertEquals(List.of("Other east's"), found(otherEastRep));
        // an east rep of the other subsidiary acting here: teams are of the home subsidiary, so only their own
        db.execute("INSERT INTO crm_user_subsidiary (user_id, subsidiary_id) SELECT " + otherEastRep.userId()
                + ", id FROM crm_subsidiary WHERE code = '" + code + "'");
        CallerContext visiting = new CallerContext(otherEastRep.userId(), otherEastRep.login(), code, Set.of(Roles.USER));
        assertEquals(List.of(), found(visiting));
        invisible(visiting, teammates);
    }

    @Test
    void assistantsAndManagersAreNotAffected() {
        visibility(code, RecordVisibility.TEAM);
        assertEquals(List.of("Lone's"), found(assistant));
        invisible(assistant, teammates);
        assertEquals(List.of("Lone's", "Rep's", "Teammate's", "West's"), found(manager));
        visibility(code, RecordVisibility.OWN);
        assertEquals(List.of("Lone's"), found(assistant));
        assertEquals(List.of("Lone's", "Rep's", "Teammate's", "West's"), found(manager));
    }

    @Test
    void theSubsidiarysAdministratorsAndGroupAdministratorsChangeTheSettingAuditedOthersAre403WritingNothing()
            throws SQLException {
        long audits = audits();
        for (CallerContext refused : List.of(rep, manager, assistant, otherAdmin)) {
            assertThrows(ForbiddenException.class, () -> services.subsidiaries()
                    .changeSettings(refused, code, new SubsidiarySettingsDTO(RecordVisibility.TEAM)), refused.login());
        }
        assertThrows(ForbiddenException.class, () -> services.subsidiaries().settings(rep, code));
        assertThrows(ForbiddenException.class, () -> services.subsidiaries().settings(otherAdmin, code));
        assertEquals(audits, audits());
        assertEquals("OWN", db.scalar("SELECT record_visibility FROM crm_subsidiary WHERE code = ?", code));

        SubsidiarySettingsDTO changed = services.subsidiaries().changeSettings(admin, code,
                new SubsidiarySettingsDTO(RecordVisibility.TEAM));
        assertEquals(code, changed.subsidiary);
        assertEquals(RecordVisibility.TEAM, changed.recordVisibility);
        assertEquals("TEAM", db.scalar("SELECT record_visibility FROM crm_subsidiary WHERE code = ?", code));
        List<List<Object>> trail = db.rows("SELECT actor, action, changes FROM crm_audit WHERE entity = 'subsidiary'"
                + " AND entity_id = ? ORDER BY id", code);
        assertEquals(1, trail.size());
        assertEquals(admin.login(), trail.get(0).get(0));
        assertEquals("UPDATE", trail.get(0).get(1));
        String changes = String.valueOf(trail.get(0).get(2)).replace(" ", "");
        assertEquals(true, changes.contains("\"recordVisibility\":{\"before\":\"OWN\",\"after\":\"TEAM\"}"), changes);

        assertEquals(RecordVisibility.OWN, services.subsidiaries().changeSettings(groupAdmin, code,
                new SubsidiarySettingsDTO(RecordVisibility.OWN)).recordVisibility);
        assertEquals(RecordVisibility.OWN, services.subsidiaries().settings(groupAdmin, code).recordVisibility);
        // the same value again is no change: no further row
        services.subsidiaries().changeSettings(groupAdmin, code, new SubsidiarySettingsDTO(RecordVisibility.OWN));
        assertEquals(2L, ((Number) db.scalar("SELECT count(*) FROM crm_audit WHERE entity = 'subsidiary'"
                + " AND entity_id = ?", code)).longValue());
        assertThrows(NotFoundException.class, () -> services.subsidiaries().settings(groupAdmin, "NO-SUCH-" + code));
    }

    @Test
    void aMissingValueIs400NamingTheField() throws SQLException {
        ValidationException e = assertThrows(ValidationException.class,
                () -> services.subsidiaries().changeSettings(admin, code, new SubsidiarySettingsDTO(null)));
        assertEquals("recordVisibility", e.fields().get(0).field());
        assertEquals("body", assertThrows(ValidationException.class,
                () -> services.subsidiaries().changeSettings(admin, code, null)).fields().get(0).field());
        assertEquals("OWN", db.scalar("SELECT record_visibility FROM crm_subsidiary WHERE code = ?", code));
    }

    @Test
    void theColumnRefusesUnknownValues() {
        SQLException e = assertThrows(SQLException.class,
                () -> db.execute("UPDATE crm_subsidiary SET record_visibility = 'ALL' WHERE code = '" + code + "'"));
        assertEquals("23514", e.getSQLState(), e.getMessage());
    }

    private static long audits() throws SQLException {
        return ((Number) db.scalar("SELECT count(*) FROM crm_audit")).longValue();
    }
}
