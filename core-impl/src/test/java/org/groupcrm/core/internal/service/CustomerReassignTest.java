package org.groupcrm.core.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.customer.OwnershipParticipant;
import org.groupcrm.core.api.customer.ReassignmentDTO;
import org.groupcrm.core.internal.persistence.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Who {@code CustomerService.reassign} moves customers from: someone of the subsidiary, never telling about others. */
class CustomerReassignTest {
    private static TestDatabase db;
    private static CoreServices services;
    private static int subsidiaries;

    private String code;
    private String other;
    private CallerContext admin;
    private CallerContext rep;
    private CallerContext colleague;
    private CallerContext foreignRep;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.start();
        services = new CoreServices(db);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    /** Each test with two subsidiaries of its own: an administrator and two reps in the first, a rep in the second. */
    @BeforeEach
    void subsidiaries() throws Exception {
        code = "R" + (++subsidiaries);
        other = code + "X";
        services.subsidiary(code);
        services.subsidiary(other);
        admin = services.user("admin-" + code, code, "subsidiary-admin");
        rep = services.user("rep-" + code, code);
        colleague = services.user("colleague-" + code, code);
        foreignRep = services.user("rep-" + other, other);
    }

    private long customer(CallerContext owner, String name) {
        CustomerDTO c = new CustomerDTO();
        c.name = name;
        return services.customers().create(owner, c).id;
    }

    private static ReassignmentDTO move(String from, String to) {
        ReassignmentDTO r = new ReassignmentDTO();
        r.from = from;
        r.to = to;
        return r;
    }

    private ValidationException refused(String from) {
        return assertThrows(ValidationException.class,
                () -> services.customers().reassign(admin, move(from, colleague.login())));
    }

    @Test
    void aUserOfAnotherSubsidiaryIsAnsweredLikeOneWhoDoesNotExist() {
        customer(foreignRep, "Theirs");
        ValidationException foreign = refused(foreignRep.login());
        ValidationException unknown = refused("nobody-" + code);
        assertEquals("from", foreign.fields().get(0).field());
        assertEquals("no user '" + foreignRep.login() + "' in subsidiary " + code, foreign.fields().get(0).reason());
        assertEquals(unknown.fields().get(0).reason().replace("nobody-" + code, foreignRep.login()),
                foreign.fields().get(0).reason());
    }

    @Test
    void aLeavingRepOfTheSubsidiaryIsMovedFromEvenWhenDisabled() throws Exception {
        long id = customer(rep, "Kept");
        db.execute("UPDATE crm_user SET enabled = FALSE WHERE id = " + rep.userId());
        ReassignmentDTO moved = services.customers().reassign(admin, move(rep.login(), colleague.login()));
        assertEquals(List.of(id), moved.customerIds);
    }

    @Test
    void aRepWhoMovedToAnotherSubsidiaryIsMovedFromWhereTheyStillOwnCustomers() throws Exception {
        long id = customer(rep, "Left behind");
        db.execute("UPDATE crm_user SET home_subsidiary_id = (SELECT id FROM crm_subsidiary WHERE code = '" + other
                + "') WHERE id = " + rep.userId());
        ReassignmentDTO moved = services.customers().reassign(admin, move(rep.login(), colleague.login()));
        assertEquals(List.of(id), moved.customerIds);
        assertEquals(colleague.login(), services.customers().get(admin, id).owner);
    }

    @Test
    void participantsGetTheCallerAndOnesWrittenAgainstTheFirstApiStillGetTheSubsidiary() throws Exception {
        long id = customer(rep, "With work in two modules");
        List<String> calls = new java.util.ArrayList<>();
        OwnershipParticipant current = new OwnershipParticipant() {
            @Override
            public String module() {
                return "current";
            }

            @Override
            public int transfer(java.sql.Connection c, CallerContext caller, java.util.Set<Long> ids, String from,
                    String to) {
                calls.add("current " + caller.login() + "@" + caller.subsidiary() + " " + ids + " " + from + ">" + to);
                return 2;
            }

            @Override
            @Deprecated
            public int transfer(java.sql.Connection c, String subsidiary, java.util.Set<Long> ids, String from,
                    String to) {
                throw new AssertionError("the core must call the variant with the caller");
            }
        };
        @SuppressWarnings("deprecation")
        OwnershipParticipant firstApi = new OwnershipParticipant() {
            @Override
            public String module() {
                return "first";
            }

            @Override
            public int transfer(java.sql.Connection c, String subsidiary, java.util.Set<Long> ids, String from,
                    String to) {
                calls.add("first " + subsidiary + " " + ids + " " + from + ">" + to);
                return 1;
            }
        };
        services.customers().addParticipant(current);
        services.customers().addParticipant(firstApi);
        try {
            ReassignmentDTO moved = services.customers().reassign(admin, move(rep.login(), colleague.login()));
            assertEquals(java.util.Map.of("current", 2, "first", 1), moved.modules);
        } finally {
            services.customers().removeParticipant(current);
            services.customers().removeParticipant(firstApi);
        }
        assertEquals(List.of("current " + admin.login() + "@" + code + " [" + id + "] " + rep.login() + ">" + colleague.login(),
                "first " + code + " [" + id + "] " + rep.login() + ">" + colleague.login()), calls);
        // the core's own share of the move: one audit entry for the customer, by the administrator
        assertEquals(List.of(List.of("REASSIGN", admin.login())), db.rows("SELECT action, actor FROM crm_audit"
                + " WHERE entity = 'customer' AND entity_id = ? AND action = 'REASSIGN'", String.valueOf(id)));
    }
}
