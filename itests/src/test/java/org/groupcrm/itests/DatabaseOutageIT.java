package org.groupcrm.itests;

import static org.groupcrm.itests.RestClient.obj;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.groupcrm.itests.RestClient.Response;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The database becomes unreachable (every PostgreSQL process frozen with SIGSTOP): health says DOWN with 503, API
 * calls fail fast with 503 and {@code Retry-After}, nothing answers 500; once it is back everything recovers
 * without a restart and the data written before is intact.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DatabaseOutageIT extends CrmTestSupport {

    @Configuration
    public Option[] config() {
        return crmDistribution();
    }

    @Test
    public void unreachableDatabaseIs503AndRecoversByItself() throws Exception {
        RestClient anonymous = rest();
        assertTrue(await(120, TimeUnit.SECONDS, () -> anonymous.get("/health").status() == 200));
        RestClient admin = anonymous.as(ADMIN, adminPassword());
        String code = "DB" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(201, admin.post("/subsidiaries", obj("code", code, "name", "Outage")).status());
        RestClient inSub = admin.in(code);
        long id = inSub.post("/customers", obj("name", "Before the outage")).json().path("id").asLong();

        List<Long> postgres = postgresProcesses();
        assertTrue("no PostgreSQL process found", !postgres.isEmpty());
        signal("STOP", postgres);
        try {
            assertTrue("health never reported DOWN", await(30, TimeUnit.SECONDS, () -> {
                Response h = anonymous.get("/health");
                return h.status() == 503 && "DOWN".equals(h.json().path("status").asText());
            }));
            long start = System.nanoTime();
            Response read = inSub.get("/customers/" + id);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(read.text(), 503, read.status());
            assertEquals("database_unavailable", read.json().path("error").asText());
            assertEquals("5", read.header("Retry-After"));
            assertTrue("a request took " + millis + " ms to fail", millis < 10_000);
            Response write = inSub.post("/customers", obj("name", "During the outage"));
            assertEquals(write.text(), 503, write.status());
        } finally {
            signal("CONT", postgres);
        }

        assertTrue("health did not recover", await(60, TimeUnit.SECONDS, () -> anonymous.get("/health").status() == 200));
        assertTrue(await(30, TimeUnit.SECONDS, () -> inSub.get("/customers/" + id).status() == 200));
        assertEquals("Before the outage", inSub.get("/customers/" + id).json().path("name").asText());
        assertEquals(0, inSub.get("/customers?q=During").json().path("total").asLong());
        assertEquals(201, inSub.post("/customers", obj("name", "After the outage")).status());
    }

    /** The postmaster of the embedded PostgreSQL (from its pid file under karaf.data) and all its children. */
    private static List<Long> postgresProcesses() throws IOException {
        Path pidFile = Paths.get(System.getProperty("karaf.data"), "postgresql", "postmaster.pid");
        long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        return pids;
    }

    private static void signal(String signal, List<Long> pids) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(p -> command.add(String.valueOf(p)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    }
}
