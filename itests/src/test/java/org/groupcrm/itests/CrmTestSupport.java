package org.groupcrm.itests;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.extra.VMOption;

/**
 * Boots the built CRM distribution (its real features and embedded PostgreSQL) in Pax Exam on free ports, and
 * gives the tests an HTTP client for its REST API. Subclasses run with {@code PerClass}: one boot per class.
 */
public abstract class CrmTestSupport {
    public static final String ADMIN = "admin";

    /** Pax Exam configuration; runs in the test JVM. */
    public static Option[] crmDistribution() {
        String distribution = System.getProperty("crm.distribution");
        String karafVersion = System.getProperty("karaf.version");
        int http = freePort();
        List<Option> options = new ArrayList<>();
        Collections.addAll(options,
                karafDistributionConfiguration()
                        .frameworkUrl(new File(distribution).toURI().toString())
                        .name("CRM").unpackDirectory(new File("target/exam")).useDeployFolder(false),
                configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
                logLevel(LogLevel.INFO),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(http)),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(freePort())),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(freePort())),
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories",
                        "https://repo1.maven.org/maven2@id=central"),
                editConfigurationFilePut("etc/system.properties", "crm.itest.http.port", String.valueOf(http)),
                // Pax Exam appends its own features (its remote bundle context, extender and JUnit invoker) to the
                // boot features; with the CRM's boot features as a first stage they are installed only once the
                // CRM has fully started, so the probe never races the boot (a probe that did could lose its
                // invoker for good: every test of the class then "gave up waiting for service ProbeInvoker")
                editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "featuresBoot",
                        "(" + bootFeatures(distribution) + ")"),
                systemProperty("crm.itest.http.port").value(String.valueOf(http)),
                systemProperty("crm.itest.admin.password").value(System.getProperty("crm.itest.admin.password")),
                // the probe waits this long for Pax Exam's invoker, which the container installs with the boot features:
                // the default 10 s is shorter than a boot on a loaded machine ("gave up waiting for ProbeInvokerFactory")
                systemProperty("org.ops4j.pax.exam.raw.extender.intern.Parser.DEFAULT_TIMEOUT").value("300000"),
                // and the invoker factory waits as long for Pax Exam's injector (10 s by default)
                systemProperty("org.ops4j.pax.exam.invoker.junit.internal.JUnitProbeInvokerFactory.DEFAULT_TIMEOUT")
                        .value("300000"),
                systemProperty("crm.itest.memo.features").value(System.getProperty("crm.itest.memo.features", "")),
                new VMOption("-Djdk.util.zip.disableZip64ExtraFieldValidation=true"),
                new VMOption("--add-reads=java.xml=java.logging"),
                new VMOption("--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED"),
                new VMOption("--patch-module"),
                new VMOption("java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar"),
                new VMOption("--patch-module"),
                new VMOption("java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar"),
                new VMOption("--add-opens"), new VMOption("java.base/java.security=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.base/java.net=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.base/java.lang=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.base/java.util=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.naming/javax.naming.spi=ALL-UNNAMED"),
                new VMOption("--add-opens"), new VMOption("java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED"),
                new VMOption("--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED"),
                new VMOption("--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED"),
                new VMOption("--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED"),
                new VMOption("-classpath"),
                new VMOption("lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*"));
        if (Boolean.getBoolean("crm.itest.keep")) {
            options.add(keepRuntimeFolder());
        }
        return options.toArray(new Option[0]);
    }

    /**
     * The boot features of the built distribution, read from its assembly folder next to the archive.
     */
    static String bootFeatures(String distribution) {
        File cfg = new File(new File(distribution).getParentFile(), "assembly/etc/org.apache.karaf.features.cfg");
        Properties features = new Properties();
        try (InputStream in = new FileInputStream(cfg)) {
            features.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the distribution's boot features from " + cfg
                    + " (build karaf-distribution first)", e);
        }
        String boot = features.getProperty("featuresBoot", "").trim();
        if (boot.isEmpty() || boot.contains("(")) {
            throw new IllegalStateException("unexpected featuresBoot in " + cfg + ": '" + boot + "'");
        }
        return boot;
    }

    /** Ports handed out in this JVM: each container gets ports no other container of the run was given. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A listening port for a container, below the kernel's ephemeral range (32768-60999 on Linux) and away from
     * Pax Exam's RMI ports (21000-21099). A port taken from the ephemeral range with {@code new ServerSocket(0)} is
     * only free at that moment: before the container binds it, the embedded PostgreSQL (which takes a free port of
     * that range at each start) or any outgoing connection can be given it, and the HTTP service then fails to bind
     * while requests reach PostgreSQL, which closes them unanswered ("Unexpected end of file from server").
     */
    static int freePort() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(22000, 32000);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket(port)) {
                return port;
            } catch (IOException inUse) {
                // taken by another process: try another
            }
        }
        throw new IllegalStateException("no free port in 22000-32000 after 1000 attempts");
    }

    /** Runs a Karaf shell command in a session of its own; returns what it printed, or the error it failed with. */
    protected static String shell(SessionFactory sessions, String command) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        Session session = sessions.create(new ByteArrayInputStream(new byte[0]), print, print);
        try {
            Object result = session.execute(command);
            if (result != null) {
                print.println(result);
            }
        } catch (Exception e) {
            print.println(e.getMessage());
        } finally {
            print.flush();
            session.close();
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** HTTP client on the booted CRM; usable inside the container. */
    protected static RestClient rest() {
        return new RestClient("http://127.0.0.1:" + System.getProperty("crm.itest.http.port") + "/api/v1");
    }

    protected static String adminPassword() {
        return System.getProperty("crm.itest.admin.password");
    }

    /** Polls {@code condition} every 100 ms until it holds or {@code timeout} passes. */
    protected static boolean await(long timeout, TimeUnit unit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (RuntimeException retry) {
                // not ready yet: poll again
            }
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return condition.getAsBoolean();
    }
}
