package org.groupcrm.core.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.activity.ActivityDTO;
import org.groupcrm.core.api.activity.ActivityType;
import org.groupcrm.core.api.approval.ApprovalDTO;
import org.groupcrm.core.api.approval.ApprovalDecisionDTO;
import org.groupcrm.core.api.approval.ApprovalStatus;
import org.groupcrm.core.api.approval.ApprovalStepDTO;
import org.groupcrm.core.api.customer.ContactDTO;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.subsidiary.RecordVisibility;
import org.groupcrm.core.api.subsidiary.SubsidiarySettingsDTO;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who sees an approval request (submitter, reviewers of the steps it reached, administrators; everyone else 404), and
 * the check of subjects that name core records, on the real queries.
 */
class ApprovalVisibilityTest {
    private static TestDatabase db;
    private static CoreServices services;
    private static int subsidiaries;

    private String code;
    private String other;
    private CallerContext rep;
    private CallerContext colleague;
    private CallerContext manager;
    private CallerContext finance;
    private CallerContext admin;
    private CallerContext groupAdmin;
    private CallerContext foreignRep;
    private long customer;
    private long colleaguesCustomer;
    private long foreignCustomer;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.start();
        services = new CoreServices(db);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    /** Each test with a subsidiary of its own (two reps, a manager, finance, an administrator) and another one. */
    @BeforeEach
    void subsidiary() throws Exception {
        code = "AV" + (++subsidiaries);
        other = code + "X";
        services.subsidiary(code);
        services.subsidiary(other);
        rep = services.user("rep-" + code, code);
        colleague = services.user("colleague-" + code, code);
        manager = services.user("manager-" + code, code, Roles.MANAGER);
        finance = services.user("finance-" + code, code, Roles.FINANCE);
        admin = services.user("admin-" + code, code, Roles.SUBSIDIARY_ADMIN);
        foreignRep = services.user("rep-" + other, other);
        long id = ((Number) db.scalar("INSERT INTO crm_user (login, display_name, password_hash)"
                + " VALUES (?, ?, 'x') RETURNING id", "group-" + code, "group-" + code)).longValue();
        groupAdmin = new CallerContext(id, "group-" + code, code, Set.of(Roles.GROUP_ADMIN));
        customer = customer(rep, "Rep's");
        colleaguesCustomer = customer(colleague, "Colleague's");
        foreignCustomer = customer(foreignRep, "Foreign");
    }

    private static long customer(CallerContext owner, String name) {
        CustomerDTO c = new CustomerDTO();
        c.name = name;
        return services.customers().create(owner, c).id;
    }

    private static ApprovalDTO request(String subjectType, Object subjectId, String... roles) {
        ApprovalDTO d = new ApprovalDTO();
        d.type = "discount";
        d.subjectType = subjectType;
        d.subjectId = String.valueOf(subjectId);
        d.summary = "10% for a loyal customer";
        d.steps = new ArrayList<>();
        for (String r : roles) {
            d.steps.add(new ApprovalStepDTO(r));
        }
        return d;
    }

    private ApprovalDTO submitted(String... roles) {
        return services.approvals().submit(rep, request("customer", customer, roles));
    }

    private static void sees(CallerContext who, long id) {
        assertEquals(id, services.approvals().get(who, id).id, who.login());
    }

    private static void doesNotSee(CallerContext who, ApprovalDTO a) {
        assertThrows(NotFoundException.class, () -> services.approvals().get(who, a.id), who.login());
        ApprovalDecisionDTO d = new ApprovalDecisionDTO("no", a.version);
        assertThrows(NotFoundException.class, () -> services.approvals().approve(who, a.id, d), who.login());
        assertThrows(NotFoundException.class, () -> services.approvals().reject(who, a.id, d), who.login());
        assertThrows(NotFoundException.class, () -> services.approvals().withdraw(who, a.id, d), who.login());
    }

