package org.groupcrm.itests;

import static org.groupcrm.itests.RestClient.obj;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import java.util.Dictionary;
import java.util.Hashtable;

import javax.inject.Inject;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.groupcrm.core.api.event.CrmTopics;
import org.groupcrm.core.api.module.ModuleEventHandler;
import org.groupcrm.core.api.module.ModuleService;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import org.groupcrm.core.api.module.AbstractCrmModule;
import org.groupcrm.core.api.module.CrmModule;
import org.groupcrm.itests.RestClient.Response;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Per-subsidiary module states, pilot users, start dates, dependencies and API compatibility, with modules
 * registered by the test the way a plugin bundle registers them (a {@link CrmModule} service). Whether a module is
 * in force for a user is read from {@code GET /modules}, which the request gate of module applications also uses.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ModulesIT extends CrmTestSupport {
    private static final String HELLO = "itest-hello";

    @Inject
    BundleContext context;

    @Inject
    ModuleService moduleService;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Inject
    SessionFactory sessions;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return crmDistribution();
    }

    private static final class TestModule extends AbstractCrmModule {
        final List<String> provisioned = new CopyOnWriteArrayList<>();

        TestModule(String id, Set<String> requires, String range) {
            super(id, "Test " + id, "1.0.0", "A module of the integration tests", requires, range);
        }

        @Override
        public void provision(String subsidiary) {
            provisioned.add("+" + subsidiary);
        }

        @Override
        public void deprovision(String subsidiary) {
            provisioned.add("-" + subsidiary);
        }
    }

    @Test
    public void modulesAreInForcePerSubsidiaryPilotAndDate() throws Exception {
        RestClient anonymous = rest();
        assertTrue(await(120, TimeUnit.SECONDS, () -> anonymous.get("/health").status() == 200));
        RestClient admin = anonymous.as(ADMIN, adminPassword());
        assertTrue(await(30, TimeUnit.SECONDS, () -> admin.get("/subsidiaries").status() == 200));
        List<ServiceRegistration<?>> registrations = new ArrayList<>();
        TestModule hello = new TestModule(HELLO, Set.of(), "[1.0,2)");
        registrations.add(context.registerService(CrmModule.class, hello, null));
        registrations.add(context.registerService(CrmModule.class, new TestModule("itest-child", Set.of(HELLO), "[1.0,2)"), null));
        registrations.add(context.registerService(CrmModule.class, new TestModule("itest-future", Set.of(), "[2.0,3)"), null));
        try {
            String s1 = subsidiary(admin);
            String s2 = subsidiary(admin);
            String r1 = user(admin, s1, "r1");
            String r2 = user(admin, s2, "r2");
            String r2b = user(admin, s2, "r2b");
            RestClient rep1 = anonymous.as(r1, "rep-password-1");
            RestClient rep2 = anonymous.as(r2, "rep-password-1");
            RestClient rep2b = anonymous.as(r2b, "rep-password-1");

            JsonNode modules = admin.get("/modules").json();
            assertEquals("1.0.0", find(modules, HELLO).path("version").asText());
            assertTrue(find(modules, HELLO).path("compatible").asBoolean());
            assertFalse(find(modules, "itest-future").path("compatible").asBoolean());

            assertFalse(inForce(rep1));
            assertEquals(401, anonymous.get("/modules").status());

            // ON for S1 only: in force on the very next request, and provisioned once
            assertEquals(403, rep1.put("/subsidiaries/" + s1 + "/modules/" + HELLO, obj("state", "ON")).status());
            Response on = admin.put("/subsidiaries/" + s1 + "/modules/" + HELLO, obj("state", "ON"));
            assertEquals(on.text(), 200, on.status());
            assertTrue(inForce(rep1));
            assertEquals("ON", on.json().path("state").asText());
            assertFalse(inForce(rep2));
            assertEquals(List.of("+" + s1), hello.provisioned);

            // PILOT in S2 for one user
            Response pilot = admin.put("/subsidiaries/" + s2 + "/modules/" + HELLO, obj("state", "PILOT", "pilotUsers", List.of(r2)));
            assertEquals(pilot.text(), 200, pilot.status());
            assertTrue(inForce(rep2));
            assertFalse(inForce(rep2b));
            assertEquals(400, admin.put("/subsidiaries/" + s2 + "/modules/" + HELLO,
                    obj("state", "PILOT", "pilotUsers", List.of(r1))).status());
            assertEquals(400, admin.put("/subsidiaries/" + s2 + "/modules/" + HELLO, obj("state", "PILOT")).status());

            // a start date in the future takes S1 out of force until then
            Response later = admin.put("/subsidiaries/" + s1 + "/modules/" + HELLO,
                    obj("state", "ON", "from", LocalDate.now().plusDays(3).toString()));
            assertEquals(later.text(), 200, later.status());
            assertFalse(inForce(rep1));

            // dependencies: the child needs the parent in force for the same users
            Response childOn = admin.put("/subsidiaries/" + s2 + "/modules/itest-child", obj("state", "ON"));
            assertEquals(childOn.text(), 400, childOn.status());
            assertTrue(childOn.text(), childOn.json().path("message").asText().contains("requires module " + HELLO));
            assertEquals(200, admin.put("/subsidiaries/" + s2 + "/modules/itest-child",
                    obj("state", "PILOT", "pilotUsers", List.of(r2))).status());
            Response parentOff = admin.put("/subsidiaries/" + s2 + "/modules/" + HELLO, obj("state", "OFF"));
            assertEquals(parentOff.text(), 400, parentOff.status());
            assertTrue(parentOff.text(), parentOff.json().path("message").asText().contains("itest-child"));
            assertTrue(inForce(rep2));

            // an incompatible module is refused with the reason
            Response future = admin.put("/subsidiaries/" + s1 + "/modules/itest-future", obj("state", "ON"));
            assertEquals(future.text(), 400, future.status());
            assertTrue(future.text(), future.json().path("message").asText().contains("needs core API [2.0,3)"));

            // bad input and unknown names
            assertEquals(404, admin.put("/subsidiaries/" + s1 + "/modules/no-such-module", obj("state", "ON")).status());
            assertEquals(404, admin.put("/subsidiaries/NOPE-" + s1 + "/modules/" + HELLO, obj("state", "ON")).status());
            assertEquals(400, admin.put("/subsidiaries/" + s1 + "/modules/" + HELLO, obj("state", "MAYBE")).status());
            assertEquals(400, admin.put("/subsidiaries/" + s1 + "/modules/" + HELLO, obj()).status());

            // states and history
            JsonNode states = admin.get("/subsidiaries/" + s2 + "/modules").json();
            assertEquals("PILOT", find(states, HELLO, "module").path("state").asText());
            assertEquals(403, rep2.get("/subsidiaries/" + s2 + "/modules").status());
            JsonNode history = admin.get("/subsidiaries/" + s1 + "/modules/" + HELLO + "/history").json();
            assertEquals(2, history.size());
            assertEquals("ON", history.get(0).path("previous").asText());
            assertEquals("OFF", history.get(1).path("previous").asText());
            assertEquals(ADMIN, history.get(0).path("changedBy").asText());

            // the module goes away: no longer listed; its states are kept for when it comes back
            registrations.remove(0).unregister();
            List<String> ids = new ArrayList<>();
            admin.get("/modules").json().forEach(m -> ids.add(m.path("id").asText()));
            assertFalse(ids.toString(), ids.contains(HELLO));
            assertTrue(ids.toString(), ids.contains("itest-child"));
            registrations.add(context.registerService(CrmModule.class, new TestModule(HELLO, Set.of(), "[1.0,2)"), null));
            assertTrue(inForce(rep2));
        } finally {
            registrations.forEach(ServiceRegistration::unregister);
        }
    }

    /**
     * What group IT allows subsidiary administrators, what handlers and jobs see through {@link ModuleService} and
     * {@link ModuleEventHandler}, and the Karaf shell commands.
     */
    @Test
    public void subsidiaryAdminsHandlersJobsAndShell() throws Exception {
        RestClient anonymous = rest();
        assertTrue(await(120, TimeUnit.SECONDS, () -> anonymous.get("/health").status() == 200));
        RestClient admin = anonymous.as(ADMIN, adminPassword());
        assertTrue(await(30, TimeUnit.SECONDS, () -> admin.get("/subsidiaries").status() == 200));
        String module = "itest-events";
        List<ServiceRegistration<?>> registrations = new ArrayList<>();
        registrations.add(context.registerService(CrmModule.class, new TestModule(module, Set.of(), "[1.0,2)"), null));
        try {
            String s1 = subsidiary(admin);
            String s2 = subsidiary(admin);
            RestClient admin1 = anonymous.as(user(admin, s1, "a1", List.of("subsidiary-admin")), "rep-password-1");
            RestClient admin2 = anonymous.as(user(admin, s2, "a2", List.of("subsidiary-admin")), "rep-password-1");
            String r1 = user(admin, s1, "e1");
            String r2 = user(admin, s2, "e2");
            String r2b = user(admin, s2, "e2b");

            // subsidiary administrators only where group IT allows it, and only for their own subsidiary
            Response refused = admin1.put("/subsidiaries/" + s1 + "/modules/" + module, obj("state", "ON"));
            assertEquals(refused.text(), 403, refused.status());
            assertTrue(refused.text(), refused.text().contains("group IT has not allowed"));
            Configuration policy = configurationAdmin.getConfiguration("org.groupcrm.modules", "?");
            Dictionary<String, Object> allowed = new Hashtable<>();
            allowed.put("subsidiaryAdminsManage", new String[] {s1});
            policy.update(allowed);
            try {
                assertTrue(await(30, TimeUnit.SECONDS, () -> admin1.put("/subsidiaries/" + s1 + "/modules/" + module,
                        obj("state", "ON")).status() == 200));
                assertEquals(403, admin1.put("/subsidiaries/" + s2 + "/modules/" + module, obj("state", "ON")).status());
                assertEquals(403, admin2.put("/subsidiaries/" + s2 + "/modules/" + module, obj("state", "ON")).status());
                assertEquals(a1(s1), admin.get("/subsidiaries/" + s1 + "/modules/" + module + "/history").json()
                        .get(0).path("changedBy").asText());
            } finally {
                policy.delete();
            }
            assertTrue(await(30, TimeUnit.SECONDS, () -> admin1.put("/subsidiaries/" + s1 + "/modules/" + module,
                    obj("state", "ON")).status() == 403));

            // for handlers and jobs: ON in S1 for everyone, PILOT in S2 for r2 only
            assertEquals(200, admin.put("/subsidiaries/" + s2 + "/modules/" + module,
                    obj("state", "PILOT", "pilotUsers", List.of(r2))).status());
            assertTrue(moduleService.inForce(s1, null, module));
            assertTrue(moduleService.inForce(s1, r1, module));
            assertFalse(moduleService.inForce(s2, null, module));
            assertTrue(moduleService.inForce(s2, r2, module));
            assertFalse(moduleService.inForce(s2, r2b, module));
            assertFalse(moduleService.inForce(s1, r1, "no-such-module"));
            assertTrue(moduleService.subsidiariesInForce(module).containsAll(Set.of(s1, s2)));

            List<String> seen = new CopyOnWriteArrayList<>();
            ModuleEventHandler handler = new ModuleEventHandler() {
                @Override
                protected String moduleId() {
                    return module;
                }

                @Override
                protected ModuleService moduleService() {
                    return moduleService;
                }

                @Override
                protected void handleInForce(Event event) {
                    seen.add(event.getProperty("actor") + "@" + event.getProperty("subsidiary"));
                }
            };
            Dictionary<String, Object> topics = new Hashtable<>();
            topics.put(EventConstants.EVENT_TOPIC, CrmTopics.CUSTOMER_CREATED);
            topics.put(CrmModule.MODULE_PROPERTY, module);
            registrations.add(context.registerService(EventHandler.class, handler, topics));
            for (String login : List.of(r2b, r1, r2)) {
                Response c = anonymous.as(login, "rep-password-1").post("/customers", obj("name", "Event " + login));
                assertEquals(c.text(), 201, c.status());
            }
            assertTrue(seen.toString(), await(30, TimeUnit.SECONDS, () -> seen.size() >= 2));
            TimeUnit.MILLISECONDS.sleep(500);
            assertEquals(Set.of(r1 + "@" + s1, r2 + "@" + s2), Set.copyOf(seen));
            assertEquals(2, seen.size());

            // the Karaf shell: list, change, history; the change is recorded as the shell's user
            String list = shell("crm:module-list " + s2);
            assertTrue(list, list.contains(module) && list.contains("PILOT") && list.contains(r2));
            String changed = shell("crm:module-state --from 2030-01-01 " + s2 + " " + module + " ON");
            assertTrue(changed, changed.contains("is now ON from 2030-01-01"));
            assertFalse(moduleService.inForce(s2, r2, module));
            String history = shell("crm:module-state " + s2 + " " + module);
            assertTrue(history, history.contains("karaf:") && history.contains("PILOT -> ON"));
            assertTrue(admin.get("/subsidiaries/" + s2 + "/modules/" + module + "/history").json().get(0)
                    .path("changedBy").asText().startsWith("karaf:"));
            String bad = shell("crm:module-state " + s2 + " " + module + " MAYBE");
            assertTrue(bad, bad.contains("state must be OFF, PILOT or ON"));
            String plugins = shell("crm:plugin-list");
            assertTrue(plugins, plugins.contains("Feature"));
        } finally {
            registrations.forEach(ServiceRegistration::unregister);
        }
    }

    /** The per-subsidiary request limit: one subsidiary over its rate gets 429, the others are served. */
    @Test
    public void aSubsidiaryOverItsRateGets429WithRetryAfter() throws Exception {
        RestClient anonymous = rest();
        assertTrue(await(120, TimeUnit.SECONDS, () -> anonymous.get("/health").status() == 200));
        RestClient admin = anonymous.as(ADMIN, adminPassword());
        assertTrue(await(30, TimeUnit.SECONDS, () -> admin.get("/subsidiaries").status() == 200));
        String busy = subsidiary(admin);
        String quiet = subsidiary(admin);
        RestClient busyRep = anonymous.as(user(admin, busy, "rl"), "rep-password-1");
        RestClient quietRep = anonymous.as(user(admin, quiet, "rq"), "rep-password-1");
        Configuration limits = configurationAdmin.getConfiguration("org.groupcrm.requests", "?");
        Dictionary<String, Object> low = new Hashtable<>();
        low.put("perSubsidiaryPerSecond", 1.0);
        low.put("perSubsidiaryBurst", 5.0);
        limits.update(low);
        try {
            assertTrue("the busy subsidiary is limited", await(30, TimeUnit.SECONDS,
                    () -> busyRep.get("/customers").status() == 429));
            Response limited = busyRep.get("/customers");
            assertEquals(limited.text(), 429, limited.status());
            assertEquals("rate_limited", limited.json().path("error").asText());
            assertTrue(Integer.parseInt(limited.header("Retry-After")) >= 1);
            assertEquals(200, quietRep.get("/customers").status());
        } finally {
            limits.delete();
        }
        assertTrue("the default limit is back", await(30, TimeUnit.SECONDS,
                () -> busyRep.get("/customers").status() == 200));
    }

    private static String a1(String subsidiary) {
        return "a1-" + subsidiary.toLowerCase();
    }

    /** Runs a shell command; returns what it printed, or the error it failed with. */
    private String shell(String command) throws Exception {
        return CrmTestSupport.shell(sessions, command);
    }

    /** Whether the test module is in force for the client's user, as {@code GET /modules} reports it. */
    private static boolean inForce(RestClient client) {
        Response r = client.get("/modules");
        assertEquals(r.text(), 200, r.status());
        return find(r.json(), HELLO).path("state").path("inForce").asBoolean();
    }

    private static JsonNode find(JsonNode list, String id) {
        return find(list, id, "id");
    }

    private static JsonNode find(JsonNode list, String id, String field) {
        for (JsonNode n : list) {
            if (id.equals(n.path(field).asText())) {
                return n;
            }
        }
        throw new AssertionError(id + " not in " + list);
    }

    private static String subsidiary(RestClient admin) {
        String code = "M" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, admin.post("/subsidiaries", obj("code", code, "name", "Modules " + code)).status());
        return code;
    }

    private static String user(RestClient admin, String subsidiary, String prefix) {
        return user(admin, subsidiary, prefix, List.of("user"));
    }

    private static String user(RestClient admin, String subsidiary, String prefix, List<String> roles) {
        String login = prefix + "-" + subsidiary.toLowerCase();
        Response r = admin.post("/users", obj("login", login, "displayName", login, "password", "rep-password-1",
                "homeSubsidiary", subsidiary, "roles", roles));
        assertEquals(r.text(), 201, r.status());
        return login;
    }
}
