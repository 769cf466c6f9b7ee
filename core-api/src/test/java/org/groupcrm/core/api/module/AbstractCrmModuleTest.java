package org.groupcrm.core.api.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** {@link AbstractCrmModule}: the descriptive values a module author passes once. */
class AbstractCrmModuleTest {

    private static CrmModule module(String id, Set<String> requires) {
        return new AbstractCrmModule(id, "Pipeline", "1.0.0", "Opportunities and funnel", requires, "[1.0,2)") {
        };
    }

    @Test
    void keepsWhatItIsGivenAndCopiesRequires() {
        Set<String> requires = new HashSet<>(Set.of("core-extra"));
        CrmModule m = module("pipeline", requires);
        requires.add("later");
        assertEquals("pipeline", m.id());
        assertEquals(Set.of("core-extra"), m.requires());
        assertEquals("[1.0,2)", m.coreApiRange());
    }

    @Test
    void refusesMalformedIds() {
        for (String id : new String[] {null, "", "P", "Pipeline", "pipe line", "-pipe", "a".repeat(41)}) {
            assertThrows(IllegalArgumentException.class, () -> module(id, Set.of()), String.valueOf(id));
        }
    }

    @Test
    void provisioningDoesNothingByDefault() {
        CrmModule m = module("pipeline", Set.of());
        m.provision("SH");
        m.deprovision("SH");
        assertEquals("pipeline", m.id());
    }
}
