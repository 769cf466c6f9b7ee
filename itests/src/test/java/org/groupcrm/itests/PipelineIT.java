package org.groupcrm.itests;

import static org.groupcrm.itests.RestClient.obj;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.groupcrm.itests.RestClient.Response;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The pipeline plugin from the distribution, end to end over REST: installed at runtime, ON for one subsidiary, an
 * opportunity taken through the stages and won with its order, funnel and commission, stage adaptation and seeding,
 * isolation, and data kept across uninstall and reinstall.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PipelineIT extends CrmTestSupport {
    private static final String FEATURE = "crm-plugin-pipeline";
    private static final String PASSWORD = "rep-password-1";

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return crmDistribution();
    }

    @Test
    public void opportunitiesThroughTheFunnelToCommission() throws Exception {
        RestClient anonymous = rest();
        assertTrue(await(120, TimeUnit.SECONDS, () -> anonymous.get("/health").status() == 200));
        RestClient admin = anonymous.as(ADMIN, adminPassword());
        assertTrue(await(30, TimeUnit.SECONDS, () -> admin.get("/subsidiaries").status() == 200));
        String s1 = subsidiary(admin);
        String s2 = subsidiary(admin);
        String rep1Login = user(admin, s1, "p1", "user");
        RestClient rep1 = anonymous.as(rep1Login, PASSWORD);
        String rep1bLogin = user(admin, s1, "p1b", "user");
        RestClient rep1b = anonymous.as(rep1bLogin, PASSWORD);
        String manager1Login = user(admin, s1, "m1", "subsidiary-admin");
        RestClient manager1 = anonymous.as(manager1Login, PASSWORD);
        RestClient rep2 = anonymous.as(user(admin, s2, "p2", "user"), PASSWORD);
        long customer1 = customer(rep1, "Pipeline customer one");
        long customer2 = customer(rep2, "Pipeline customer two");

        List<String> events = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> topics = new Hashtable<>();
        topics.put(EventConstants.EVENT_TOPIC, "org/groupcrm/pipeline/*");
        ServiceRegistration<EventHandler> listener = context.registerService(EventHandler.class,
                e -> events.add(e.getTopic().substring("org/groupcrm/pipeline/".length()) + "@" + e.getProperty("subsidiary")),
                topics);
        try {
            // the plugin ships with the distribution, not installed; install it at runtime
            assertEquals(404, rep1.get("/pipeline/stages").status());
            Response installed = admin.post("/admin/plugins/" + FEATURE, obj());
            assertEquals(installed.text(), 200, installed.status());
            assertTrue(await(60, TimeUnit.SECONDS, () -> isNotEnabled(rep1.get("/pipeline/stages"))));

            // ON for S1 only: S1's stages are seeded from the reference; S2 is not enabled
            assertEquals(200, admin.put("/subsidiaries/" + s1 + "/modules/pipeline", obj("state", "ON")).status());
            JsonNode stages = rep1.get("/pipeline/stages").json();
            assertEquals(stages.toString(), List.of("lead", "qualified", "proposal", "negotiation", "won", "lost"), codes(stages));
            assertTrue(isNotEnabled(rep2.get("/pipeline/stages")));
            assertTrue(isNotEnabled(rep2.post("/pipeline/opportunities", obj("customerId", customer2, "title", "x",
                    "amount", 1, "currency", "CNY"))));

            // bad input names the fields; other subsidiaries' customers are not found; server-kept fields are refused
            Response bad = rep1.post("/pipeline/opportunities", obj("customerId", customer1, "title", " ",
                    "amount", -5, "currency", "yuan", "probability", 101));
            assertEquals(bad.text(), 400, bad.status());
            assertEquals(List.of("amount", "currency", "probability", "title"), fields(bad));
            assertEquals(List.of("status"), fields(rep1.post("/pipeline/opportunities", obj("customerId", customer1,
                    "title", "x", "amount", 1, "currency", "CNY", "status", "WON"))));
            assertEquals(404, rep1.post("/pipeline/opportunities", obj("customerId", customer2, "title", "x",
                    "amount", 1, "currency", "CNY")).status());
            assertEquals(400, rep1.post("/pipeline/opportunities", obj("customerId", customer1, "title", "x",
                    "amount", 1, "currency", "CNY", "stage", "nowhere")).status());

            // an opportunity through the stages, won with its order
            Response created = rep1.post("/pipeline/opportunities", obj("customerId", customer1, "title", "Forklift fleet",
                    "amount", "120000.00", "currency", "CNY", "source", "trade fair", "nextStep", "site visit"));
            assertEquals(created.text(), 201, created.status());
            JsonNode opp = created.json();
            long id = opp.path("id").asLong();
            assertEquals("lead", opp.path("stage").asText());
            assertEquals(10, opp.path("probability").asInt());
            assertEquals(rep1Login, opp.path("owner").asText());
            for (String stage : List.of("qualified", "proposal", "negotiation")) {
                Response moved = rep1.post("/pipeline/opportunities/" + id + "/stage", obj("stage", stage));
                assertEquals(moved.text(), 200, moved.status());
                assertEquals(stage, moved.json().path("stage").asText());
            }
            assertEquals(409, rep1.post("/pipeline/opportunities/" + id + "/stage", obj("stage", "negotiation")).status());
            assertEquals(400, rep1.post("/pipeline/opportunities/" + id + "/stage", obj("stage", "won")).status());
            assertEquals(409, rep1.post("/pipeline/opportunities/" + id + "/stage",
                    obj("stage", "proposal", "version", 0)).status());
            // another rep does not see it; the manager does and comments
            assertEquals(404, rep1b.get("/pipeline/opportunities/" + id).status());
            assertEquals(404, rep2.in(s2).get("/pipeline/opportunities/" + id).status());
            assertEquals(201, manager1.post("/pipeline/opportunities/" + id + "/comments",
                    obj("text", "Bring the service contract to the next visit")).status());
            assertEquals(1, rep1.get("/pipeline/opportunities/" + id + "/comments").json().size());

            Response won = rep1.post("/pipeline/opportunities/" + id + "/win", obj("reason", "best service terms",
                    "order", obj("lines", List.of(
                            obj("productLine", "hardware", "description", "Forklift", "quantity", 4, "unitPrice", "25000.00"),
                            obj("productLine", "service", "description", "Service contract", "quantity", 1, "unitPrice", "20000.00")))));
            assertEquals(won.text(), 200, won.status());
            assertEquals("WON", won.json().path("status").asText());
            assertEquals(409, rep1.post("/pipeline/opportunities/" + id + "/lose", obj("reason", "too late")).status());
            JsonNode history = rep1.get("/pipeline/opportunities/" + id + "/history").json();
            assertEquals(5, history.size());
            assertEquals("negotiation", history.get(4).path("fromStage").asText());
            assertEquals("won", history.get(4).path("toStage").asText());
            JsonNode orders = rep1.get("/pipeline/orders").json();
            assertEquals(1, orders.path("total").asInt());
            JsonNode order = orders.path("items").get(0);
            assertEquals(0, order.path("total").decimalValue().compareTo(new java.math.BigDecimal("120000.00")));
            assertEquals(id, order.path("opportunityId").asLong());

            // a lost one, for the win rate
            long lost = rep1.post("/pipeline/opportunities", obj("customerId", customer1, "title", "Spare parts",
                    "amount", "8000", "currency", "CNY")).json().path("id").asLong();
            assertEquals(400, rep1.post("/pipeline/opportunities/" + lost + "/lose", obj()).status());
            assertEquals(200, rep1.post("/pipeline/opportunities/" + lost + "/lose", obj("reason", "price")).status());

            // funnel of the quarter: two created, one won, one lost
            LocalDate today = LocalDate.now();
            String period = "from=" + today.minusDays(30) + "&to=" + today.plusDays(1);
            Response funnel = manager1.get("/pipeline/funnel?" + period);
            assertEquals(funnel.text(), 200, funnel.status());
            assertEquals(2, funnel.json().path("created").asInt());
            assertEquals(1, funnel.json().path("won").asInt());
            assertEquals(0.5, funnel.json().path("winRate").asDouble(), 1e-9);
            assertEquals(400, manager1.get("/pipeline/funnel?from=yesterday&to=" + today).status());

            // the same for the rep's sales team, set through the core's users API; other reps are not in it
            Response team = admin.put("/users/" + rep1Login + "/team", obj("team", "east"));
            assertEquals(team.text(), 200, team.status());
            assertEquals("east", team.json().path("team").asText());
            Response teamFunnel = manager1.get("/pipeline/funnel?" + period + "&team=east");
            assertEquals(teamFunnel.text(), 200, teamFunnel.status());
            assertEquals("[\"" + rep1Login + "\"]", teamFunnel.json().path("scope").path("members").toString());
            assertEquals(2, teamFunnel.json().path("created").asInt());
            assertEquals(1, teamFunnel.json().path("won").asInt());
            assertEquals(200, rep1.get("/pipeline/funnel?" + period + "&team=east").status());
            assertEquals(403, rep1b.get("/pipeline/funnel?" + period + "&team=east").status());
            Response noTeam = manager1.get("/pipeline/funnel?" + period + "&team=west");
            assertEquals(noTeam.text(), 400, noTeam.status());
            assertEquals("team", noTeam.json().path("fields").path(0).path("field").asText());

            // commission: only the order entered in the CRM counts
            assertEquals(200, manager1.put("/pipeline/commission-rates", List.of(obj("productLine", null, "rate", 0.02),
                    obj("productLine", "service", "rate", 0.1))).status());
            Response commission = manager1.get("/pipeline/commission?" + period + "&rep=" + rep1Login);
            assertEquals(commission.text(), 200, commission.status());
            assertTrue(commission.text(), commission.text().contains("\"orderId\":" + order.path("id").asLong()));
            assertTrue(commission.text(), commission.text().contains("4000.00")); // 100000 × 2% + 20000 × 10%

            // S1 adapts its stages; S2 coming into force gets the reference, S1's stay
            Response adapted = manager1.put("/pipeline/stages", List.of(
                    obj("code", "lead", "name", "Lead", "probability", 5, "outcome", "OPEN"),
                    obj("code", "demo", "name", "Demonstration", "probability", 40, "outcome", "OPEN"),
                    obj("code", "won", "name", "Won", "probability", 100, "outcome", "WON"),
                    obj("code", "lost", "name", "Lost", "probability", 0, "outcome", "LOST")));
            assertEquals(adapted.text(), 200, adapted.status());
            assertEquals(403, rep1.put("/pipeline/stages", List.of()).status());
            JsonNode differences = rep1.get("/pipeline/stages/differences").json();
            assertTrue(differences.toString(), differences.toString().contains("\"code\":\"demo\",\"change\":\"ADDED\""));
            assertTrue(differences.toString(), differences.toString().contains("\"code\":\"negotiation\",\"change\":\"REMOVED\""));
            assertEquals(200, admin.put("/subsidiaries/" + s2 + "/modules/pipeline", obj("state", "ON")).status());
            assertEquals(List.of("lead", "qualified", "proposal", "negotiation", "won", "lost"),
                    codes(rep2.get("/pipeline/stages").json()));
            assertEquals(List.of("lead", "demo", "won", "lost"), codes(rep1.get("/pipeline/stages").json()));
            assertEquals(0, rep2.get("/pipeline/opportunities").json().path("total").asInt());
            // the adaptation is one audit entry of S1 with the stages before and after; the refused one left none
            JsonNode stageTrail = admin.in(s1).get("/audit?entity=pipeline.stages&id=" + s1).json();
            assertEquals(stageTrail.toString(), 1, stageTrail.path("total").asInt());
            assertEquals(manager1Login, stageTrail.path("items").get(0).path("actor").asText());
            assertTrue(stageTrail.toString(), stageTrail.toString().contains("Demonstration"));
            assertEquals(0, admin.in(s2).get("/audit?entity=pipeline.stages&id=" + s1).json().path("total").asInt());
            assertEquals(403, rep1.get("/audit?entity=pipeline.stages&id=" + s1).status());
            assertEquals(1, admin.in(s1).get("/audit?entity=pipeline.comment").json().path("total").asInt());

            // events, with the subsidiary, for the KPI module
            assertTrue(events.toString(), await(10, TimeUnit.SECONDS, () -> events.contains("opportunity/WON@" + s1)
                    && events.contains("order/ENTERED@" + s1) && events.contains("opportunity/LOST@" + s1)));
            assertEquals(3, events.stream().filter(e -> e.equals("opportunity/STAGE_CHANGED@" + s1)).count());

            // the rep leaves: their customers move to a colleague with the open opportunity and the open reminder;
            // the won and lost ones stay with the rep who worked them
            long open = rep1.post("/pipeline/opportunities", obj("customerId", customer1, "title", "Second fleet",
                    "amount", "50000", "currency", "CNY")).json().path("id").asLong();
            assertEquals(201, rep1.post("/customers/" + customer1 + "/activities", obj("type", "CALL", "subject",
                    "Call back about the second fleet", "occurredAt", java.time.Instant.now().toString(),
                    "dueAt", java.time.Instant.now().plusSeconds(86_400).toString())).status());
            assertEquals(403, rep1.post("/customers/reassign", obj("from", rep1Login, "to", rep1bLogin)).status());
            assertEquals(List.of("to"), fields(manager1.post("/customers/reassign", obj("from", rep1Login, "to", rep1Login))));
            assertEquals(List.of("customerIds"), fields(manager1.post("/customers/reassign", obj("from", rep1Login,
                    "to", rep1bLogin, "customerIds", List.of(customer2)))));
            assertEquals(List.of("to"), fields(manager1.post("/customers/reassign", obj("from", rep1Login, "to", "nobody"))));
            assertEquals(rep1Login, rep1.get("/customers/" + customer1).json().path("owner").asText());
            Response reassigned = manager1.post("/customers/reassign", obj("from", rep1Login, "to", rep1bLogin,
                    "reason", "left the company"));
            assertEquals(reassigned.text(), 200, reassigned.status());
            assertEquals(1, reassigned.json().path("customers").asInt());
            assertEquals(1, reassigned.json().path("activities").asInt());
            assertEquals(1, reassigned.json().path("modules").path("pipeline").asInt());
            assertEquals(rep1bLogin, rep1b.get("/pipeline/opportunities/" + open).json().path("owner").asText());
            assertEquals(404, rep1.get("/pipeline/opportunities/" + open).status());
            assertEquals(rep1Login, rep1.get("/pipeline/opportunities/" + id).json().path("owner").asText());
            assertEquals(rep1bLogin, rep1b.get("/customers/" + customer1).json().path("owner").asText());
            JsonNode owners = manager1.get("/customers/" + customer1 + "/owners").json();
            assertEquals(1, owners.size());
            assertEquals("left the company", owners.get(0).path("reason").asText());
            // the audit shows the move of the customer, its open reminder and its open opportunity, once each
            for (String entity : List.of("customer&id=" + customer1, "pipeline.opportunity&id=" + open)) {
                JsonNode moves = admin.in(s1).get("/audit?entity=" + entity).json().path("items");
                List<JsonNode> reassignments = new java.util.ArrayList<>();
                moves.forEach(m -> {
                    if (m.path("action").asText().equals("REASSIGN")) {
                        reassignments.add(m);
                    }
                });
                assertEquals(entity + ": " + moves, 1, reassignments.size());
                assertEquals(manager1Login, reassignments.get(0).path("actor").asText());
                assertEquals(rep1Login, reassignments.get(0).path("changes").path("owner").path("before").asText());
                assertEquals(rep1bLogin, reassignments.get(0).path("changes").path("owner").path("after").asText());
            }
            assertEquals(1, admin.in(s1).get("/audit?entity=activity").json().path("items").findValues("action").stream()
                    .filter(a -> a.asText().equals("REASSIGN")).count());
            assertEquals(0, admin.in(s1).get("/audit?entity=pipeline.opportunity&id=" + id).json().path("items")
                    .findValues("action").stream().filter(a -> a.asText().equals("REASSIGN")).count());

            // uninstall and reinstall: every opportunity and order is still there
            Response removed = admin.delete("/admin/plugins/" + FEATURE);
            assertEquals(removed.text(), 200, removed.status());
            assertTrue(await(30, TimeUnit.SECONDS, () -> rep1.get("/pipeline/stages").status() == 404
                    && !isNotEnabled(rep1.get("/pipeline/stages"))));
            assertEquals(200, admin.post("/admin/plugins/" + FEATURE, obj()).status());
            assertTrue(await(60, TimeUnit.SECONDS, () -> rep1.get("/pipeline/opportunities").status() == 200));
            assertEquals(2, rep1.get("/pipeline/opportunities?status=WON").json().path("total").asInt()
                    + rep1.get("/pipeline/opportunities?status=LOST").json().path("total").asInt());
            assertEquals(1, rep1b.get("/pipeline/opportunities?status=OPEN").json().path("total").asInt());
            assertEquals(1, rep1.get("/pipeline/orders").json().path("total").asInt());
            assertEquals(List.of("lead", "demo", "won", "lost"), codes(rep1.get("/pipeline/stages").json()));
        } finally {
            listener.unregister();
        }
    }

    private static boolean isNotEnabled(Response r) {
        return r.status() == 404 && r.text().contains("module_not_enabled");
    }

    private static List<String> codes(JsonNode stages) {
        List<String> codes = new ArrayList<>();
        stages.forEach(s -> codes.add(s.path("code").asText()));
        return codes;
    }

    private static List<String> fields(Response r) {
        assertEquals(r.text(), 400, r.status());
        List<String> fields = new ArrayList<>();
        r.json().path("fields").forEach(f -> fields.add(f.path("field").asText()));
        return fields;
    }

    private static String subsidiary(RestClient admin) {
        String code = "P" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, admin.post("/subsidiaries", obj("code", code, "name", "Pipeline " + code)).status());
        return code;
    }

    private static String user(RestClient admin, String subsidiary, String prefix, String role) {
        String login = prefix + "-" + subsidiary.toLowerCase();
        Response r = admin.post("/users", obj("login", login, "displayName", login, "password", PASSWORD,
                "homeSubsidiary", subsidiary, "roles", List.of(role)));
        assertEquals(r.text(), 201, r.status());
        return login;
    }

    private static long customer(RestClient rep, String name) {
        Response r = rep.post("/customers", obj("name", name));
        assertEquals(r.text(), 201, r.status());
        return r.json().path("id").asLong();
    }

}
