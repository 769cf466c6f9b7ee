package org.groupcrm.itests;

import static org.groupcrm.itests.RestClient.obj;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.groupcrm.itests.RestClient.Response;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import com.fasterxml.jackson.databind.JsonNode;

/** Electronic approval over REST: queues by position, separation of duties, multi-step flows, events and audit. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ApprovalIT extends CrmTestSupport {
    private static final String PASSWORD = "reviewer-password-1";

    @Inject
    BundleContext context;

    private RestClient anonymous;
    private RestClient admin;

    @Configuration
    public Option[] config() {
        return crmDistribution();
    }

    @Before
    public void ready() {
        anonymous = rest();
        admin = anonymous.as(ADMIN, adminPassword());
        assertTrue("health did not report UP", await(120, TimeUnit.SECONDS,
                () -> anonymous.get("/health").status() == 200));
    }

    /**
     * A fresh subsidiary with a rep, a colleague (both {@code user}) and a manager ({@code subsidiary-admin}); the rep
     * owns a customer, which the requests are about.
     */
    private Team team() {
        String code = "A" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, admin.post("/subsidiaries", obj("code", code, "name", "Subsidiary " + code)).status());
        String prefix = code.toLowerCase();
        RestClient rep = user(code, "rep-" + prefix, "user");
        Response customer = rep.post("/customers", obj("name", "Customer of " + code));
        assertEquals(customer.text(), 201, customer.status());
        return new Team(code, rep, user(code, "colleague-" + prefix, "user"),
                user(code, "manager-" + prefix, "subsidiary-admin"), customer.json().path("id").asLong());
    }

    private RestClient user(String code, String login, String role) {
        Response r = admin.post("/users", obj("login", login, "displayName", login, "password", PASSWORD,
                "homeSubsidiary", code, "roles", List.of(role)));
        assertEquals(r.text(), 201, r.status());
        return anonymous.as(login, PASSWORD);
    }

    private record Team(String code, RestClient rep, RestClient colleague, RestClient manager, long customer) {
    }

    /** A request about the team's rep's customer. */
    private static Object request(Team t, String type, String... roles) {
        return about("customer", String.valueOf(t.customer()), type, roles);
    }

    private static Object about(String subjectType, String subjectId, String type, String... roles) {
        List<Object> steps = new ArrayList<>();
        for (String role : roles) {
            steps.add(obj("role", role));
        }
        return obj("type", type, "subjectType", subjectType, "subjectId", subjectId,
                "summary", "15% discount on 4 forklifts", "steps", steps);
    }

    private static JsonNode submitted(RestClient who, Object body) {
        Response r = who.post("/approvals", body);
        assertEquals(r.text(), 201, r.status());
        return r.json();
    }

    private static Response decide(RestClient who, long id, String action, String comment, long version) {
        return who.post("/approvals/" + id + "/" + action, obj("comment", comment, "version", version));
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.path("items").forEach(i -> ids.add(i.path("id").asLong()));
        return ids;
    }

    private static Set<String> fieldsOf(JsonNode error) {
        Set<String> fields = new TreeSet<>();
        error.path("fields").forEach(f -> fields.add(f.path("field").asText()));
        return fields;
    }

    @Test
    public void aSubmittedRequestWaitsInTheQueueOfItsPositionOnly() {
        Team t = team();
        Response r = t.rep().post("/approvals", request(t, "discount", "subsidiary-admin"));
        assertEquals(r.text(), 201, r.status());
        JsonNode a = r.json();
        long id = a.path("id").asLong();
        assertTrue(r.header("Location"), r.header("Location").endsWith("/approvals/" + id));
        assertEquals("PENDING", a.path("status").asText());
        assertEquals(0, a.path("currentStep").asInt());
        assertEquals("subsidiary-admin", a.path("currentRole").asText());
        assertEquals(t.code(), a.path("subsidiary").asText());
        assertEquals("PENDING", a.path("steps").get(0).path("status").asText());
        assertTrue(a.path("submittedBy").asText().startsWith("rep-"));

        JsonNode queue = t.manager().get("/approvals?mine=pending").json();
        assertEquals(List.of(id), ids(queue));
        assertEquals(1, queue.path("total").asInt());
        assertEquals(List.of(), ids(t.colleague().get("/approvals?mine=pending").json()));
        assertEquals(List.of(), ids(t.rep().get("/approvals?mine=pending").json()));
        assertEquals(List.of(id), ids(t.rep().get("/approvals?mine=submitted").json()));
        assertEquals(List.of(), ids(t.colleague().get("/approvals?mine=submitted").json()));
        assertEquals(List.of(), ids(t.manager().get("/approvals?mine=pending&type=credit-limit").json()));
        assertEquals(List.of(id), ids(t.manager().get("/approvals?mine=pending&type=discount&page=0&size=5").json()));
        assertEquals(List.of(), ids(t.rep().get("/approvals?mine=submitted&status=approved").json()));
        // the colleague holds no position of its steps: for them it does not exist
        Response hidden = t.colleague().get("/approvals/" + id);
        assertEquals(hidden.text(), 404, hidden.status());
        assertEquals("not_found", hidden.json().path("error").asText());
        assertEquals(id, t.manager().get("/approvals/" + id).json().path("id").asLong());
        assertEquals(id, t.rep().get("/approvals/" + id).json().path("id").asLong());
        // every request of the subsidiary: administrators only
        assertEquals(List.of(id), ids(t.manager().get("/approvals").json()));
        assertEquals(403, t.rep().get("/approvals").status());
    }

    @Test
    public void theSubmitterCannotApproveTheirOwnRequest() {
        Team t = team();
        JsonNode a = submitted(t.rep(), request(t, "discount", "user"));
        long id = a.path("id").asLong();
        Response own = decide(t.rep(), id, "approve", "looks good to me", a.path("version").asLong());
        assertEquals(own.text(), 403, own.status());
        assertEquals("separation_of_duties", own.json().path("error").asText());
        assertTrue(own.text(), own.json().path("message").asText().contains("someone else"));
        Response byAdmin = admin.in(t.code()).post("/approvals", request(t, "discount", "user"));
        JsonNode adminOwn = byAdmin.json();
        assertEquals(403, decide(admin.in(t.code()), adminOwn.path("id").asLong(), "approve", null,
                adminOwn.path("version").asLong()).status());

        Response approved = decide(t.colleague(), id, "approve", null, a.path("version").asLong());
        assertEquals(approved.text(), 200, approved.status());
        assertEquals("APPROVED", approved.json().path("status").asText());
        assertNotNull(approved.json().path("closedAt").textValue());
        assertTrue(approved.json().path("steps").get(0).path("decidedBy").asText().startsWith("colleague-"));
    }

    @Test
    public void twoStepsAreDecidedInOrderEachByItsPosition() {
        Team t = team();
        JsonNode a = submitted(t.rep(), request(t, "credit-limit", "user", "subsidiary-admin"));
        long id = a.path("id").asLong();
        assertEquals(403, decide(t.manager(), id, "approve", null, a.path("version").asLong()).status());
        assertEquals(List.of(), ids(t.manager().get("/approvals?mine=pending").json()));

        Response first = decide(t.colleague(), id, "approve", "customer pays on time", a.path("version").asLong());
        assertEquals(first.text(), 200, first.status());
        JsonNode afterFirst = first.json();
        assertEquals("PENDING", afterFirst.path("status").asText());
        assertEquals(1, afterFirst.path("currentStep").asInt());
        assertEquals("APPROVED", afterFirst.path("steps").get(0).path("status").asText());
        assertEquals("customer pays on time", afterFirst.path("steps").get(0).path("comment").asText());
        assertTrue(afterFirst.path("version").asLong() > a.path("version").asLong());
        assertEquals(List.of(), ids(t.colleague().get("/approvals?mine=pending").json()));
        assertEquals(List.of(id), ids(t.manager().get("/approvals?mine=pending").json()));
        assertEquals(403, decide(t.colleague(), id, "approve", null, afterFirst.path("version").asLong()).status());

        Response second = decide(t.manager(), id, "approve", null, afterFirst.path("version").asLong());
        assertEquals(second.text(), 200, second.status());
        assertEquals("APPROVED", second.json().path("status").asText());
        JsonNode current = second.json().path("currentStep");
        assertTrue(second.text(), current.isNull() || current.isMissingNode()); // null fields are left out of answers
        Response again = decide(t.manager(), id, "approve", null, second.json().path("version").asLong());
        assertEquals(again.text(), 409, again.status());
        assertEquals("approval_closed", again.json().path("error").asText());
        assertEquals(List.of(), ids(t.manager().get("/approvals?mine=pending").json()));
    }

    @Test
    public void aRejectionNeedsACommentAndEndsTheRequest() {
        Team t = team();
        JsonNode a = submitted(t.rep(), request(t, "discount", "user", "subsidiary-admin"));
        long id = a.path("id").asLong();
        Response silent = decide(t.colleague(), id, "reject", " ", a.path("version").asLong());
        assertEquals(silent.text(), 400, silent.status());
        assertEquals(Set.of("comment"), fieldsOf(silent.json()));
        Response rejected = decide(t.colleague(), id, "reject", "margin below 10%", a.path("version").asLong());
        assertEquals(rejected.text(), 200, rejected.status());
        JsonNode r = rejected.json();
        assertEquals("REJECTED", r.path("status").asText());
        assertEquals("margin below 10%", r.path("steps").get(0).path("comment").asText());
        assertEquals("PENDING", r.path("steps").get(1).path("status").asText());
        assertEquals(409, decide(t.manager(), id, "approve", null, r.path("version").asLong()).status());
        assertEquals(List.of(id), ids(t.rep().get("/approvals?mine=submitted&status=rejected").json()));
    }

    @Test
    public void theSubmitterWithdrawsWhilePendingOnly() {
        Team t = team();
        JsonNode a = submitted(t.rep(), request(t, "discount", "subsidiary-admin"));
        long id = a.path("id").asLong();
        long version = a.path("version").asLong();
        assertEquals(404, decide(t.colleague(), id, "withdraw", null, version).status()); // does not see it
        assertEquals(403, decide(t.manager(), id, "withdraw", null, version).status());
        Response withdrawn = decide(t.rep(), id, "withdraw", "customer changed their mind", version);
        assertEquals(withdrawn.text(), 200, withdrawn.status());
        assertEquals("WITHDRAWN", withdrawn.json().path("status").asText());
        assertEquals(List.of(), ids(t.manager().get("/approvals?mine=pending").json()));
        long now = withdrawn.json().path("version").asLong();
        assertEquals(409, decide(t.manager(), id, "approve", null, now).status());
        assertEquals(409, decide(t.rep(), id, "withdraw", null, now).status());
    }

    @Test
    public void aStaleVersionIs409AndChangesNothing() {
        Team t = team();
        JsonNode a = submitted(t.rep(), request(t, "discount", "user", "subsidiary-admin"));
        long id = a.path("id").asLong();
        long read = a.path("version").asLong();
        assertEquals(200, decide(t.colleague(), id, "approve", null, read).status());
        Response stale = decide(t.manager(), id, "approve", null, read);
        assertEquals(stale.text(), 409, stale.status());
        assertEquals("stale_version", stale.json().path("error").asText());
        JsonNode current = t.manager().get("/approvals/" + id).json();
        assertEquals("PENDING", current.path("status").asText());
        assertEquals(1, current.path("currentStep").asInt());
        assertEquals(409, decide(t.rep(), id, "withdraw", null, read).status());
        Response noVersion = t.manager().post("/approvals/" + id + "/approve", obj("comment", "ok"));
        assertEquals(noVersion.text(), 400, noVersion.status());
        assertEquals(Set.of("version"), fieldsOf(noVersion.json()));
    }

    @Test
    public void anotherSubsidiarysRequestIs404() {
        Team t = team();
        Team other = team();
        JsonNode a = submitted(t.rep(), request(t, "discount", "user"));
        long id = a.path("id").asLong();
        long version = a.path("version").asLong();
        assertEquals(404, other.manager().get("/approvals/" + id).status());
        assertEquals(404, other.colleague().get("/approvals/" + id).status());
        Response approve = decide(other.colleague(), id, "approve", null, version);
        assertEquals(approve.text(), 404, approve.status());
        assertEquals("not_found", approve.json().path("error").asText());
        assertEquals(404, decide(other.rep(), id, "withdraw", null, version).status());
        assertEquals(404, admin.in(other.code()).get("/approvals/" + id).status());
        assertEquals(404, decide(admin.in(other.code()), id, "approve", null, version).status());
        assertEquals(List.of(), ids(other.colleague().get("/approvals?mine=pending").json()));
        assertEquals(404, t.rep().get("/approvals/999999999").status());
        // the group administrator decides any step in the subsidiary it acts in
        Response byGroupAdmin = decide(admin.in(t.code()), id, "approve", null, version);
        assertEquals(byGroupAdmin.text(), 200, byGroupAdmin.status());
    }

    @Test
    public void withoutCredentialsEverythingIs401() {
        assertEquals(401, anonymous.get("/approvals?mine=pending").status());
        assertEquals(401, anonymous.get("/approvals/1").status());
        assertEquals(401, anonymous.post("/approvals", about("customer", "1", "discount", "user")).status());
        assertEquals(401, anonymous.post("/approvals/1/approve", obj("version", 1)).status());
        assertEquals(401, anonymous.post("/approvals/1/withdraw", obj("version", 1)).status());
        assertEquals(401, anonymous.as("nobody-" + UUID.randomUUID(), "wrong-password-x").get("/approvals").status());
    }

    @Test
    public void badInputIs400NamingTheField() {
        Team t = team();
        Response unknownRole = t.rep().post("/approvals", request(t, "discount", "user", "chief-of-everything"));
        assertEquals(unknownRole.text(), 400, unknownRole.status());
        assertEquals(Set.of("steps[1].role"), fieldsOf(unknownRole.json()));
        assertEquals(Set.of("steps[0].role"), fieldsOf(t.rep().post("/approvals", request(t, "discount", "boss")).json()));
        Response tooMany = t.rep().post("/approvals", request(t, "discount", "user", "user", "user", "user", "user", "user"));
        assertEquals(400, tooMany.status());
        assertEquals(Set.of("steps"), fieldsOf(tooMany.json()));
        assertEquals(Set.of("steps"), fieldsOf(t.rep().post("/approvals", request(t, "discount")).json()));
        Response blank = t.rep().post("/approvals", obj("type", "Discount!", "subjectType", "customer", "subjectId", "1",
                "summary", " ", "steps", List.of(obj("role", "user"))));
        assertEquals(400, blank.status());
        assertEquals(Set.of("summary", "type"), fieldsOf(blank.json()));
        Response tooLong = t.rep().post("/approvals", obj("type", "discount", "subjectType", "customer",
                "subjectId", "9".repeat(65), "summary", "s".repeat(2001), "steps", List.of(obj("role", "user"))));
        assertEquals(Set.of("subjectId", "summary"), fieldsOf(tooLong.json()));
        assertEquals(Set.of("mine"), fieldsOf(t.rep().get("/approvals?mine=everything").json()));
        assertEquals(Set.of("status"), fieldsOf(t.rep().get("/approvals?mine=submitted&status=done").json()));
        assertEquals(Set.of("size"), fieldsOf(t.rep().get("/approvals?mine=submitted&size=0").json()));
        assertEquals(0, t.rep().get("/approvals?mine=submitted").json().path("total").asInt());
    }

    @Test
    public void aCustomerSubjectMustBeOneTheSubmitterSeesOtherSubjectTypesAreNotChecked() {
        Team t = team();
        Team other = team();
        for (Object bad : List.of(request(t, "discount", "subsidiary-admin"),
                about("customer", String.valueOf(other.customer()), "discount", "subsidiary-admin"),
                about("customer", "999999999", "discount", "subsidiary-admin"),
                about("contact", "999999999", "discount", "subsidiary-admin"),
                about("activity", "first", "discount", "subsidiary-admin"))) {
            Response r = t.colleague().post("/approvals", bad);
            assertEquals(r.text(), 400, r.status());
            assertEquals(Set.of("subject"), fieldsOf(r.json()));
        }
        assertEquals(0, t.colleague().get("/approvals?mine=submitted").json().path("total").asInt());
        // the subsidiary's administrator sees every customer of it; a plugin's own subject is the plugin's business
        submitted(t.manager(), request(t, "discount", "user"));
        JsonNode own = submitted(t.colleague(), about("opportunity", "OPP-2026-17", "discount", "subsidiary-admin"));
        assertEquals("OPP-2026-17", own.path("subjectId").asText());
    }

    @Test
    public void decisionsPublishEventsAfterCommit() throws Exception {
        Team t = team();
        List<Event> events = new CopyOnWriteArrayList<>();
        Map<Event, String> committed = new ConcurrentHashMap<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, "org/groupcrm/core/approval/*");
        ServiceRegistration<EventHandler> reg = context.registerService(EventHandler.class, e -> {
            if (t.code().equals(e.getProperty("subsidiary"))) {
                committed.put(e, storedStatus((Long) e.getProperty("id")));
                events.add(e);
            }
        }, props);
        try {
            assertEquals(400, t.rep().post("/approvals", request(t, "discount", "nobody")).status());
            JsonNode a = submitted(t.rep(), request(t, "credit-limit", "user", "subsidiary-admin"));
            long id = a.path("id").asLong();
            assertEquals(403, decide(t.rep(), id, "approve", null, a.path("version").asLong()).status());
            JsonNode first = decide(t.colleague(), id, "approve", null, a.path("version").asLong()).json();
            assertEquals(409, decide(t.manager(), id, "approve", null, a.path("version").asLong()).status());
            decide(t.manager(), id, "approve", "granted", first.path("version").asLong());
            JsonNode other = submitted(t.rep(), request(t, "discount", "user"));
            decide(t.colleague(), other.path("id").asLong(), "reject", "no", other.path("version").asLong());
            JsonNode third = submitted(t.rep(), request(t, "discount", "user"));
            decide(t.rep(), third.path("id").asLong(), "withdraw", null, third.path("version").asLong());

            assertTrue(events.toString(), await(10, TimeUnit.SECONDS, () -> events.size() >= 9));
            // EventAdmin delivers the events of different requests (threads) in any order: per request, in the
            // order of its versions (a decision's STEP_DECIDED and APPROVED come from one request, in that order)
            Map<Long, List<Event>> byRequest = new LinkedHashMap<>();
            for (long r : List.of(id, other.path("id").asLong(), third.path("id").asLong())) {
                List<Event> of = new ArrayList<>(events.stream().filter(e -> e.getProperty("id").equals(r)).toList());
                of.sort(Comparator.comparing(e -> (Long) e.getProperty("version")));
                byRequest.put(r, of);
            }
            assertEquals(9, events.size());
            assertEquals(List.of(List.of("SUBMITTED", "STEP_DECIDED", "STEP_DECIDED", "APPROVED"),
                    List.of("SUBMITTED", "STEP_DECIDED", "REJECTED"), List.of("SUBMITTED", "WITHDRAWN")),
                    byRequest.values().stream().map(l -> l.stream()
                            .map(e -> e.getTopic().substring("org/groupcrm/core/approval/".length())).toList()).toList());
            Event submittedEvent = byRequest.get(id).get(0);
            assertEquals(id, submittedEvent.getProperty("id"));
            assertEquals("approval", submittedEvent.getProperty("entity"));
            assertEquals("credit-limit", submittedEvent.getProperty("type"));
            assertEquals("customer", submittedEvent.getProperty("subjectType"));
            assertEquals(String.valueOf(t.customer()), submittedEvent.getProperty("subjectId"));
            assertEquals("PENDING", submittedEvent.getProperty("status"));
            Event approved = byRequest.get(id).get(3);
            assertEquals("APPROVED", approved.getProperty("decision"));
            assertEquals(1, approved.getProperty("step"));
            assertEquals("subsidiary-admin", approved.getProperty("role"));
            assertTrue(String.valueOf(approved.getProperty("actor")).startsWith("manager-"));
            assertEquals("REJECTED", byRequest.get(other.path("id").asLong()).get(2).getProperty("decision"));
            // each event found its change committed: the stored status was already the one it announced
            for (Event e : events) {
                String announced = String.valueOf(e.getProperty("status"));
                assertTrue(e.getTopic() + ": stored " + committed.get(e) + ", announced " + announced,
                        committed.get(e).equals(announced) || "PENDING".equals(announced));
            }
            assertEquals("APPROVED", committed.get(approved));
        } finally {
            reg.unregister();
        }
    }

    @Test
    public void submissionsDecisionsAndWithdrawalsLeaveAuditEntries() {
        Team t = team();
        JsonNode a = submitted(t.rep(), request(t, "discount", "user", "subsidiary-admin"));
        long id = a.path("id").asLong();
        JsonNode first = decide(t.colleague(), id, "approve", "fine by me", a.path("version").asLong()).json();
        decide(t.manager(), id, "reject", "not this quarter", first.path("version").asLong());
        JsonNode w = submitted(t.rep(), request(t, "discount", "user"));
        decide(t.rep(), w.path("id").asLong(), "withdraw", null, w.path("version").asLong());

        JsonNode rows = admin.in(t.code()).get("/audit?entity=approval&id=" + id).json().path("items");
        List<String> actions = new ArrayList<>();
        rows.forEach(r -> actions.add(r.path("action").asText()));
        Collections.reverse(actions);
        assertEquals(List.of("SUBMIT", "APPROVE", "REJECT"), actions);
        JsonNode reject = rows.get(0);
        assertTrue(reject.path("actor").asText().startsWith("manager-"));
        assertEquals("not this quarter", reject.path("changes").path("steps[1].comment").path("after").asText());
        assertEquals("REJECTED", reject.path("changes").path("status").path("after").asText());
        assertEquals(t.code(), reject.path("subsidiary").asText());
        JsonNode withdrawal = admin.in(t.code()).get("/audit?entity=approval&id=" + w.path("id").asLong()).json()
                .path("items").get(0);
        assertEquals("WITHDRAW", withdrawal.path("action").asText());
        assertFalse(rows.toString().contains("password"));
    }

    @Test
    public void theOpenApiDocumentDescribesApprovals() {
        JsonNode doc = admin.get("/openapi.json").json();
        JsonNode paths = doc.path("paths");
        for (String p : List.of("/api/v1/approvals", "/api/v1/approvals/{id}", "/api/v1/approvals/{id}/approve",
                "/api/v1/approvals/{id}/reject", "/api/v1/approvals/{id}/withdraw")) {
            assertTrue("missing " + p, paths.has(p));
        }
        assertTrue(paths.path("/api/v1/approvals").has("post"));
        assertTrue(doc.path("components").path("schemas").has("ApprovalDTO"));
    }

    private String storedStatus(long id) {
        ServiceReference<DataSource> ref = context.getServiceReference(DataSource.class);
        try (Connection c = context.getService(ref).getConnection();
             PreparedStatement ps = c.prepareStatement("select status from crm_approval where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "MISSING";
            }
        } catch (java.sql.SQLException e) {
            return "ERROR";
        } finally {
            context.ungetService(ref);
        }
    }
}