    @Test
    void aPendingRequestIsSeenByItsSubmitterItsCurrentReviewersAndAdministratorsOnly() throws SQLException {
        ApprovalDTO a = submitted(Roles.MANAGER, Roles.FINANCE);
        for (CallerContext who : List.of(rep, manager, admin, groupAdmin)) {
            sees(who, a.id);
        }
        long audits = audits();
        // finance's step is not reached yet; the colleague holds no step's position
        doesNotSee(finance, a);
        doesNotSee(colleague, a);
        // those who see it but may not do it are still told why
        ApprovalDecisionDTO d = new ApprovalDecisionDTO(null, a.version);
        assertThrows(ForbiddenException.class, () -> services.approvals().approve(admin, a.id, d));
        assertThrows(ForbiddenException.class, () -> services.approvals().withdraw(manager, a.id, d));
        assertEquals("separation_of_duties",
                assertThrows(ForbiddenException.class, () -> services.approvals().approve(rep, a.id, d)).code());
        assertEquals(audits, audits());
        assertEquals(ApprovalStatus.PENDING, services.approvals().get(rep, a.id).status);
    }

    @Test
    void aReviewerKeepsSeeingAStepTheyDecidedAndTheNextStepsReviewersComeIn() {
        ApprovalDTO a = submitted(Roles.MANAGER, Roles.FINANCE);
        ApprovalDTO first = services.approvals().approve(manager, a.id, new ApprovalDecisionDTO("fine", a.version));
        sees(finance, a.id);
        sees(manager, a.id);
        doesNotSee(colleague, first);
        ApprovalDTO done = services.approvals().approve(finance, a.id, new ApprovalDecisionDTO(null, first.version));
        assertEquals(ApprovalStatus.APPROVED, done.status);
        for (CallerContext who : List.of(rep, manager, finance, admin, groupAdmin)) {
            sees(who, a.id);
        }
        assertThrows(NotFoundException.class, () -> services.approvals().get(colleague, a.id));
    }

    @Test
    void stepsAfterARejectionOrAWithdrawalAreNeverReached() {
        ApprovalDTO rejected = submitted(Roles.MANAGER, Roles.FINANCE);
        services.approvals().reject(manager, rejected.id, new ApprovalDecisionDTO("margin", rejected.version));
        sees(manager, rejected.id);
        assertThrows(NotFoundException.class, () -> services.approvals().get(finance, rejected.id));

        ApprovalDTO withdrawn = submitted(Roles.MANAGER, Roles.FINANCE);
        services.approvals().withdraw(rep, withdrawn.id, new ApprovalDecisionDTO(null, withdrawn.version));
        sees(manager, withdrawn.id);
        assertThrows(NotFoundException.class, () -> services.approvals().get(finance, withdrawn.id));
        sees(rep, withdrawn.id);
    }

    @Test
    void aStepOfTheRepsPositionIsSeenByEveryRep() {
        ApprovalDTO a = submitted(Roles.USER);
        sees(colleague, a.id);
        assertEquals(ApprovalStatus.APPROVED,
                services.approvals().approve(colleague, a.id, new ApprovalDecisionDTO(null, a.version)).status);
    }

    @Test
    void anotherSubsidiarysRequestIsNotFoundEvenForItsAdministrators() throws SQLException {
        ApprovalDTO a = submitted(Roles.MANAGER);
        CallerContext elsewhere = new CallerContext(groupAdmin.userId(), groupAdmin.login(), other, groupAdmin.roles());
        assertThrows(NotFoundException.class, () -> services.approvals().get(elsewhere, a.id));
        doesNotSee(foreignRep, a);
    }

    @Test
    void aCoreSubjectMustBeARecordOfTheSubsidiaryTheSubmitterSees() throws SQLException {
        long audits = audits();
        long requests = requests();
        for (ApprovalDTO bad : List.of(request("customer", colleaguesCustomer, Roles.MANAGER),
                request("customer", foreignCustomer, Roles.MANAGER), request("customer", 987654321L, Roles.MANAGER),
                request("customer", "first-one", Roles.MANAGER), request("customer", "-" + customer, Roles.MANAGER),
                request("contact", 987654321L, Roles.MANAGER), request("activity", 987654321L, Roles.MANAGER))) {
            ValidationException e = assertThrows(ValidationException.class, () -> services.approvals().submit(rep, bad),
                    bad.subjectType + " " + bad.subjectId);
            assertEquals(List.of("subject"), e.fields().stream().map(f -> f.field()).toList());
        }
        // the answer is the same whether the customer exists elsewhere, is another rep's, or does not exist
        assertEquals(message(request("customer", 987654321L, Roles.MANAGER)).replace("987654321", "X"),
                message(request("customer", colleaguesCustomer, Roles.MANAGER)).replace(String.valueOf(colleaguesCustomer), "X"));
        assertEquals(audits, audits());
        assertEquals(requests, requests());

        assertEquals(ApprovalStatus.PENDING, services.approvals().submit(rep, request("customer", customer, Roles.MANAGER)).status);
        // a manager sees every customer of the subsidiary
        services.approvals().submit(manager, request("customer", colleaguesCustomer, Roles.SUBSIDIARY_ADMIN));
        assertEquals(requests + 2, requests());
    }

