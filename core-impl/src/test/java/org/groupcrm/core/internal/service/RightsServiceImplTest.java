package org.groupcrm.core.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.module.AbstractCrmModule;
import org.groupcrm.core.api.module.CrmModule;
import org.groupcrm.core.api.module.ResourceType;
import org.groupcrm.core.api.user.CoreResourceTypes;
import org.groupcrm.core.api.user.GrantDTO;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link RightsServiceImpl} on a real PostgreSQL: shipped defaults, per-subsidiary adjustments, their audit and limits. */
class RightsServiceImplTest {
    private static TestDatabase db;
    private static CoreServices services;
    private static int n;

    private RightsServiceImpl rights;
    private String s1;
    private String s2;
    private CallerContext rep1;
    private CallerContext rep2;
    private CallerContext admin1;
    private CallerContext admin2;
    private CallerContext finance1;
    private CallerContext manager1;
    private final CallerContext group = new CallerContext(0, "group-it", null, Set.of(Roles.GROUP_ADMIN));

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.start();
        services = new CoreServices(db);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @BeforeEach
    void subsidiaries() throws Exception {
        n++;
        s1 = "R" + n + "A";
        s2 = "R" + n + "B";
        services.subsidiary(s1);
        services.subsidiary(s2);
        rep1 = services.user("rep-" + s1, s1);
        rep2 = services.user("rep-" + s2, s2);
        admin1 = services.user("admin-" + s1, s1, Roles.SUBSIDIARY_ADMIN);
        admin2 = services.user("admin-" + s2, s2, Roles.SUBSIDIARY_ADMIN);
        finance1 = services.user("finance-" + s1, s1, Roles.FINANCE);
        manager1 = services.user("manager-" + s1, s1, Roles.MANAGER);
        rights = services.rights();
    }

    @Test
    void theShippedDefaultsApplyUntilASubsidiaryAdjustsThem() {
        assertEquals(EnumSet.of(Right.ENTER, Right.QUERY, Right.MODIFY), rights.rightsOf(rep1, CoreResourceTypes.CUSTOMER));
        assertEquals(EnumSet.of(Right.QUERY), rights.rightsOf(finance1, CoreResourceTypes.CUSTOMER));
        assertEquals(EnumSet.allOf(Right.class), rights.rightsOf(admin1, CoreResourceTypes.CUSTOMER));
        assertEquals(EnumSet.allOf(Right.class), rights.rightsOf(group, CoreResourceTypes.AUDIT));
        assertFalse(rights.has(rep1, CoreResourceTypes.AUDIT, Right.QUERY));
        assertFalse(rights.has(manager1, CoreResourceTypes.CUSTOMER, Right.ADMIN), "reassignment stays administrative");
        // several positions: the union
        CallerContext both = new CallerContext(rep1.userId(), rep1.login(), s1, Set.of(Roles.USER, Roles.FINANCE));
        assertEquals(EnumSet.of(Right.ENTER, Right.QUERY, Right.MODIFY), rights.rightsOf(both, CoreResourceTypes.CUSTOMER));
        // a type nobody installed: no rights, except for group administrators
        assertEquals(Set.of(), rights.rightsOf(admin1, "memo.note"));
        assertTrue(rights.has(group, "memo.note", Right.QUERY));

        ForbiddenException e = assertThrows(ForbiddenException.class,
                () -> rights.require(rep1, CoreResourceTypes.AUDIT, Right.QUERY));
        assertEquals("missing_right", e.code());
        assertTrue(e.getMessage().contains("QUERY right over core.audit") && e.getMessage().contains("[user]")
                && e.getMessage().contains(s1), e.getMessage());
    }

    @Test
    void anAdjustmentIsInForceAtOnceInItsSubsidiaryOnlyAndAResetRestoresTheDefault() throws Exception {
        assertTrue(rights.has(rep1, CoreResourceTypes.CUSTOMER, Right.MODIFY)); // cached now
        GrantDTO g = rights.grant(admin1, s1, CoreResourceTypes.CUSTOMER, Roles.USER, Set.of(Right.QUERY, Right.ENTER));
        assertEquals(EnumSet.of(Right.ENTER, Right.QUERY), g.rights);
        assertEquals(EnumSet.of(Right.ENTER, Right.QUERY, Right.MODIFY), g.defaultRights);
        assertTrue(g.adjusted);
        assertEquals(admin1.login(), g.changedBy);
        assertFalse(rights.has(rep1, CoreResourceTypes.CUSTOMER, Right.MODIFY), "in force on the next check");
        assertTrue(rights.has(rep2, CoreResourceTypes.CUSTOMER, Right.MODIFY), "another subsidiary keeps the default");

        GrantDTO listed = rights.grants(admin1, s1).stream().filter(x -> x.resourceType.equals(CoreResourceTypes.CUSTOMER)
                && x.position.equals(Roles.USER)).findFirst().orElseThrow();
        assertEquals(EnumSet.of(Right.ENTER, Right.QUERY), listed.rights);
        assertEquals("core", listed.module);

        GrantDTO reset = rights.reset(admin1, s1, CoreResourceTypes.CUSTOMER, Roles.USER);
        assertFalse(reset.adjusted);
        assertEquals(reset.defaultRights, reset.rights);
        assertTrue(rights.has(rep1, CoreResourceTypes.CUSTOMER, Right.MODIFY));
        // a reset of a grant nobody adjusted changes nothing and writes no audit entry
        long before = audits(s1);
        rights.reset(admin1, s1, CoreResourceTypes.CUSTOMER, Roles.USER);
        assertEquals(before, audits(s1));
    }

