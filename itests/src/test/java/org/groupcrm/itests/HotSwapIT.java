package org.groupcrm.itests;

import static org.groupcrm.itests.RestClient.obj;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.inject.Inject;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.groupcrm.itests.RestClient.Response;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A plugin feature (the memo test plugin, three versions) installed, enabled for one subsidiary, used, upgraded,
 * uninstalled with requests in flight and reinstalled through the administration API, while background clients keep
 * calling the core: the core never fails a request, the other subsidiary gets {@code module_not_enabled}, the
 * plugin's data survives, and an install built for another core API is refused before anything happens.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT extends CrmTestSupport {
    private static final String FEATURE = "crm-plugin-memo";
    private static final String REFRESHER = "crm-plugin-refresher";
    private static final String PASSWORD = "rep-password-1";

    @Inject
    BundleContext context;

    @Inject
    SessionFactory sessions;

    @Configuration
    public Option[] config() {
        return crmDistribution();
    }

    @Test
    public void pluginsComeAndGoWhileTheCoreServes() throws Exception {
        RestClient anonymous = rest();
        assertTrue(await(120, TimeUnit.SECONDS, () -> anonymous.get("/health").status() == 200));
        RestClient admin = anonymous.as(ADMIN, adminPassword());
        assertTrue(await(30, TimeUnit.SECONDS, () -> admin.get("/subsidiaries").status() == 200));
        String s1 = subsidiary(admin);
        String s2 = subsidiary(admin);
        String login1 = user(admin, s1, "h1");
        RestClient rep1 = anonymous.as(login1, PASSWORD);
        RestClient rep2 = anonymous.as(user(admin, s2, "h2"), PASSWORD);
        long c1 = customer(rep1, "Hot swap one");
        long c2 = customer(rep2, "Hot swap two");

        // every bundle event of a bundle that is not the plugin's: a refresh or restart of the core would show here
        List<String> foreignEvents = new CopyOnWriteArrayList<>();
        SynchronousBundleListener watcher = e -> {
            String name = e.getBundle().getSymbolicName();
            if (!"org.groupcrm.itests.memo".equals(name) && e.getType() != BundleEvent.INSTALLED
                    && e.getType() != BundleEvent.RESOLVED && e.getType() != BundleEvent.UNINSTALLED) {
                foreignEvents.add(name + ":" + e.getType());
            }
        };
        context.addBundleListener(watcher);
        long logStart = karafLog().length();
        Hammer hammer = new Hammer(List.of(() -> rep1.get("/customers/" + c1), () -> rep2.get("/customers/" + c2),
                () -> rep1.get("/customers?size=5"), () -> admin.get("/modules")));
        try {
            // only group administrators; names and bad input are checked
            assertEquals(403, rep1.get("/admin/plugins").status());
            assertEquals(403, rep1.post("/admin/plugins/" + FEATURE, obj()).status());
            assertEquals(403, rep1.post("/admin/plugin-repositories", obj("uri", "file:/nowhere.xml")).status());
            assertField(admin.post("/admin/plugin-repositories", obj("uri", "not a uri")), "uri");
            assertField(admin.post("/admin/plugin-repositories", obj("uri", "file:/no/such/features.xml")), "uri");
            String features = System.getProperty("crm.itest.memo.features");
            assertFalse("the memo features repository is passed in by the build", features == null || features.isEmpty());
            Response repo = admin.post("/admin/plugin-repositories", obj("uri", features));
            assertEquals(repo.text(), 200, repo.status());

            JsonNode memo = plugin(admin);
            assertEquals("[\"1.0.0\",\"1.1.0\",\"2.0.0\"]", memo.path("versions").toString());
            assertTrue(memo.path("installedVersion").isMissingNode());
            assertField(admin.post("/admin/plugins/crm-core", obj()), "feature");
            assertEquals(404, admin.post("/admin/plugins/crm-plugin-nothing", obj()).status());
            assertEquals(404, admin.post("/admin/plugins/" + FEATURE, obj("version", "9.9.9")).status());
            assertField(admin.post("/admin/plugins/" + FEATURE, obj("version", "1.0.0; rm")), "version");
            assertEquals(409, admin.delete("/admin/plugins/" + FEATURE).status());

            // built for core API 2: refused in the dry run and for real, with the reason, and nothing installed
            Response incompatible = admin.post("/admin/plugins/" + FEATURE, obj("version", "2.0.0", "dryRun", true));
            assertEquals(incompatible.text(), 200, incompatible.status());
            assertFalse(incompatible.json().path("allowed").asBoolean());
            assertTrue(incompatible.text(), incompatible.text().contains("needs core API org.groupcrm.core.api"));
            Response refused = admin.post("/admin/plugins/" + FEATURE, obj("version", "2.0.0"));
            assertEquals(refused.text(), 409, refused.status());
            assertEquals("plugin_refused", refused.json().path("error").asText());
            assertTrue(plugin(admin).path("installedVersion").isMissingNode());

            // a plugin whose bundle would make Karaf refresh a core bundle: refused, naming what would be refreshed
            Response refreshing = admin.post("/admin/plugins/" + REFRESHER, obj("dryRun", true));
            assertEquals(refreshing.text(), 200, refreshing.status());
            assertFalse(refreshing.text(), refreshing.json().path("allowed").asBoolean());
            assertTrue(refreshing.text(), refreshing.text().contains("would refresh bundles outside the plugin"));
            assertTrue(refreshing.text(), refreshing.text().contains("org.liquibase.core"));
            Response refusedRefresh = admin.post("/admin/plugins/" + REFRESHER, obj());
            assertEquals(refusedRefresh.text(), 409, refusedRefresh.status());
            assertEquals("plugin_refused", refusedRefresh.json().path("error").asText());
            assertTrue(plugin(admin, REFRESHER).path("installedVersion").isMissingNode());

            // dry run of 1.0.0: allowed, installs the plugin's bundle, refreshes nothing
            Response plan = admin.post("/admin/plugins/" + FEATURE, obj("version", "1.0.0", "dryRun", true));
            assertEquals(plan.text(), 200, plan.status());
            assertTrue(plan.text(), plan.json().path("allowed").asBoolean());
            assertTrue(plan.text(), plan.json().path("bundlesToInstall").toString().contains("crm-itest-memo-plugin/"));
            assertEquals(plan.text(), 0, plan.json().path("bundlesToRefresh").size());
            assertTrue(plugin(admin).path("installedVersion").isMissingNode());

            // install 1.0.0: the module appears, OFF everywhere
            Response installed = admin.post("/admin/plugins/" + FEATURE, obj("version", "1.0.0"));
            assertEquals(installed.text(), 200, installed.status());
            assertEquals("install", installed.json().path("action").asText());
            assertTrue(await(30, TimeUnit.SECONDS, () -> module(admin, "memo") != null));
            assertEquals("1.0.0", module(admin, "memo").path("version").asText());
            assertEquals("[\"memo\"]", plugin(admin).path("modules").toString());
            assertNotEnabled(rep1.get("/memo/info"));

            // ON for S1 only: in force on the next request, provisioned; S2 keeps getting module_not_enabled
            Response on = admin.put("/subsidiaries/" + s1 + "/modules/memo", obj("state", "ON"));
            assertEquals(on.text(), 200, on.status());
            Response info = rep1.get("/memo/info");
            assertEquals(info.text(), 200, info.status());
            assertEquals("1.0.0", info.json().path("version").asText());
            assertEquals("[\"memo-1\"]", info.json().path("changeSets").toString());
            assertTrue(info.json().path("provisioned").asBoolean());
            assertNotEnabled(rep2.get("/memo/info"));
            assertNotEnabled(rep2.post("/memo/memos", obj("customerId", c2, "text", "not here")));

            // PILOT for one user of S1: the gate lets that user through and no one else of S1; then ON again
            RestClient colleague = anonymous.as(user(admin, s1, "h1b"), PASSWORD);
            assertEquals(200, colleague.get("/memo/info").status());
            Response pilot = admin.put("/subsidiaries/" + s1 + "/modules/memo", obj("state", "PILOT",
                    "pilotUsers", List.of(login1)));
            assertEquals(pilot.text(), 200, pilot.status());
            assertEquals(200, rep1.get("/memo/info").status());
            assertNotEnabled(colleague.get("/memo/info"));
            assertNotEnabled(colleague.get("/memo/memos?customer=" + c1));
            assertEquals(200, admin.put("/subsidiaries/" + s1 + "/modules/memo", obj("state", "ON")).status());
            assertEquals(200, colleague.get("/memo/info").status());

            Response first = rep1.post("/memo/memos", obj("customerId", c1, "text", "first memo"));
            assertEquals(first.text(), 201, first.status());
            assertEquals(404, rep1.post("/memo/memos", obj("customerId", c2, "text", "other subsidiary")).status());
            assertField(rep1.post("/memo/memos", obj("customerId", c1, "text", " ")), "text");
            assertEquals(1, memos(rep1, c1).size());

            // upgrade to 1.1.0: one more migration, same data
            Response upgrade = admin.post("/admin/plugins/" + FEATURE, obj("version", "1.1.0"));
            assertEquals(upgrade.text(), 200, upgrade.status());
            assertEquals("upgrade", upgrade.json().path("action").asText());
            assertEquals("1.0.0", upgrade.json().path("fromVersion").asText());
            assertTrue(await(30, TimeUnit.SECONDS, () -> "1.1.0".equals(rep1.get("/memo/info").json().path("version").asText())));
            assertEquals("[\"memo-1\",\"memo-2\"]", rep1.get("/memo/info").json().path("changeSets").toString());
            assertEquals("first memo", memos(rep1, c1).get(0).path("text").asText());
            assertEquals(201, rep1.post("/memo/memos", obj("customerId", c1, "text", "second memo")).status());

            // uninstall with slow requests in flight: each finishes or gets a clean 503
            ExecutorService slow = Executors.newFixedThreadPool(3);
            List<Future<Response>> inFlight = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                inFlight.add(slow.submit(() -> rep1.get("/memo/slow?ms=2000")));
            }
            TimeUnit.MILLISECONDS.sleep(500);
            Response uninstall = admin.delete("/admin/plugins/" + FEATURE);
            assertEquals(uninstall.text(), 200, uninstall.status());
            for (Future<Response> f : inFlight) {
                Response r = f.get(30, TimeUnit.SECONDS);
                assertTrue(r.toString(), r.status() == 200 || r.status() == 503);
            }
            slow.shutdown();
            assertTrue(await(30, TimeUnit.SECONDS, () -> module(admin, "memo") == null));
            assertEquals(404, rep1.get("/memo/info").status());
            assertTrue(plugin(admin).path("installedVersion").isMissingNode());

            // reinstall: the data and the subsidiary's state are still there
            Response again = admin.post("/admin/plugins/" + FEATURE, obj());
            assertEquals(again.text(), 200, again.status());
            assertEquals("1.1.0", again.json().path("toVersion").asText());
            assertTrue(await(30, TimeUnit.SECONDS, () -> rep1.get("/memo/info").status() == 200));
            List<JsonNode> kept = memos(rep1, c1);
            assertEquals(2, kept.size());
            assertEquals("second memo", kept.get(1).path("text").asText());
            assertNotEnabled(rep2.get("/memo/info"));

            // the same through the Karaf shell, as Karaf's administrators expect
            String dry = shell("crm:plugin-install --dry-run " + REFRESHER);
            assertTrue(dry, dry.contains("would refresh bundles outside the plugin"));
            String shellUninstall = shell("crm:plugin-uninstall " + FEATURE);
            assertTrue(shellUninstall, shellUninstall.contains(FEATURE));
            assertTrue(await(30, TimeUnit.SECONDS, () -> module(admin, "memo") == null));
            assertNotEnabledOrAbsent(rep1.get("/memo/info"));
            String shellInstall = shell("crm:plugin-install --version 1.1.0 " + FEATURE);
            assertTrue(shellInstall, shellInstall.contains(FEATURE));
            assertTrue(await(30, TimeUnit.SECONDS, () -> rep1.get("/memo/info").status() == 200));
            assertEquals(2, memos(rep1, c1).size());
            assertTrue(shell("crm:plugin-list"), shell("crm:plugin-list").contains("1.1.0"));

            // every action is kept with who did it (the shell's actions as the shell's user); dry runs are not actions
            JsonNode history = admin.get("/admin/plugins/history").json();
            List<String> actions = new ArrayList<>();
            history.forEach(h -> actions.add(h.path("action").asText() + ":" + h.path("outcome").asText()
                    + (h.path("performedBy").asText().startsWith("karaf:") ? ":shell" : ":" + h.path("performedBy").asText())));
            assertEquals(actions.toString(), List.of("install:DONE:shell", "uninstall:DONE:shell",
                    "install:DONE:" + ADMIN, "uninstall:DONE:" + ADMIN, "upgrade:DONE:" + ADMIN,
                    "install:DONE:" + ADMIN, "install:REFUSED:" + ADMIN, "install:REFUSED:" + ADMIN,
                    "add-repository:DONE:" + ADMIN), actions.subList(0, 9));
            assertEquals(403, rep1.get("/admin/plugins/history").status());
        } finally {
            hammer.stop();
            context.removeBundleListener(watcher);
        }
        assertEquals("bundles outside the plugin stopped, started or were refreshed: " + foreignEvents, List.of(), foreignEvents);
        String log = karafLog().substring((int) Math.min(logStart, karafLog().length()));
        assertFalse("karaf.log shows a refresh", log.contains("Refreshing bundles"));
        assertTrue("karaf.log shows the plugin changes", log.contains("crm-plugin-memo"));
        assertTrue("the core was called throughout: " + hammer.requests.get(), hammer.requests.get() > 100);
        assertEquals("core requests that failed: " + hammer.failures, 0, hammer.failures.size());
    }

    private static String karafLog() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("karaf.data"), "log", "karaf.log"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void assertNotEnabled(Response r) {
        assertEquals(r.text(), 404, r.status());
        assertEquals(r.text(), "module_not_enabled", r.json().path("error").asText());
        assertEquals(r.text(), "memo", r.json().path("module").asText());
    }

    private static void assertField(Response r, String field) {
        assertEquals(r.text(), 400, r.status());
        assertEquals(r.text(), field, r.json().path("fields").path(0).path("field").asText());
    }

    private static JsonNode plugin(RestClient admin) {
        return plugin(admin, FEATURE);
    }

    private static JsonNode plugin(RestClient admin, String feature) {
        for (JsonNode p : admin.get("/admin/plugins").json()) {
            if (feature.equals(p.path("feature").asText())) {
                return p;
            }
        }
        throw new AssertionError(feature + " is not listed");
    }

    /** After an uninstall the module's path is no module's any more: 404, whichever application answers it. */
    private static void assertNotEnabledOrAbsent(Response r) {
        assertEquals(r.text(), 404, r.status());
    }

    /** Runs a Karaf shell command; returns what it printed, or the error it failed with. */
    private String shell(String command) throws Exception {
        return CrmTestSupport.shell(sessions, command);
    }

    private static JsonNode module(RestClient admin, String id) {
        for (JsonNode m : admin.get("/modules").json()) {
            if (id.equals(m.path("id").asText())) {
                return m;
            }
        }
        return null;
    }

    private static List<JsonNode> memos(RestClient rep, long customer) {
        Response r = rep.get("/memo/memos?customer=" + customer);
        assertEquals(r.text(), 200, r.status());
        List<JsonNode> list = new ArrayList<>();
        r.json().forEach(list::add);
        return list;
    }

    private static String subsidiary(RestClient admin) {
        String code = "H" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, admin.post("/subsidiaries", obj("code", code, "name", "Hot swap " + code)).status());
        return code;
    }

    private static String user(RestClient admin, String subsidiary, String prefix) {
        String login = prefix + "-" + subsidiary.toLowerCase();
        Response r = admin.post("/users", obj("login", login, "displayName", login, "password", PASSWORD,
                "homeSubsidiary", subsidiary));
        assertEquals(r.text(), 201, r.status());
        return login;
    }

    private static long customer(RestClient rep, String name) {
        Response r = rep.post("/customers", obj("name", name));
        assertEquals(r.text(), 201, r.status());
        return r.json().path("id").asLong();
    }

    /** Background clients calling core endpoints in a loop, recording every answer that is not a 200. */
    private static final class Hammer {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicLong requests = new AtomicLong();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new ArrayList<>();

        Hammer(List<java.util.function.Supplier<Response>> calls) {
            AtomicInteger n = new AtomicInteger();
            for (java.util.function.Supplier<Response> call : calls) {
                Thread t = new Thread(() -> {
                    while (running.get()) {
                        try {
                            Response r = call.get();
                            requests.incrementAndGet();
                            if (r.status() != 200) {
                                failures.add(r.toString());
                            }
                        } catch (RuntimeException e) {
                            requests.incrementAndGet();
                            failures.add(e.toString());
                        }
                    }
                }, "core-hammer-" + n.incrementAndGet());
                t.start();
                threads.add(t);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
    }

}
