package org.groupcrm.core.internal.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Version;

/** Compatibility of a module's core API range, and the module id of an application base path. */
class ModuleRegistryTest {
    private static final Version API = Version.parseVersion("1.0.0");

    @Test
    void rangesAreCheckedAgainstTheRunningApi() {
        assertTrue(ModuleRegistry.compatible("[1.0,2)", API));
        assertTrue(ModuleRegistry.compatible("1.0", API));
        assertFalse(ModuleRegistry.compatible("[2.0,3)", API));
        assertFalse(ModuleRegistry.compatible("[0.9,1.0)", API));
        assertFalse(ModuleRegistry.compatible("not a range", API));
        assertFalse(ModuleRegistry.compatible(null, API));
    }

    @Test
    void gateReadsTheModuleFromTheBasePath() {
        assertEquals(Optional.of("pipeline"), ModuleGate.moduleOf("/api/v1/pipeline/"));
        assertEquals(Optional.of("pipeline"), ModuleGate.moduleOf("/api/v1/pipeline"));
        assertEquals(Optional.empty(), ModuleGate.moduleOf("/api/v1/"));
        assertEquals(Optional.empty(), ModuleGate.moduleOf("/other/"));
        assertEquals(Optional.empty(), ModuleGate.moduleOf(null));
    }
}