    @Test
    void everyChangeIsAuditedOnceWithTheRightsBeforeAndAfter() throws Exception {
        rights.grant(admin1, s1, CoreResourceTypes.ACTIVITY, Roles.FINANCE, Set.of(Right.QUERY));
        rights.grant(admin1, s1, CoreResourceTypes.ACTIVITY, Roles.FINANCE, Set.of());
        rights.reset(admin1, s1, CoreResourceTypes.ACTIVITY, Roles.FINANCE);
        String id = CoreResourceTypes.ACTIVITY + "/" + Roles.FINANCE;
        assertEquals(3L, ((Number) db.scalar("SELECT count(*) FROM crm_audit a JOIN crm_subsidiary s ON s.id = a.subsidiary_id"
                + " WHERE s.code = ? AND a.entity = 'right-grant' AND a.entity_id = ?", s1, id)).longValue());
        String first = (String) db.scalar("SELECT a.changes FROM crm_audit a JOIN crm_subsidiary s ON s.id = a.subsidiary_id"
                + " WHERE s.code = ? AND a.entity_id = ? AND a.action = 'GRANT' ORDER BY a.id LIMIT 1", s1, id);
        assertTrue(first.contains("\"before\":\"ENTER,QUERY,MODIFY\"") && first.contains("\"after\":\"QUERY\""), first);
        String last = (String) db.scalar("SELECT a.changes || ' ' || a.actor FROM crm_audit a JOIN crm_subsidiary s"
                + " ON s.id = a.subsidiary_id WHERE s.code = ? AND a.entity_id = ? AND a.action = 'RESET'", s1, id);
        assertTrue(last.contains("\"before\":\"\"") && last.contains("\"after\":\"ENTER,QUERY,MODIFY\"")
                && last.endsWith(admin1.login()), last);
    }

    @Test
    void aPositionWithoutARightIsRefusedByTheServicesAndNothingIsWritten() throws Exception {
        rights.grant(admin1, s1, CoreResourceTypes.CUSTOMER, Roles.USER, Set.of(Right.QUERY));
        long before = ((Number) db.scalar("SELECT count(*) FROM crm_customer")).longValue();
        CustomerDTO c = new CustomerDTO();
        c.name = "Refused Ltd";
        c.phone = "+49 30 5550" + n;
        ForbiddenException e = assertThrows(ForbiddenException.class, () -> services.customers().create(rep1, c));
        assertEquals("missing_right", e.code());
        assertEquals(before, ((Number) db.scalar("SELECT count(*) FROM crm_customer")).longValue());
        CallerContext rep1b = services.user("rep2-" + s1, s1);
        assertThrows(ForbiddenException.class, () -> services.imports().importAll(rep1b, List.of(c)));
        assertEquals(before, ((Number) db.scalar("SELECT count(*) FROM crm_customer")).longValue());
        // the other subsidiary's reps still enter customers
        assertEquals(rep2.login(), services.customers().create(rep2, c).owner);
    }

