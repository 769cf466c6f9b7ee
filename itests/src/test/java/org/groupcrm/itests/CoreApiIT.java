package org.groupcrm.itests;

import static org.groupcrm.itests.RestClient.obj;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.UUID;
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

/** The core REST API end to end: the happy paths of issue acceptance and every 400/401/403/404/409 path. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CoreApiIT extends CrmTestSupport {

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

    /** A fresh subsidiary with a rep; returns {code, repLogin}. */
    private String[] subsidiaryWithRep() {
        String code = "S" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, admin.post("/subsidiaries", obj("code", code, "name", "Subsidiary " + code)).status());
        String rep = "rep-" + code.toLowerCase();
        Response r = admin.post("/users", obj("login", rep, "displayName", "Rep " + code, "password", "rep-password-1",
                "homeSubsidiary", code));
        assertEquals(r.text(), 201, r.status());
        return new String[] {code, rep};
    }

    private RestClient rep(String login) {
        return anonymous.as(login, "rep-password-1");
    }

    @Test
    public void aPhoneBelongsToOneRepPerSubsidiary() {
        String[] s = subsidiaryWithRep();
        Response first = rep(s[1]).post("/customers", obj("name", "Zhang Wei", "phone", "+86 138-0013 8000"));
        assertEquals(first.text(), 201, first.status());
        Response duplicate = admin.in(s[0]).post("/customers", obj("name", "Zhang W.", "phone", "86 13800138000"));
        assertEquals(duplicate.text(), 409, duplicate.status());
        assertEquals("duplicate_customer", duplicate.json().path("error").asText());
        assertTrue(duplicate.text(), duplicate.json().path("message").asText().contains(s[1]));
        assertEquals(1, rep(s[1]).get("/customers").json().path("total").asInt());

        JsonNode second = rep(s[1]).post("/customers", obj("name", "Li Na", "phone", "139 0000 0000")).json();
        Response update = rep(s[1]).put("/customers/" + second.path("id").asLong(), obj("name", "Li Na",
                "phone", "+8613800138000", "version", second.path("version").asLong()));
        assertEquals(update.text(), 409, update.status());
        assertEquals("139 0000 0000", rep(s[1]).get("/customers/" + second.path("id").asLong()).json().path("phone").asText());

        String[] other = subsidiaryWithRep();
        assertEquals(201, rep(other[1]).post("/customers", obj("name", "Zhang Wei", "phone", "+86 138-0013 8000")).status());
    }

    @Test
    public void everyWriteLeavesAnAuditRowThatOnlyAdministratorsRead() {
        String[] s = subsidiaryWithRep();
        JsonNode created = rep(s[1]).post("/customers", obj("name", "Audit Ltd", "phone", "021 5555 7777")).json();
        long id = created.path("id").asLong();
        Response updated = rep(s[1]).put("/customers/" + id, obj("name", "Audit Ltd", "phone", "021 5555 8888",
                "version", created.path("version").asLong()));
        assertEquals(updated.text(), 200, updated.status());
        Response trail = admin.in(s[0]).get("/audit?entity=customer&id=" + id);
        assertEquals(trail.text(), 200, trail.status());
        JsonNode rows = trail.json().path("items");
        assertEquals(2, rows.size());
        JsonNode update = rows.get(0);
        assertEquals("UPDATE", update.path("action").asText());
        assertEquals(s[1], update.path("actor").asText());
        assertEquals(s[0], update.path("subsidiary").asText());
        assertEquals("021 5555 7777", update.path("changes").path("phone").path("before").asText());
        assertEquals("021 5555 8888", update.path("changes").path("phone").path("after").asText());
        assertFalse(update.path("changes").has("name"));
        assertEquals("CREATE", rows.get(1).path("action").asText());
        assertEquals(403, rep(s[1]).get("/audit?entity=customer&id=" + id).status());
        assertEquals(405, admin.in(s[0]).delete("/audit").status());
        assertEquals(405, admin.in(s[0]).put("/audit", obj()).status());
        String[] other = subsidiaryWithRep();
        assertEquals(0, admin.in(other[0]).get("/audit?entity=customer&id=" + id).json().path("total").asInt());
    }

    @Test
    public void apiTokensActAsTheirUserUntilRevoked() {
        String[] s = subsidiaryWithRep();
        Response created = rep(s[1]).post("/tokens", obj("name", "ERP sync"));
        assertEquals(created.text(), 201, created.status());
        String token = created.json().path("token").asText();
        assertTrue(token, token.startsWith("crm_"));
        RestClient integration = anonymous.rawAuthorization("Bearer " + token);
        Response customer = integration.post("/customers", obj("name", "Via token"));
        assertEquals(customer.text(), 201, customer.status());
        assertEquals(s[1], customer.json().path("owner").asText());
        JsonNode listed = rep(s[1]).get("/tokens").json();
        assertEquals(1, listed.size());
        assertTrue(listed.get(0).path("token").isMissingNode() || listed.get(0).path("token").isNull());
        assertFalse(listed.toString(), listed.toString().contains(token.substring(18)));
        assertEquals(400, rep(s[1]).post("/tokens", obj("name", " ")).status());
        assertEquals(401, anonymous.rawAuthorization("Bearer " + token.substring(0, token.length() - 1) + "x")
                .get("/customers").status());
        String[] other = subsidiaryWithRep();
        assertEquals(404, rep(other[1]).delete("/tokens/" + listed.get(0).path("id").asLong()).status());
        assertEquals(200, rep(s[1]).delete("/tokens/" + listed.get(0).path("id").asLong()).status());
        Response revoked = integration.get("/customers");
        assertEquals(revoked.text(), 401, revoked.status());
        assertEquals("invalid or revoked API token", revoked.json().path("message").asText());
        // creation and revocation are audited, and the secret is in neither entry
        JsonNode trail = admin.in(s[0]).get("/audit?entity=token&id=" + listed.get(0).path("id").asLong()).json();
        List<String> actions = new ArrayList<>();
        trail.path("items").forEach(i -> actions.add(i.path("action").asText()));
        assertEquals(List.of("REVOKE", "CREATE"), actions);
        assertFalse(trail.toString(), trail.toString().contains(token.substring(18)));
    }

    @Test
    public void aDisabledUserCannotSignInAndTheirRecordsStay() {
        String[] s = subsidiaryWithRep();
        long id = rep(s[1]).post("/customers", obj("name", "Kept Ltd")).json().path("id").asLong();
        String token = rep(s[1]).post("/tokens", obj("name", "script")).json().path("token").asText();
        assertEquals(403, rep(s[1]).post("/users/" + s[1] + "/disable", obj()).status());
        assertEquals(400, admin.post("/users/" + ADMIN + "/disable", obj()).status());
        assertEquals(404, admin.post("/users/nobody-at-all/disable", obj()).status());
        Response disabled = admin.post("/users/" + s[1] + "/disable", obj());
        assertEquals(disabled.text(), 200, disabled.status());
        assertEquals(401, rep(s[1]).get("/customers").status());
        assertEquals(401, anonymous.rawAuthorization("Bearer " + token).get("/customers").status());
        assertEquals(s[1], admin.in(s[0]).get("/customers/" + id).json().path("owner").asText());
        assertEquals("DISABLE", admin.in(s[0]).get("/audit?entity=user&id=" + s[1]).json().path("items").get(0)
                .path("action").asText());
        assertEquals(200, admin.post("/users/" + s[1] + "/enable", obj()).status());
        assertEquals(200, rep(s[1]).get("/customers").status());
    }

    /** A user of the subsidiary with the given positions; returns the login. */
    private String userWith(String subsidiary, String prefix, String... roles) {
        String login = prefix + "-" + subsidiary.toLowerCase();
        Response r = admin.post("/users", obj("login", login, "displayName", prefix, "password", "rep-password-1",
                "homeSubsidiary", subsidiary, "roles", List.of(roles)));
        assertEquals(r.text(), 201, r.status());
        return login;
    }

    @Test
    public void repsSeeTheirOwnCustomersAndAssistantsEnterForTheirReps() {
        String[] s = subsidiaryWithRep();
        String repA = s[1];
        String repB = userWith(s[0], "repb", "user");
        String assistant = userWith(s[0], "assistant", "sales-assistant");
        String manager = userWith(s[0], "manager", "manager");
        JsonNode ofA = rep(repA).post("/customers", obj("name", "A's customer")).json();
        long a = ofA.path("id").asLong();
        long activity = rep(repA).post("/customers/" + a + "/activities", obj("type", "VISIT", "subject", "First visit"))
                .json().path("id").asLong();

        // another rep of the same subsidiary sees none of it, by id or in any list
        assertEquals(404, rep(repB).get("/customers/" + a).status());
        assertEquals(404, rep(repB).put("/customers/" + a, obj("name", "taken", "version", ofA.path("version").asLong())).status());
        assertEquals(404, rep(repB).get("/customers/" + a + "/contacts").status());
        assertEquals(404, rep(repB).post("/customers/" + a + "/contacts", obj("name", "Spy")).status());
        assertEquals(404, rep(repB).get("/customers/" + a + "/activities").status());
        assertEquals(404, rep(repB).get("/activities/" + activity).status());
        assertEquals(404, rep(repB).get("/customers/" + a + "/owners").status());
        assertEquals(0, rep(repB).get("/customers").json().path("total").asInt());
        assertEquals(0, rep(repB).get("/customers?q=A's").json().path("total").asInt());
        // and a rep enters only for themselves
        Response forOther = rep(repB).post("/customers", obj("name", "For A", "owner", repA));
        assertEquals(forOther.text(), 403, forOther.status());

        // an assistant assigned to A enters for A: owner A, entered by the assistant; not for B
        assertEquals(403, rep(repA).put("/users/" + assistant + "/reps", obj("reps", List.of(repA))).status());
        Response notAssistant = admin.put("/users/" + repB + "/reps", obj("reps", List.of(repA)));
        assertEquals(notAssistant.text(), 400, notAssistant.status());
        assertEquals("login", notAssistant.json().path("fields").path(0).path("field").asText());
        Response unknownRep = admin.put("/users/" + assistant + "/reps", obj("reps", List.of("nobody-at-all")));
        assertEquals(unknownRep.text(), 400, unknownRep.status());
        assertEquals("reps", unknownRep.json().path("fields").path(0).path("field").asText());
        Response assigned = admin.put("/users/" + assistant + "/reps", obj("reps", List.of(repA)));
        assertEquals(assigned.text(), 200, assigned.status());
        assertEquals("[\"" + repA + "\"]", assigned.json().path("reps").toString());
        Response entered = rep(assistant).post("/customers", obj("name", "Entered for A", "owner", repA));
        assertEquals(entered.text(), 201, entered.status());
        assertEquals(repA, entered.json().path("owner").asText());
        assertEquals(assistant, entered.json().path("enteredBy").asText());
        Response notForB = rep(assistant).post("/customers", obj("name", "Entered for B", "owner", repB));
        assertEquals(notForB.text(), 403, notForB.status());
        assertEquals(2, rep(assistant).get("/customers").json().path("total").asInt());
        assertEquals(200, rep(assistant).get("/activities/" + activity).status());
        assertEquals(2, rep(repA).get("/customers").json().path("total").asInt());
        assertEquals(200, rep(assistant).get("/activities?owner=" + repA).status());
        assertEquals(403, rep(assistant).get("/activities?owner=" + repB).status());
        assertEquals(403, rep(repB).get("/activities?owner=" + repA).status());

        // a manager sees the whole subsidiary and enters for anyone; but administers nothing
        Response managed = rep(manager).post("/customers", obj("name", "For B", "owner", repB));
        assertEquals(managed.text(), 201, managed.status());
        assertEquals(3, rep(manager).get("/customers").json().path("total").asInt());
        assertEquals(200, rep(manager).get("/customers/" + a).status());
        assertEquals(403, rep(manager).post("/users", obj("login", "x-" + s[0].toLowerCase(), "displayName", "X",
                "password", "rep-password-1", "homeSubsidiary", s[0])).status());
        assertEquals(1, rep(repB).get("/customers").json().path("total").asInt());
    }

    @Test
    public void aSubsidiaryOnTeamVisibilityLetsRepsReadTheirTeamsCustomers() {
        String[] s = subsidiaryWithRep();
        String[] other = subsidiaryWithRep();
        String repA = s[1];
        String mate = userWith(s[0], "mate", "user");
        String west = userWith(s[0], "west", "user");
        String subAdmin = userWith(s[0], "admin", "subsidiary-admin");
        String manager = userWith(s[0], "manager", "manager");
        String otherAdmin = userWith(other[0], "admin", "subsidiary-admin");
        for (String[] member : new String[][] {{repA, "east"}, {mate, "east"}, {west, "west"}, {other[1], "east"}}) {
            assertEquals(200, admin.put("/users/" + member[0] + "/team", obj("team", member[1])).status());
        }
        JsonNode ofMate = rep(mate).post("/customers", obj("name", "Mate's customer")).json();
        long customer = ofMate.path("id").asLong();
        long activity = rep(mate).post("/customers/" + customer + "/activities", obj("type", "CALL", "subject", "Call"))
                .json().path("id").asLong();
        String settings = "/subsidiaries/" + s[0] + "/settings";
        assertEquals("OWN", rep(subAdmin).get(settings).json().path("recordVisibility").asText());
        assertEquals(404, rep(repA).get("/customers/" + customer).status());

        // only the subsidiary's own administrators and group administrators change it; a refusal writes nothing
        for (String refused : List.of(repA, manager, otherAdmin)) {
            Response r = rep(refused).put(settings, obj("recordVisibility", "TEAM"));
            assertEquals(r.text(), 403, r.status());
        }
        assertEquals(403, rep(repA).get(settings).status());
        Response bad = rep(subAdmin).put(settings, obj("recordVisibility", "EVERYONE"));
        assertEquals(bad.text(), 400, bad.status());
        assertEquals("recordVisibility", bad.json().path("fields").path(0).path("field").asText());
        assertEquals(400, rep(subAdmin).put(settings, obj()).status());
        // (the subsidiary's creation is its only row so far)
        assertEquals(1, admin.in(s[0]).get("/audit?entity=subsidiary&id=" + s[0]).json().path("items").size());
        assertEquals("OWN", admin.get(settings).json().path("recordVisibility").asText());

        Response team = rep(subAdmin).put(settings, obj("recordVisibility", "TEAM"));
        assertEquals(team.text(), 200, team.status());
        assertEquals("TEAM", team.json().path("recordVisibility").asText());
        JsonNode trail = admin.in(s[0]).get("/audit?entity=subsidiary&id=" + s[0]).json().path("items").get(0);
        assertEquals("UPDATE", trail.path("action").asText());
        assertEquals("TEAM", trail.path("changes").path("recordVisibility").path("after").asText());

        // in force on the next request: the teammate reads, the others still do not
        assertEquals(200, rep(repA).get("/customers/" + customer).status());
        assertEquals(200, rep(repA).get("/customers/" + customer + "/contacts").status());
        assertEquals(200, rep(repA).get("/activities/" + activity).status());
        assertEquals(1, rep(repA).get("/customers").json().path("total").asInt());
        assertEquals(404, rep(west).get("/customers/" + customer).status());
        assertEquals(0, rep(other[1]).get("/customers").json().path("total").asInt());
        // reading is not changing
        Response change = rep(repA).put("/customers/" + customer, obj("name", "Mine now", "version",
                ofMate.path("version").asLong()));
        assertEquals(change.text(), 403, change.status());
        assertEquals("Mate's customer", rep(mate).get("/customers/" + customer).json().path("name").asText());

        assertEquals(200, admin.put(settings, obj("recordVisibility", "OWN")).status());
        assertEquals(404, rep(repA).get("/customers/" + customer).status());
    }

    @Test
    public void serverKeptFieldsAreIgnoredOnWrites() {
        String[] s = subsidiaryWithRep();
        String[] other = subsidiaryWithRep();
        Response created = rep(s[1]).post("/customers", obj("name", "Mass Ltd", "id", 999_999, "subsidiary", other[0],
                "enteredBy", ADMIN, "createdAt", "2000-01-01T00:00:00Z", "updatedAt", "2000-01-01T00:00:00Z",
                "version", 42, "archived", true));
        assertEquals(created.text(), 201, created.status());
        JsonNode c = created.json();
        assertNotEquals(999_999, c.path("id").asLong());
        assertEquals(s[0], c.path("subsidiary").asText());
        assertEquals(s[1], c.path("enteredBy").asText());
        assertFalse(c.path("archived").asBoolean());
        assertTrue(c.path("createdAt").asText(), c.path("createdAt").asText().startsWith(String.valueOf(Year.now().getValue())));
        assertEquals(0, rep(other[1]).get("/customers").json().path("total").asInt());
        // the owner changes only through reassignment, never through an update
        Response updated = rep(s[1]).put("/customers/" + c.path("id").asLong(), obj("name", "Mass Ltd",
                "owner", other[1], "enteredBy", ADMIN, "subsidiary", other[0], "version", c.path("version").asLong()));
        assertEquals(updated.text(), 200, updated.status());
        assertEquals(s[1], updated.json().path("owner").asText());
        assertEquals(s[1], updated.json().path("enteredBy").asText());
        assertEquals(s[0], updated.json().path("subsidiary").asText());
    }

    @Test
    public void administratorsPutUsersInSalesTeams() {
        String[] s = subsidiaryWithRep();
        assertEquals(403, rep(s[1]).put("/users/" + s[1] + "/team", obj("team", "east")).status());
        assertEquals(404, admin.put("/users/nobody-at-all/team", obj("team", "east")).status());
        Response bad = admin.put("/users/" + s[1] + "/team", obj("team", "East Side"));
        assertEquals(bad.text(), 400, bad.status());
        assertEquals("team", bad.json().path("fields").path(0).path("field").asText());
        assertEquals(400, admin.put("/users/" + ADMIN + "/team", obj("team", "east")).status());
        assertEquals(400, admin.put("/users/" + s[1] + "/team", obj("team", "east", "colour", "red")).status());
        Response set = admin.put("/users/" + s[1] + "/team", obj("team", "east"));
        assertEquals(set.text(), 200, set.status());
        assertEquals("east", set.json().path("team").asText());
        JsonNode audit = admin.in(s[0]).get("/audit?entity=user&id=" + s[1]).json().path("items").get(0);
        assertEquals("UPDATE", audit.path("action").asText());
        assertTrue(audit.toString(), audit.toString().contains("east"));
        Response cleared = admin.put("/users/" + s[1] + "/team", obj("team", null));
        assertEquals(cleared.text(), 200, cleared.status());
        assertTrue(cleared.text(), cleared.json().path("team").isNull() || cleared.json().path("team").isMissingNode());
        String login = "teamed-" + s[0].toLowerCase();
        Response created = admin.post("/users", obj("login", login, "displayName", "Teamed", "password", "rep-password-1",
                "homeSubsidiary", s[0], "team", "west"));
        assertEquals(created.text(), 201, created.status());
        assertEquals("west", created.json().path("team").asText());
    }

    @Test
    public void repeatedWrongPasswordsLockTheLoginOutForAWhile() {
        String[] s = subsidiaryWithRep();
        for (int i = 0; i < 5; i++) {
            assertEquals(401, anonymous.as(s[1], "not-the-password").get("/customers").status());
        }
        Response locked = rep(s[1]).get("/customers");
        assertEquals(locked.text(), 429, locked.status());
        assertEquals("login_locked", locked.json().path("error").asText());
        assertTrue(Integer.parseInt(locked.header("Retry-After")) > 0);
        String[] other = subsidiaryWithRep();
        assertEquals(200, rep(other[1]).get("/customers").status());
    }

    @Test
    public void bodiesOverOneMegabyteAre413AndWriteNothing() {
        String[] s = subsidiaryWithRep();
        String big = "{\"name\":\"" + "x".repeat(1_100_000) + "\"}";
        Response r = rep(s[1]).post("/customers", big);
        assertEquals(r.text(), 413, r.status());
        assertEquals("payload_too_large", r.json().path("error").asText());
        assertEquals(0, rep(s[1]).get("/customers").json().path("total").asInt());
    }

    @Test
    public void healthIsPublicAndNamesPostgres() {
        Response r = anonymous.get("/health");
        assertEquals(200, r.status());
        assertEquals("UP", r.json().path("status").asText());
        assertTrue(r.text(), r.json().path("database").asText().startsWith("PostgreSQL "));
        assertEquals("UP", r.json().path("core").asText());
    }

    @Test
    public void everythingButHealthNeedsCredentials() {
        for (String path : List.of("/customers", "/customers/1", "/subsidiaries", "/users", "/activities",
                "/openapi.json", "/no-such-endpoint")) {
            Response r = anonymous.get(path);
            assertEquals(path, 401, r.status());
            assertEquals("unauthorized", r.json().path("error").asText());
            assertTrue(r.header("WWW-Authenticate").startsWith("Basic"));
        }
        assertEquals(401, anonymous.as(ADMIN, "wrong-password").get("/customers").status());
        assertEquals(401, anonymous.as("nobody", "whatever-password").get("/customers").status());
        assertEquals(401, anonymous.rawAuthorization("Basic !!!not-base64").get("/customers").status());
        assertEquals(401, anonymous.rawAuthorization("Bearer abc").get("/customers").status());
        assertEquals(401, anonymous.as("ad\u0000min", adminPassword()).get("/customers").status());
        assertEquals(401, anonymous.post("/customers", obj("name", "X")).status());
    }

    @Test
    public void acceptanceFlowFromSubsidiaryToDueReminder() {
        String[] s = subsidiaryWithRep();
        RestClient asAdmin = admin.in(s[0]);
        int yearBefore = Year.now(ZoneOffset.UTC).getValue();
        Response created = asAdmin.post("/customers", obj("name", "Zhang Wei", "phone", "+86 21 5555 0101",
                "occupation", "engineer", "age", 41, "owner", s[1]));
        assertEquals(created.text(), 201, created.status());
        JsonNode customer = created.json();
        assertEquals(s[1], customer.path("owner").asText());
        assertEquals(ADMIN, customer.path("enteredBy").asText());
        assertEquals(s[0], customer.path("subsidiary").asText());
        int yearAfter = Year.now(ZoneOffset.UTC).getValue();
        int birthYear = customer.path("birthYear").asInt();
        assertTrue(customer.toString(), birthYear == yearBefore - 41 || birthYear == yearAfter - 41);
        assertTrue(created.header("Location").endsWith("/customers/" + customer.path("id").asLong()));

        Instant due = Instant.now().plus(2, ChronoUnit.DAYS);
        Response activity = rep(s[1]).post("/customers/" + customer.path("id").asLong() + "/activities",
                obj("type", "VISIT", "subject", "First visit", "occurredAt", Instant.now().minus(1, ChronoUnit.HOURS).toString(),
                        "dueAt", due.toString()));
        assertEquals(activity.text(), 201, activity.status());
        assertNotNull(activity.json().path("recordedAt").asText(null));

        JsonNode upcoming = rep(s[1]).get("/activities?owner=me&due=upcoming").json();
        assertEquals(1, upcoming.path("total").asLong());
        assertEquals(activity.json().path("id").asLong(), upcoming.path("items").get(0).path("id").asLong());
        assertEquals(0, rep(s[1]).get("/activities?owner=me&due=overdue").json().path("total").asLong());
    }

    @Test
    public void invalidCustomerIs400NamingEachFieldAndWritesNothing() {
        String[] s = subsidiaryWithRep();
        RestClient r = rep(s[1]);
        Response bad = r.post("/customers", obj("name", " ", "email", "not-an-email", "birthYear", 1800));
        assertEquals(bad.text(), 400, bad.status());
        assertEquals("validation_failed", bad.json().path("error").asText());
        Set<String> fields = fieldsOf(bad.json());
        assertEquals(Set.of("name", "email", "birthYear"), fields);

        Response unknown = r.post("/customers", obj("name", "A", "nmae", "typo"));
        assertEquals(400, unknown.status());
        assertEquals(Set.of("nmae"), fieldsOf(unknown.json()));

        Response wrongType = r.post("/customers", obj("name", "A", "birthYear", "nineteen-eighty"));
        assertEquals(400, wrongType.status());
        assertEquals(Set.of("birthYear"), fieldsOf(wrongType.json()));

        Response malformed = r.post("/customers", "{\"name\": ");
        assertEquals(400, malformed.status());
        assertEquals(Set.of("body"), fieldsOf(malformed.json()));

        Response empty = r.post("/customers", "");
        assertEquals(400, empty.status());

        assertEquals(0, r.get("/customers").json().path("total").asLong());
        assertFalse(bad.text().contains("Exception"));
    }

    @Test
    public void staleUpdateIs409AndKeepsTheFirstWrite() {
        String[] s = subsidiaryWithRep();
        RestClient r = rep(s[1]);
        JsonNode c = r.post("/customers", obj("name", "Original")).json();
        long id = c.path("id").asLong();
        long version = c.path("version").asLong();
        Response first = r.put("/customers/" + id, obj("name", "First edit", "version", version));
        assertEquals(first.text(), 200, first.status());
        assertNotEquals(version, first.json().path("version").asLong());
        Response stale = r.put("/customers/" + id, obj("name", "Second edit", "version", version));
        assertEquals(409, stale.status());
        assertEquals("stale_version", stale.json().path("error").asText());
        assertEquals("First edit", r.get("/customers/" + id).json().path("name").asText());
        Response noVersion = r.put("/customers/" + id, obj("name", "No version"));
        assertEquals(400, noVersion.status());
        assertEquals(Set.of("version"), fieldsOf(noVersion.json()));
    }

    @Test
    public void unknownAndForeignIdsAre404AndForeignRowsNeverListed() {
        String[] s1 = subsidiaryWithRep();
        String[] s2 = subsidiaryWithRep();
        long foreign = rep(s2[1]).post("/customers", obj("name", "Foreign Ltd", "phone", "555123")).json().path("id").asLong();
        long foreignActivity = rep(s2[1]).post("/customers/" + foreign + "/activities",
                obj("type", "CALL", "subject", "call")).json().path("id").asLong();
        RestClient r1 = rep(s1[1]);
        assertEquals(404, r1.get("/customers/999999999").status());
        assertEquals("not_found", r1.get("/customers/999999999").json().path("error").asText());
        assertEquals(404, r1.get("/customers/" + foreign).status());
        assertEquals(404, r1.put("/customers/" + foreign, obj("name", "Hijack", "version", 1)).status());
        assertEquals(404, r1.delete("/customers/" + foreign).status());
        assertEquals(404, r1.get("/customers/" + foreign + "/contacts").status());
        assertEquals(404, r1.post("/customers/" + foreign + "/contacts", obj("name", "Spy")).status());
        assertEquals(404, r1.get("/customers/" + foreign + "/activities").status());
        assertEquals(404, r1.post("/customers/" + foreign + "/activities", obj("type", "CALL", "subject", "x")).status());
        assertEquals(404, r1.get("/activities/" + foreignActivity).status());
        assertEquals(404, r1.post("/activities/" + foreignActivity + "/complete", null).status());
        assertEquals(404, r1.put("/activities/" + foreignActivity, obj("type", "CALL", "subject", "x", "version", 1)).status());
        assertEquals(404, r1.delete("/activities/" + foreignActivity).status());
        long foreignContact = rep(s2[1]).post("/customers/" + foreign + "/contacts", obj("name", "Their contact"))
                .json().path("id").asLong();
        assertEquals(404, r1.put("/customers/" + foreign + "/contacts/" + foreignContact, obj("name", "x", "version", 1)).status());
        assertEquals(404, r1.delete("/customers/" + foreign + "/contacts/" + foreignContact).status());
        assertEquals("Their contact", rep(s2[1]).get("/customers/" + foreign + "/contacts").json().get(0).path("name").asText());
        assertEquals(0, r1.get("/customers?q=Foreign").json().path("total").asLong());
        assertEquals(0, r1.get("/customers?q=555").json().path("total").asLong());
        assertEquals("Foreign Ltd", rep(s2[1]).get("/customers/" + foreign).json().path("name").asText());
        assertEquals(404, r1.get("/no-such-endpoint").status());
        // an id that is not a number is no customer: 404 in the error shape, on every path below a customer; and the
        // collection's own paths (import, reassign) are not taken for ids
        for (String path : List.of("/customers/abc", "/customers/abc/owners", "/customers/abc/contacts",
                "/customers/abc/activities", "/customers/99999999999999999999")) {
            Response notOne = r1.get(path);
            assertEquals(path + ": " + notOne.text(), 404, notOne.status());
            assertEquals(path, "not_found", notOne.json().path("error").asText());
        }
        Response noContact = r1.put("/customers/" + foreign + "/contacts/abc", obj("name", "x", "version", 1));
        assertEquals(noContact.text(), 404, noContact.status());
        assertEquals("not_found", noContact.json().path("error").asText());
        assertEquals(405, r1.get("/customers/import").status());
        assertEquals(405, r1.get("/customers/reassign").status());
    }

    @Test
    public void subsidiaryHeaderAndAdministrationAreEnforced() {
        String[] s1 = subsidiaryWithRep();
        String[] s2 = subsidiaryWithRep();
        Response other = rep(s1[1]).in(s2[0]).get("/customers");
        assertEquals(403, other.status());
        assertEquals("subsidiary_not_allowed", other.json().path("error").asText());
        assertEquals(404, admin.in("NO-SUCH-SUB").get("/customers").status());
        Response noSubsidiary = admin.get("/customers");
        assertEquals(400, noSubsidiary.status());
        assertEquals("subsidiary_required", noSubsidiary.json().path("error").asText());

        assertEquals(403, rep(s1[1]).post("/subsidiaries", obj("code", "X" + s1[0], "name", "Nope")).status());
        assertEquals(403, rep(s1[1]).post("/users", obj("login", "x-" + s1[1], "displayName", "X",
                "password", "long-enough-1", "homeSubsidiary", s1[0])).status());
        assertEquals(403, rep(s1[1]).get("/users").status());
        assertEquals(403, rep(s1[1]).get("/subsidiaries").status());
        assertEquals(403, rep(s1[1]).get("/subsidiaries/" + s1[0]).status());
        assertEquals(s1[0], admin.get("/subsidiaries/" + s1[0]).json().path("code").asText());
        assertEquals(404, admin.get("/subsidiaries/NO-SUCH-" + s1[0]).status());
        Response nullRole = admin.post("/users", obj("login", "nr-" + s1[1], "displayName", "X",
                "password", "long-enough-1", "homeSubsidiary", s1[0], "roles", java.util.Arrays.asList((String) null)));
        assertEquals(nullRole.text(), 400, nullRole.status());
        assertEquals(Set.of("roles"), fieldsOf(nullRole.json()));

        Response duplicateSub = admin.post("/subsidiaries", obj("code", s1[0], "name", "Again"));
        assertEquals(409, duplicateSub.status());
        Response duplicateLogin = admin.post("/users", obj("login", s1[1], "displayName", "Again",
                "password", "long-enough-1", "homeSubsidiary", s1[0]));
        assertEquals(409, duplicateLogin.status());
        Response unknownSub = admin.post("/users", obj("login", "u-" + UUID.randomUUID().toString().substring(0, 8),
                "displayName", "U", "password", "long-enough-1", "homeSubsidiary", "NOPE-" + s1[0]));
        assertEquals(400, unknownSub.status());
        assertEquals(Set.of("homeSubsidiary"), fieldsOf(unknownSub.json()));
        Response shortPassword = admin.post("/users", obj("login", "short-" + s1[1], "displayName", "U",
                "password", "short", "homeSubsidiary", s1[0]));
        assertEquals(Set.of("password"), fieldsOf(shortPassword.json()));

        // a user allowed in two subsidiaries chooses with the header
        String both = "both-" + s1[0].toLowerCase();
        assertEquals(201, admin.post("/users", obj("login", both, "displayName", "Both", "password", "rep-password-1",
                "homeSubsidiary", s1[0], "subsidiaries", List.of(s2[0]))).status());
        long inS2 = rep(both).in(s2[0]).post("/customers", obj("name", "Made in S2")).json().path("id").asLong();
        assertEquals(s2[0], admin.in(s2[0]).get("/customers/" + inS2).json().path("subsidiary").asText());
        assertEquals(s2[0], rep(both).in(s2[0]).get("/customers/" + inS2).json().path("subsidiary").asText());
        assertEquals(404, rep(both).get("/customers/" + inS2).status());
    }

    @Test
    public void usersNeverExposePasswordsAndStoreOnlyHashes() throws Exception {
        String[] s = subsidiaryWithRep();
        Response list = admin.get("/users");
        assertEquals(200, list.status());
        assertFalse(list.text().contains("password"));
        assertFalse(list.text().contains("rep-password-1"));
        ServiceReference<DataSource> ref = context.getServiceReferences(DataSource.class, "(osgi.jndi.service.name=crm)")
                .iterator().next();
        try (Connection c = context.getService(ref).getConnection();
             PreparedStatement ps = c.prepareStatement("select password_hash from crm_user where login = ?")) {
            ps.setString(1, s[1]);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertTrue(rs.getString(1).startsWith("pbkdf2-sha256$"));
                assertFalse(rs.getString(1).contains("rep-password-1"));
            }
        } finally {
            context.ungetService(ref);
        }
    }

    @Test
    public void searchPagesCapsAndFilters() {
        String[] s = subsidiaryWithRep();
        RestClient r = rep(s[1]);
        for (int i = 0; i < 5; i++) {
            assertEquals(201, r.post("/customers", obj("name", "Acme " + i, "phone", "1300" + i)).status());
        }
        assertEquals(201, admin.in(s[0]).post("/customers", obj("name", "Admin's own")).status());
        JsonNode page = r.get("/customers?q=acme&page=1&size=2").json();
        assertEquals(5, page.path("total").asLong());
        assertEquals(2, page.path("items").size());
        assertEquals("Acme 2", page.path("items").get(0).path("name").asText());
        assertEquals(200, r.get("/customers?size=5000").json().path("size").asInt());
        assertEquals(1, r.get("/customers?q=13003").json().path("total").asLong());
        assertEquals(5, r.get("/customers?owner=me").json().path("total").asLong());
        // the rep sees their own five; the administrator's own customer is the administrator's
        assertEquals(5, r.get("/customers").json().path("total").asLong());
        assertEquals(6, admin.in(s[0]).get("/customers").json().path("total").asLong());
        assertEquals(400, r.get("/customers?page=-1").status());
        assertEquals(400, r.get("/customers?size=0").status());
        Response badSize = r.get("/customers?size=abc");
        assertEquals(badSize.text(), 400, badSize.status());
        assertEquals(Set.of("size"), fieldsOf(badSize.json()));
        Response nul = r.get("/customers?q=a%00b");
        assertEquals(nul.text(), 400, nul.status());
        assertEquals(Set.of("q"), fieldsOf(nul.json()));
        assertEquals(0, r.get("/customers?q=%25").json().path("total").asLong());
    }

    @Test
    public void archiveHidesFromListsButKeepsTheRecord() {
        String[] s = subsidiaryWithRep();
        RestClient r = rep(s[1]);
        long id = r.post("/customers", obj("name", "Short-lived")).json().path("id").asLong();
        Response archived = r.delete("/customers/" + id);
        assertEquals(200, archived.status());
        assertTrue(archived.json().path("archived").asBoolean());
        assertEquals(0, r.get("/customers").json().path("total").asLong());
        assertEquals(1, r.get("/customers?archived=true").json().path("total").asLong());
        assertEquals(200, r.get("/customers/" + id).status());
        assertEquals(200, r.delete("/customers/" + id).status());
    }

    @Test
    public void contactsLiveUnderTheirCustomer() {
        String[] s = subsidiaryWithRep();
        RestClient r = rep(s[1]);
        long customer = r.post("/customers", obj("name", "Contact Corp")).json().path("id").asLong();
        Response created = r.post("/customers/" + customer + "/contacts", obj("name", "Li Na", "jobTitle", "Buyer",
                "email", "li.na@example.com"));
        assertEquals(created.text(), 201, created.status());
        long contact = created.json().path("id").asLong();
        assertEquals(400, r.post("/customers/" + customer + "/contacts", obj("name", "", "email", "x")).status());
        Response updated = r.put("/customers/" + customer + "/contacts/" + contact,
                obj("name", "Li Na", "jobTitle", "Head of purchasing", "version", created.json().path("version").asLong()));
        assertEquals(updated.text(), 200, updated.status());
        assertEquals(409, r.put("/customers/" + customer + "/contacts/" + contact,
                obj("name", "Li Na", "version", created.json().path("version").asLong())).status());
        assertEquals(1, r.get("/customers/" + customer + "/contacts").json().size());
        long otherCustomer = r.post("/customers", obj("name", "Other Corp")).json().path("id").asLong();
        assertEquals(404, r.put("/customers/" + otherCustomer + "/contacts/" + contact,
                obj("name", "Moved", "version", 1)).status());
        assertEquals(200, r.delete("/customers/" + customer + "/contacts/" + contact).status());
        assertEquals(0, r.get("/customers/" + customer + "/contacts").json().size());
    }

    @Test
    public void activitiesRecordTimesAndRemindersFilterByDue() {
        String[] s = subsidiaryWithRep();
        RestClient r = rep(s[1]);
        long customer = r.post("/customers", obj("name", "Reminder Co")).json().path("id").asLong();
        Response future = r.post("/customers/" + customer + "/activities", obj("type", "CALL", "subject", "Later",
                "occurredAt", Instant.now().plus(1, ChronoUnit.DAYS).toString()));
        assertEquals(400, future.status());
        assertEquals(Set.of("occurredAt"), fieldsOf(future.json()));
        Response badType = r.post("/customers/" + customer + "/activities", obj("type", "DANCE", "subject", "x"));
        assertEquals(400, badType.status());
        assertEquals(Set.of("type"), fieldsOf(badType.json()));
        Response missing = r.post("/customers/" + customer + "/activities", obj("notes", "no type or subject"));
        assertEquals(Set.of("type", "subject"), fieldsOf(missing.json()));

        long overdue = r.post("/customers/" + customer + "/activities", obj("type", "CALL", "subject", "Overdue",
                "dueAt", Instant.now().minus(1, ChronoUnit.HOURS).toString())).json().path("id").asLong();
        r.post("/customers/" + customer + "/activities", obj("type", "MEETING", "subject", "Upcoming",
                "dueAt", Instant.now().plus(3, ChronoUnit.DAYS).toString()));
        r.post("/customers/" + customer + "/activities", obj("type", "NOTE", "subject", "No follow-up"));
        assertEquals(1, r.get("/activities?due=overdue").json().path("total").asLong());
        assertEquals(1, r.get("/activities?due=upcoming").json().path("total").asLong());
        assertEquals(2, r.get("/activities").json().path("total").asLong());
        assertEquals(1, r.get("/activities?size=1").json().path("items").size());
        assertEquals(400, r.get("/activities?due=yesterday").status());

        Response done = r.post("/activities/" + overdue + "/complete", null);
        assertEquals(done.text(), 200, done.status());
        assertTrue(done.json().path("done").asBoolean());
        String doneAt = done.json().path("doneAt").asText();
        assertEquals(doneAt, r.post("/activities/" + overdue + "/complete", null).json().path("doneAt").asText());
        assertEquals(0, r.get("/activities?due=overdue").json().path("total").asLong());

        JsonNode list = r.get("/customers/" + customer + "/activities").json();
        assertEquals(3, list.path("total").asLong());
        assertEquals(403, r.get("/activities?owner=" + ADMIN).status());
    }

    @Test
    public void writesPublishEventsAfterCommitAndFailuresPublishNone() throws Exception {
        String[] s = subsidiaryWithRep();
        Collection<Event> events = new CopyOnWriteArrayList<>();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(EventConstants.EVENT_TOPIC, "org/groupcrm/core/*");
        List<String> committedVersions = new CopyOnWriteArrayList<>();
        ServiceRegistration<EventHandler> reg = context.registerService(EventHandler.class, e -> {
            if (s[0].equals(e.getProperty("subsidiary"))) {
                events.add(e);
                committedVersions.add(storedVersion((Long) e.getProperty("id")) + "/" + e.getProperty("version"));
            }
        }, props);
        try {
            RestClient r = rep(s[1]);
            assertEquals(400, r.post("/customers", obj("name", "")).status());
            JsonNode c = r.post("/customers", obj("name", "Evented")).json();
            r.put("/customers/" + c.path("id").asLong(), obj("name", "Evented 2", "version", c.path("version").asLong()));
            assertEquals(409, r.put("/customers/" + c.path("id").asLong(),
                    obj("name", "Stale", "version", c.path("version").asLong())).status());
            assertEquals(400, r.post("/customers/" + c.path("id").asLong() + "/contacts", obj("name", "")).status());
            r.delete("/customers/" + c.path("id").asLong());
            // EventAdmin delivers the events of consecutive requests (served by different threads) in no
            // guaranteed order, so the three are awaited, given time for any stray event of the failed writes
            // to arrive, and compared in the order of the versions they carry
            assertTrue(await(10, TimeUnit.SECONDS, () -> events.size() >= 3));
            Thread.sleep(500);
            List<Event> byVersion = new ArrayList<>(events);
            byVersion.sort(java.util.Comparator.comparingLong(e -> ((Number) e.getProperty("version")).longValue()));
            List<String> topics = new ArrayList<>();
            byVersion.forEach(e -> topics.add(e.getTopic()));
            assertEquals(List.of("org/groupcrm/core/customer/CREATED", "org/groupcrm/core/customer/UPDATED",
                    "org/groupcrm/core/customer/ARCHIVED"), topics);
            Event created = byVersion.get(0);
            assertEquals(c.path("id").asLong(), created.getProperty("id"));
            assertEquals(s[1], created.getProperty("actor"));
            // each event saw its own write committed: the version in the database was at least the event's
            for (String pair : committedVersions) {
                String[] v = pair.split("/");
                assertTrue(pair, Long.parseLong(v[0]) >= Long.parseLong(v[1]));
            }
        } finally {
            reg.unregister();
        }
    }

    @Test
    public void openApiDocumentCoversEveryEndpoint() {
        Response r = admin.get("/openapi.json");
        assertEquals(200, r.status());
        JsonNode paths = r.json().path("paths");
        for (String p : List.of("/api/v1/health", "/api/v1/subsidiaries", "/api/v1/users", "/api/v1/customers",
                "/api/v1/customers/{id}", "/api/v1/customers/{id}/contacts", "/api/v1/customers/{id}/contacts/{contactId}",
                "/api/v1/customers/{id}/activities", "/api/v1/activities", "/api/v1/activities/{id}",
                "/api/v1/activities/{id}/complete")) {
            assertTrue("missing " + p + " in " + paths.toString(), paths.has(p));
        }
        assertTrue(paths.path("/api/v1/customers/{id}").has("put"));
        assertTrue(r.json().path("components").path("schemas").has("CustomerDTO"));
    }

    @Test
    public void subsidiaryAdministratorsManageOnlyTheirHomeSubsidiary() {
        String[] s1 = subsidiaryWithRep();
        String[] s2 = subsidiaryWithRep();
        String subAdmin = "sa-" + s1[0].toLowerCase();
        assertEquals(201, admin.post("/users", obj("login", subAdmin, "displayName", "Sub admin", "password", "rep-password-1",
                "homeSubsidiary", s1[0], "subsidiaries", List.of(s2[0]), "roles", List.of("subsidiary-admin"))).status());
        RestClient sa = rep(subAdmin);
        Response own = sa.post("/users", obj("login", "own-" + s1[0].toLowerCase(), "displayName", "Own",
                "password", "rep-password-1", "homeSubsidiary", s1[0]));
        assertEquals(own.text(), 201, own.status());
        assertEquals(403, sa.post("/users", obj("login", "other-" + s1[0].toLowerCase(), "displayName", "Other",
                "password", "rep-password-1", "homeSubsidiary", s2[0])).status());
        assertEquals(403, sa.post("/users", obj("login", "ga-" + s1[0].toLowerCase(), "displayName", "Escalation",
                "password", "rep-password-1", "roles", List.of("group-admin"))).status());
        Set<String> listed = new java.util.TreeSet<>();
        sa.get("/users").json().forEach(u -> listed.add(u.path("login").asText()));
        assertTrue(listed.toString(), listed.contains(s1[1]) && listed.contains("own-" + s1[0].toLowerCase()));
        assertFalse(listed.toString(), listed.contains(s2[1]) || listed.contains(ADMIN));
    }

    @Test
    public void todayFollowsTheSubsidiaryTimeZone() {
        Response badZone = admin.post("/subsidiaries", obj("code", "TZX" + UUID.randomUUID().toString().substring(0, 6),
                "name", "Nowhere", "timeZone", "Mars/Olympus"));
        assertEquals(400, badZone.status());
        assertEquals(Set.of("timeZone"), fieldsOf(badZone.json()));
        // the two zones furthest from UTC: for at least one of them "today" ends at a different instant than in UTC
        for (String zone : List.of("Pacific/Kiritimati", "Pacific/Pago_Pago")) {
            String code = "TZ" + UUID.randomUUID().toString().substring(0, 6);
            Response sub = admin.post("/subsidiaries", obj("code", code, "name", "Zone " + zone, "timeZone", zone));
            assertEquals(sub.text(), 201, sub.status());
            assertEquals(zone, sub.json().path("timeZone").asText());
            RestClient in = admin.in(code);
            long customer = in.post("/customers", obj("name", "Tz customer")).json().path("id").asLong();
            ZoneId z = ZoneId.of(zone);
            Instant tomorrow = LocalDate.now(z).plusDays(1).atStartOfDay(z).toInstant();
            long lateToday = in.post("/customers/" + customer + "/activities", obj("type", "CALL", "subject", "late today",
                    "dueAt", tomorrow.minusSeconds(60).toString())).json().path("id").asLong();
            long earlyTomorrow = in.post("/customers/" + customer + "/activities", obj("type", "CALL", "subject", "early tomorrow",
                    "dueAt", tomorrow.plusSeconds(60).toString())).json().path("id").asLong();
            JsonNode today = in.get("/activities?due=today").json();
            JsonNode upcoming = in.get("/activities?due=upcoming").json();
            assertEquals(zone + " today: " + today, List.of(lateToday), ids(today));
            assertEquals(zone + " upcoming: " + upcoming, List.of(earlyTomorrow), ids(upcoming));
        }
    }

    private static List<Long> ids(JsonNode page) {
        List<Long> ids = new ArrayList<>();
        page.path("items").forEach(a -> ids.add(a.path("id").asLong()));
        return ids;
    }

    /** Version of customer {@code id} as committed in the database (read on a connection of its own), or -1. */
    private long storedVersion(long id) {
        ServiceReference<DataSource> ref = context.getServiceReference(DataSource.class);
        try (Connection c = context.getService(ref).getConnection();
             PreparedStatement ps = c.prepareStatement("select version from crm_customer where id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (java.sql.SQLException e) {
            return -1;
        } finally {
            context.ungetService(ref);
        }
    }

    private static Set<String> fieldsOf(JsonNode error) {
        Set<String> fields = new java.util.TreeSet<>();
        error.path("fields").forEach(f -> fields.add(f.path("field").asText()));
        return fields;
    }
}
