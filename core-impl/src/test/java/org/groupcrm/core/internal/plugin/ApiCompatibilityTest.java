package org.groupcrm.core.internal.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

/** {@link ApiCompatibility}: a plugin's core API imports against the packages the core exports. */
class ApiCompatibilityTest {
    private static final Map<String, Version> CORE = Map.of(
            "org.groupcrm.core.api", Version.parseVersion("1.0.0"),
            "org.groupcrm.core.api.module", Version.parseVersion("1.1.0"));

    @Test
    void importsAreReadWithQuotedRangesAndSharedAttributes() {
        Map<String, String> imports = ApiCompatibility.coreApiImports("javax.sql,org.groupcrm.core.api;"
                + "org.groupcrm.core.api.module;version=\"[1.1,2)\",org.osgi.framework;version=\"[1.10,2)\","
                + "org.groupcrm.core.api.customer,org.groupcrm.core.apix;version=\"[9,10)\"");
        assertEquals(Map.of("org.groupcrm.core.api", "[1.1,2)", "org.groupcrm.core.api.module", "[1.1,2)",
                "org.groupcrm.core.api.customer", "0.0.0"), imports);
    }

    @Test
    void aBundleBuiltForThisCoreFits() {
        assertTrue(ApiCompatibility.check("mvn:x", "org.groupcrm.core.api;version=\"[1.0,2)\","
                + "org.groupcrm.core.api.module;version=\"[1.1,2)\",javax.ws.rs", CORE).isEmpty());
        assertTrue(ApiCompatibility.check("mvn:x", null, CORE).isEmpty());
    }

    @Test
    void aNewerOrOlderMajorIsRefusedNamingPackageAndVersions() {
        List<String> reasons = ApiCompatibility.check("mvn:x", "org.groupcrm.core.api;version=\"[2.0,3)\"", CORE);
        assertEquals(List.of("mvn:x needs core API org.groupcrm.core.api [2.0.0,3.0.0) but this core provides 1.0.0"),
                reasons);
        assertEquals(1, ApiCompatibility.check("mvn:x", "org.groupcrm.core.api.module;version=\"[1.2,2)\"", CORE).size());
    }

    @Test
    void aPackageTheCoreDoesNotHaveIsRefused() {
        List<String> reasons = ApiCompatibility.check("mvn:x", "org.groupcrm.core.api.billing;version=\"[1.0,2)\"", CORE);
        assertEquals(1, reasons.size());
        assertTrue(reasons.get(0).contains("does not provide"), reasons.get(0));
    }

    @Test
    void separatorsInsideQuotesDoNotSplit() {
        assertEquals(List.of("a;version=\"[1,2)\"", "b"), ApiCompatibility.split("a;version=\"[1,2)\",b", ','));
    }
}
