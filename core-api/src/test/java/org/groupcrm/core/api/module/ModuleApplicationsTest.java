package org.groupcrm.core.api.module;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Dictionary;

import org.junit.jupiter.api.Test;

/** {@link ModuleApplications}: the service properties that tie a JAX-RS application to its module. */
class ModuleApplicationsTest {

    @Test
    void theApplicationLivesUnderTheModuleIdAndRequiresTheCrmExtensions() {
        Dictionary<String, Object> p = ModuleApplications.properties("pipeline");
        assertEquals("api/v1/pipeline", p.get("osgi.jaxrs.application.base"));
        assertEquals("pipeline", p.get(CrmModule.MODULE_PROPERTY));
        assertEquals("crm-module-pipeline", p.get("osgi.jaxrs.name"));
        assertArrayEquals(new String[] {CrmModule.JSON_EXTENSION, CrmModule.AUTHENTICATION_EXTENSION,
                CrmModule.GATE_EXTENSION}, (String[]) p.get("osgi.jaxrs.extension.select"));
    }

    @Test
    void aMissingOrPathLikeIdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModuleApplications.properties(null));
        assertThrows(IllegalArgumentException.class, () -> ModuleApplications.properties(" "));
        assertThrows(IllegalArgumentException.class, () -> ModuleApplications.properties("a/b"));
    }
}
