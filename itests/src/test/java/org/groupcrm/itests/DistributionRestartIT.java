package org.groupcrm.itests;

import static org.groupcrm.itests.RestClient.obj;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.groupcrm.itests.RestClient.Response;
import org.junit.After;
import org.junit.Test;

/**
 * The distribution as an admin runs it: {@code bin/start} on a fresh unpack (embedded PostgreSQL, no install step),
 * data written over HTTP, {@code bin/stop}, {@code bin/start} again, and the data is still there; then a
 * {@code kill -9} of Karaf and a start, which must take over the orphaned PostgreSQL with every acknowledged write.
 */
public class DistributionRestartIT {
    private final String password = "restart-admin-password";
    private Path home;
    private int httpPort;

    @After
    public void stopIfRunning() throws Exception {
        if (home != null) {
            stop();
        }
    }

    @Test
    public void dataSurvivesStopAndStart() throws Exception {
        home = unpack();
        httpPort = CrmTestSupport.freePort();
        RestClient anonymous = new RestClient("http://127.0.0.1:" + httpPort + "/api/v1");
        RestClient admin = anonymous.as("admin", password);

        long started = System.nanoTime();
        start();
        awaitReady(anonymous, admin, "cold start", started);
        assertTrue(anonymous.get("/health").json().path("database").asText().startsWith("PostgreSQL"));
        assertHeap("-Xms128M", "-Xmx512M");

        Response sub = admin.post("/subsidiaries", obj("code", "RESTART", "name", "Restart Ltd"));
        assertEquals(sub.text(), 201, sub.status());
        Response customer = admin.in("RESTART").post("/customers", obj("name", "Survivor", "phone", "12345"));
        assertEquals(customer.text(), 201, customer.status());
        long id = customer.json().path("id").asLong();

        stop();
        assertTrue("admin password file must not exist when CRM_ADMIN_PASSWORD is set",
                !Files.exists(home.resolve("data/crm/initial-admin-password")));
        long restarted = System.nanoTime();
        start(Map.of("JAVA_MAX_MEM", "600M"));
        awaitReady(anonymous, admin, "restart", restarted);
        assertHeap("-Xms128M", "-Xmx600M");
        Response again = admin.in("RESTART").get("/customers/" + id);
        assertEquals(again.text(), 200, again.status());
        assertEquals("Survivor", again.json().path("name").asText());
        assertEquals(1, admin.in("RESTART").get("/customers?q=Survivor").json().path("total").asLong());

        // a crash: kill -9 leaves the embedded PostgreSQL running; the next start must take over cleanly
        Response acknowledged = admin.in("RESTART").post("/customers", obj("name", "Acknowledged before the crash"));
        assertEquals(201, acknowledged.status());
        ProcessHandle karaf = karafProcess().orElseThrow();
        karaf.destroyForcibly();
        assertTrue(CrmTestSupport.await(30, TimeUnit.SECONDS, () -> !karaf.isAlive()));
        long recovered = System.nanoTime();
        start();
        awaitReady(anonymous, admin, "start after kill -9", recovered);
        Response afterCrash = admin.in("RESTART").get("/customers/" + acknowledged.json().path("id").asLong());
        assertEquals(afterCrash.text(), 200, afterCrash.status());
        assertEquals(2, admin.in("RESTART").get("/customers").json().path("total").asLong());
    }

    /** Waits until health is UP (recording how long it took since {@code startNanos}) and the authenticated API answers. */
    private static void awaitReady(RestClient anonymous, RestClient admin, String what, long startNanos) throws IOException {
        assertTrue("no health 200 within 90 s: " + what,
                CrmTestSupport.await(90, TimeUnit.SECONDS, () -> anonymous.get("/health").status() == 200));
        figure(what + " to first 200 on /health", startNanos);
        assertTrue(what, CrmTestSupport.await(10, TimeUnit.SECONDS, () -> admin.get("/subsidiaries").status() == 200));
    }

    /** Appends a measured duration to target/distribution-figures.txt (figures, not assertions: machines are noisy). */
    private static void figure(String what, long startNanos) throws IOException {
        String line = what + ": " + (System.nanoTime() - startNanos) / 1_000_000 + " ms" + System.lineSeparator();
        Files.writeString(Paths.get("target", "distribution-figures.txt"), line, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private Path unpack() throws Exception {
        Path target = Paths.get("target", "restart-it").toAbsolutePath();
        run(new ProcessBuilder("rm", "-rf", target.toString()));
        Files.createDirectories(target);
        run(new ProcessBuilder("tar", "xzf", System.getProperty("crm.distribution"), "-C", target.toString()));
        try (var dirs = Files.list(target)) {
            return dirs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    /**
     * The Karaf JVM runs with exactly the heap options {@code bin/setenv} documents (JAVA_MIN_MEM, JAVA_MAX_MEM), once
     * each: Karaf's own scripts ignore those variables.
     */
    private void assertHeap(String xms, String xmx) throws IOException {
        String[] args = Files.readString(Paths.get("/proc", karafProcess().orElseThrow().pid() + "", "cmdline"))
                .split("\0");
        assertEquals(List.of(xms), Arrays.stream(args).filter(a -> a.startsWith("-Xms")).toList());
        assertEquals(List.of(xmx), Arrays.stream(args).filter(a -> a.startsWith("-Xmx")).toList());
        assertEquals(1, Arrays.stream(args).filter(a -> a.startsWith("-Djdk.util.zip.disableZip64ExtraFieldValidation"))
                .count());
    }

    private void start() throws Exception {
        start(Map.of());
    }

    private void start(Map<String, String> extraEnv) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/start").toString());
        Map<String, String> env = pb.environment();
        env.putAll(extraEnv);
        env.put("CRM_ADMIN_PASSWORD", password);
        env.put("CRM_HTTP_PORT", String.valueOf(httpPort));
        env.put("CRM_SSH_PORT", String.valueOf(CrmTestSupport.freePort()));
        run(pb);
    }

    private void stop() throws Exception {
        Optional<ProcessHandle> karaf = karafProcess();
        if (karaf.isEmpty()) {
            return;
        }
        run(new ProcessBuilder(home.resolve("bin/stop").toString()));
        if (!CrmTestSupport.await(60, TimeUnit.SECONDS, () -> !karaf.get().isAlive())) {
            karaf.get().destroyForcibly();
        }
    }

    private Optional<ProcessHandle> karafProcess() throws IOException {
        Path pidFile = home.resolve("karaf.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip())).filter(ProcessHandle::isAlive);
    }

    private static void run(ProcessBuilder pb) throws Exception {
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(new File("target/restart-it-commands.log")));
        Process p = pb.start();
        assertTrue(pb.command() + " did not finish", p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(pb.command() + " failed", 0, p.exitValue());
    }
}