    @Test
    void contactAndActivitySubjectsAreCheckedThroughTheirCustomer() {
        ContactDTO c = new ContactDTO();
        c.name = "Buyer";
        long contact = services.contacts().create(rep, customer, c).id;
        long colleaguesContact = services.contacts().create(colleague, colleaguesCustomer, c).id;
        ActivityDTO a = new ActivityDTO();
        a.type = ActivityType.VISIT;
        a.subject = "Visit";
        long activity = services.activities().create(rep, customer, a).id;
        long colleaguesActivity = services.activities().create(colleague, colleaguesCustomer, a).id;

        services.approvals().submit(rep, request("contact", contact, Roles.MANAGER));
        services.approvals().submit(rep, request("activity", activity, Roles.MANAGER));
        for (ApprovalDTO bad : List.of(request("contact", colleaguesContact, Roles.MANAGER),
                request("activity", colleaguesActivity, Roles.MANAGER))) {
            assertEquals("subject", assertThrows(ValidationException.class, () -> services.approvals().submit(rep, bad))
                    .fields().get(0).field());
        }
        services.approvals().submit(manager, request("contact", colleaguesContact, Roles.SUBSIDIARY_ADMIN));
        services.approvals().submit(manager, request("activity", colleaguesActivity, Roles.SUBSIDIARY_ADMIN));
    }

    @Test
    void withTeamVisibilityATeammatesCustomerIsASubjectTheRepSees() throws SQLException {
        db.execute("UPDATE crm_user SET team = 'east' WHERE id IN (" + rep.userId() + ", " + colleague.userId() + ")");
        ApprovalDTO bad = request("customer", colleaguesCustomer, Roles.MANAGER);
        assertThrows(ValidationException.class, () -> services.approvals().submit(rep, bad));
        services.subsidiaries().changeSettings(admin, code, new SubsidiarySettingsDTO(RecordVisibility.TEAM));
        assertEquals(ApprovalStatus.PENDING, services.approvals().submit(rep, bad).status);
    }

    @Test
    void otherSubjectTypesArePluginsOwnAndNotChecked() {
        ApprovalDTO a = services.approvals().submit(rep, request("opportunity", "OPP-2026-17", Roles.MANAGER));
        assertEquals("opportunity", a.subjectType);
        assertEquals("OPP-2026-17", a.subjectId);
        assertEquals(ApprovalStatus.PENDING, services.approvals().submit(rep, request("customer-group", 987654321L,
                Roles.MANAGER)).status);
    }

    @Test
    void invalidFieldsAreReportedBeforeTheSubject() {
        ApprovalDTO bad = request("customer", 987654321L, "chief");
        bad.summary = " ";
        ValidationException e = assertThrows(ValidationException.class, () -> services.approvals().submit(rep, bad));
        assertEquals(Set.of("summary", "steps[0].role"), Set.copyOf(e.fields().stream().map(f -> f.field()).toList()));
    }

    private String message(ApprovalDTO bad) {
        return assertThrows(ValidationException.class, () -> services.approvals().submit(rep, bad)).fields().get(0).reason();
    }

    private static long audits() throws SQLException {
        return ((Number) db.scalar("SELECT count(*) FROM crm_audit")).longValue();
    }

    private static long requests() throws SQLException {
        return ((Number) db.scalar("SELECT count(*) FROM crm_approval")).longValue();
    }
}
