package org.groupcrm.core.api.module;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.groupcrm.core.api.user.Right;
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

    @Test
    void resourceTypesMustBelongToTheModule() {
        ResourceType opportunity = new ResourceType("pipeline.opportunity", "Opportunity",
                Map.of("user", Set.of(Right.ENTER, Right.QUERY)));
        CrmModule m = new AbstractCrmModule("pipeline", "Pipeline", "1.0.0", "Funnel", Set.of(), "[1.0,2)",
                List.of(opportunity)) {
        };
        assertEquals(List.of(opportunity), m.resourceTypes());
        assertEquals(List.of(), module("pipeline", Set.of()).resourceTypes());
        assertThrows(IllegalArgumentException.class, () -> new AbstractCrmModule("pipeline", "Pipeline", "1.0.0",
                "Funnel", Set.of(), "[1.0,2)", List.of(new ResourceType("service.ticket", "Ticket", Map.of()))) {
        });
    }

    @Test
    void resourceTypeIdsAreModuleDotType() {
        for (String id : new String[] {null, "opportunity", "Pipeline.deal", "pipeline.", "pipeline.deal.x"}) {
            assertThrows(IllegalArgumentException.class, () -> new ResourceType(id, "x", Map.of()), String.valueOf(id));
        }
        assertEquals(Map.of(), new ResourceType("pipeline.deal", "Deal", null).defaultGrants());
    }

    @Test
    void defaultGrantsNamePositionsTheCoreKnows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ResourceType("pipeline.deal", "Deal", Map.of("sales-rep", Set.of(Right.QUERY))));
        assertTrue(e.getMessage().contains("'sales-rep', which is not a position"), e.getMessage());
        assertEquals(Set.of(Right.QUERY), new ResourceType("pipeline.deal", "Deal",
                Map.of("finance", Set.of(Right.QUERY))).defaultGrants().get("finance"));
    }
}
