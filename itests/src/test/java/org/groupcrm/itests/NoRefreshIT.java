package org.groupcrm.itests;

import static org.groupcrm.itests.RestClient.obj;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Installing and uninstalling an unrelated feature, with Karaf's default auto-refresh, must neither refresh nor
 * restart any CRM or JPA bundle, and the core API must answer every request meanwhile.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class NoRefreshIT extends CrmTestSupport {
    private static final String FEATURE = "crm-itest-trivial";
    private static final String TRIVIAL_BSN = "org.groupcrm.itest.trivial";

    @Inject
    BundleContext context;

    @Inject
    FeaturesService features;

    @Configuration
    public Option[] config() {
        return crmDistribution();
    }

    @Test
    public void featureInstallAndUninstallLeaveTheCoreAlone() throws Exception {
        RestClient anonymous = rest();
        assertTrue(await(120, TimeUnit.SECONDS, () -> anonymous.get("/health").status() == 200));
        RestClient admin = anonymous.as(ADMIN, adminPassword());
        String code = "NR" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(201, admin.post("/subsidiaries", obj("code", code, "name", "No refresh")).status());
        RestClient inSub = admin.in(code);
        assertEquals(201, inSub.post("/customers", obj("name", "Always there")).status());

        Map<Long, Long> lastModified = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            lastModified.put(b.getBundleId(), b.getLastModified());
        }
        List<String> disturbed = new CopyOnWriteArrayList<>();
        SynchronousBundleListener listener = e -> {
            boolean ours = TRIVIAL_BSN.equals(e.getBundle().getSymbolicName());
            if (!ours && EnumSet.of(Kind.STOPPING, Kind.STOPPED, Kind.UNRESOLVED, Kind.UPDATED).contains(Kind.of(e.getType()))) {
                disturbed.add(e.getBundle().getSymbolicName() + " " + Kind.of(e.getType()));
            }
        };
        context.addBundleListener(listener);

        AtomicBoolean polling = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                try {
                    RestClient.Response r = inSub.get("/customers?size=1");
                    if (r.status() == 200 && r.json().path("total").asLong() == 1) {
                        ok.incrementAndGet();
                    } else {
                        failures.add(r.toString());
                    }
                } catch (RuntimeException e) {
                    failures.add(e.toString());
                }
            }
        }, "core-poller");
        poller.start();
        try {
            Path bundle = trivialBundle();
            Path repo = Files.createTempFile("crm-itest-feature", ".xml");
            Files.writeString(repo, "<features name='" + FEATURE + "' xmlns='http://karaf.apache.org/xmlns/features/v1.6.0'>"
                    + "<feature name='" + FEATURE + "' version='1.0.0'>"
                    + "<bundle>" + bundle.toUri() + "</bundle></feature></features>");
            URI uri = repo.toUri();
            features.addRepository(uri);
            for (int i = 0; i < 3; i++) {
                features.installFeature(FEATURE);
                assertTrue(features.isInstalled(features.getFeature(FEATURE)));
                features.uninstallFeature(FEATURE);
            }
            features.removeRepository(uri);
            int before = ok.get();
            assertTrue(await(10, TimeUnit.SECONDS, () -> ok.get() > before));
        } finally {
            polling.set(false);
            poller.join(10_000);
            context.removeBundleListener(listener);
        }

        assertEquals("core requests failed during feature operations", List.of(), failures);
        assertEquals("core bundles were stopped or refreshed: " + disturbed, List.of(), disturbed);
        assertTrue("the poller made too few requests: " + ok.get(), ok.get() >= 10);
        List<String> changed = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            Long before = lastModified.get(b.getBundleId());
            if (before != null && before != b.getLastModified()) {
                changed.add(b.getSymbolicName());
            }
        }
        assertEquals("bundles updated", List.of(), changed);
    }

    /** A bundle with nothing in it but a manifest that exports one package of its own. */
    private static Path trivialBundle() throws IOException {
        Path jar = Files.createTempFile("crm-itest-trivial", ".jar");
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.putValue("Manifest-Version", "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", TRIVIAL_BSN);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Export-Package", TRIVIAL_BSN + ";version=\"1.0.0\"");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            out.putNextEntry(new JarEntry("org/groupcrm/itest/trivial/"));
            out.closeEntry();
        }
        return jar;
    }

    /** Names of the bundle event types this test watches. */
    enum Kind {
        STOPPING(BundleEvent.STOPPING), STOPPED(BundleEvent.STOPPED), UNRESOLVED(BundleEvent.UNRESOLVED),
        UPDATED(BundleEvent.UPDATED), OTHER(0);

        private final int type;

        Kind(int type) {
            this.type = type;
        }

        static Kind of(int type) {
            for (Kind k : values()) {
                if (k.type == type) {
                    return k;
                }
            }
            return OTHER;
        }
    }
}
