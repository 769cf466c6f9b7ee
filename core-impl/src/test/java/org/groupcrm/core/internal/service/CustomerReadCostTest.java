package org.groupcrm.core.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.internal.persistence.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reading one customer is the hottest path of the product: it costs a fixed, small number of statements, whoever owns
 * and entered the customer. Users' positions, subsidiaries and assigned reps are loaded only where they are used.
 */
class CustomerReadCostTest {
    private static TestDatabase db;
    private static CoreServices services;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.start();
        services = new CoreServices(db);
    }

    @AfterAll
    static void stop() throws Exception {
        db.close();
    }

    @Test
    void oneCustomerIsReadWithOneStatement() throws Exception {
        services.subsidiary("RC");
        CallerContext rep = services.user("rep-rc", "RC");
        CallerContext assistant = services.user("assistant-rc", "RC", "sales-assistant");
        CallerContext admin = services.user("admin-rc", "RC", "subsidiary-admin");
        // the rep works in a second subsidiary, and the assistant has reps: collections the read must not load
        services.subsidiary("RC2");
        db.execute("INSERT INTO crm_user_subsidiary (user_id, subsidiary_id) SELECT " + rep.userId()
                + ", id FROM crm_subsidiary WHERE code = 'RC2'");
        db.execute("INSERT INTO crm_user_assistant (assistant_id, rep_id) VALUES (" + assistant.userId() + ", "
                + rep.userId() + ")");
        CustomerDTO c = new CustomerDTO();
        c.name = "Read cost";
        c.owner = rep.login();
        long id = services.customers().create(assistant, c).id;

        db.statements().clear();
        CustomerDTO read = services.customers().get(rep, id);
        List<String> statements = db.statements().statements();

        assertEquals("rep-rc", read.owner);
        assertEquals("assistant-rc", read.enteredBy);
        // the customer joined with its owner and enterer and their home subsidiary
        assertEquals(1, statements.size(), "statements of one read: " + statements);
        assertTrue(statements.get(0).contains("crm_customer") && statements.get(0).contains("crm_subsidiary"),
                statements.toString());

        db.statements().clear();
        assertEquals(id, services.customers().get(admin, id).id);
        assertEquals(1, db.statements().statements().size(), "an administrator's read: " + db.statements().statements());

        db.statements().clear();
        assertEquals(id, services.customers().get(assistant, id).id);
        List<String> byAssistant = db.statements().statements();
        assertEquals(2, byAssistant.size(), "an assistant's read also looks up their reps: " + byAssistant);
        assertTrue(byAssistant.get(1).contains("crm_user_assistant"), byAssistant.toString());
    }

    @Test
    void enteringACustomerReadsTheCallerWithTheirSubsidiaryInOneStatement() throws Exception {
        services.subsidiary("RD");
        CallerContext rep = services.user("rep-rd", "RD");
        CustomerDTO warm = new CustomerDTO();
        warm.name = "Warm-up";
        services.customers().create(rep, warm);
        CustomerDTO c = new CustomerDTO();
        c.name = "Entry cost";

        db.statements().clear();
        services.customers().create(rep, c);
        List<String> statements = db.statements().statements();

        List<String> users = statements.stream().filter(s -> s.contains("FROM crm_user")).toList();
        assertEquals(1, users.size(), "the caller is read once: " + statements);
        assertTrue(users.get(0).contains("crm_subsidiary"), "with their home subsidiary joined: " + users);
        assertTrue(statements.stream().noneMatch(s -> s.contains("FROM crm_subsidiary WHERE (ID = ?)")),
                "no separate read of the home subsidiary: " + statements);
    }
}