    @Test
    void onlyTheSubsidiarysAdministratorsAndGroupItAdjustAndNobodyGrantsWhatTheyLack() {
        assertThrows(ForbiddenException.class, () -> rights.grants(rep1, s1));
        assertThrows(ForbiddenException.class, () -> rights.grants(admin2, s1));
        assertThrows(ForbiddenException.class, () -> rights.grant(admin2, s1, CoreResourceTypes.CUSTOMER, Roles.USER,
                Set.of()));
        assertThrows(ForbiddenException.class, () -> rights.grant(manager1, s1, CoreResourceTypes.CUSTOMER, Roles.USER,
                Set.of()));
        ForbiddenException own = assertThrows(ForbiddenException.class, () -> rights.grant(admin1, s1,
                CoreResourceTypes.USER, Roles.SUBSIDIARY_ADMIN, Set.of()));
        assertTrue(own.getMessage().contains("group administrators"), own.getMessage());
        // a subsidiary administrator reads the audit trail but does not administer it: cannot grant ADMIN over it
        ForbiddenException escalation = assertThrows(ForbiddenException.class, () -> rights.grant(admin1, s1,
                CoreResourceTypes.AUDIT, Roles.MANAGER, Set.of(Right.QUERY, Right.ADMIN)));
        assertTrue(escalation.getMessage().contains("[ADMIN]"), escalation.getMessage());
        assertFalse(rights.has(manager1, CoreResourceTypes.AUDIT, Right.QUERY));
        // what they hold they may pass on; group IT adjusts the subsidiary administrators too
        rights.grant(admin1, s1, CoreResourceTypes.AUDIT, Roles.MANAGER, Set.of(Right.QUERY));
        assertTrue(rights.has(manager1, CoreResourceTypes.AUDIT, Right.QUERY));
        rights.grant(group, s1, CoreResourceTypes.USER, Roles.SUBSIDIARY_ADMIN, Set.of(Right.QUERY));
        assertFalse(rights.has(admin1, CoreResourceTypes.USER, Right.ADMIN));
        assertTrue(rights.has(admin2, CoreResourceTypes.USER, Right.ADMIN));
        assertThrows(NotFoundException.class, () -> rights.grants(group, "NOPE" + n));
    }

    @Test
    void badRequestsNameTheField() {
        assertEquals("resourceType", field(() -> rights.grant(admin1, s1, "core.nothing", Roles.USER, Set.of())));
        assertEquals("resourceType", field(() -> rights.reset(admin1, s1, null, Roles.USER)));
        assertEquals("position", field(() -> rights.grant(admin1, s1, CoreResourceTypes.CUSTOMER, "sales-rep", Set.of())));
        assertEquals("position", field(() -> rights.grant(group, s1, CoreResourceTypes.CUSTOMER, Roles.GROUP_ADMIN,
                Set.of())));
        assertEquals("rights", field(() -> rights.grant(admin1, s1, CoreResourceTypes.CUSTOMER, Roles.USER, null)));
        java.util.Set<Right> withNull = new java.util.HashSet<>();
        withNull.add(null);
        assertEquals("rights", field(() -> rights.grant(admin1, s1, CoreResourceTypes.CUSTOMER, Roles.USER, withNull)));
        assertTrue(rights.grants(admin1, s1).stream().noneMatch(g -> g.adjusted), "nothing was stored");
    }

    @Test
    void modulesContributeTheirTypesAndAdjustmentsOutliveAnUninstall() {
        CrmModule memo = new AbstractCrmModule("memo", "Memo", "1.0.0", "Notes", Set.of(), "[1.0,2)",
                List.of(new ResourceType("memo.note", "Note", Map.of(Roles.USER, Set.of(Right.QUERY))))) {
        };
        CrmModule old = new AbstractCrmModule("legacy", "Legacy", "1.0.0", "Needs API 0.x", Set.of(), "[0.1,1)",
                List.of(new ResourceType("legacy.thing", "Thing", Map.of(Roles.USER, Set.of(Right.QUERY))))) {
        };
        services.modules().addModule(memo);
        services.modules().addModule(old);
        try {
            assertTrue(rights.resourceTypes().contains("memo.note"));
            assertFalse(rights.resourceTypes().contains("legacy.thing"), "a refused module's types are not installed");
            assertTrue(rights.has(rep1, "memo.note", Right.QUERY));
            assertEquals(Roles.ALL.size(), rights.grants(admin1, s1).stream().filter(g -> g.resourceType.equals("memo.note"))
                    .peek(g -> assertEquals("memo", g.module)).count());
            // the module grants subsidiary administrators nothing over its type, so they cannot pass ENTER on
            assertThrows(ForbiddenException.class, () -> rights.grant(admin1, s1, "memo.note", Roles.USER,
                    Set.of(Right.QUERY, Right.ENTER)));
            rights.grant(group, s1, "memo.note", Roles.USER, Set.of(Right.QUERY, Right.ENTER));
            services.modules().removeModule(memo);
            assertFalse(rights.has(rep1, "memo.note", Right.QUERY));
            assertEquals("resourceType", field(() -> rights.grant(admin1, s1, "memo.note", Roles.USER, Set.of())));
            services.modules().addModule(memo);
            assertEquals(EnumSet.of(Right.ENTER, Right.QUERY), rights.rightsOf(rep1, "memo.note"), "the adjustment is back");
        } finally {
            services.modules().removeModule(memo);
            services.modules().removeModule(old);
        }
    }

    private long audits(String code) throws Exception {
        return ((Number) db.scalar("SELECT count(*) FROM crm_audit a JOIN crm_subsidiary s ON s.id = a.subsidiary_id"
                + " WHERE s.code = ? AND a.entity = 'right-grant'", code)).longValue();
    }

    private static String field(Runnable r) {
        ValidationException e = assertThrows(ValidationException.class, r::run);
        return e.fields().get(0).field();
    }
}
