package org.groupcrm.core.internal.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@link DeploymentPlan}: reading the plan Karaf's deployer prints for a simulated feature change. */
class DeploymentPlanTest {

    /** As printed for an upgrade of the memo test plugin from 1.0.0 to 1.1.0. */
    private static final List<String> UPGRADE = List.of(
            "Adding features: crm-plugin-memo/[1.1.0,1.1.0]",
            "Removing features: crm-plugin-memo/[1.0.0,1.0.0]",
            "Changes to perform:",
            "  Region: root",
            "    Bundles to uninstall:",
            "      org.groupcrm.itests.memo/1.0.0",
            "    Bundles to install:",
            "      mvn:org.groupcrm/crm-itest-memo-plugin-v2/0.1.0-SNAPSHOT",
            "  Bundles to refresh:",
            "    org.groupcrm.itests.memo/1.0.0 (Bundle will be uninstalled)",
            "    org.groupcrm.core.impl/0.1.0.2026 (Should be wired to: liquibase-core/4.33.0 (through [...]))");

    @Test
    void sectionsHoldTheirIndentedItems() {
        DeploymentPlan plan = DeploymentPlan.parse(UPGRADE);
        assertEquals(List.of("org.groupcrm.itests.memo/1.0.0"), plan.section("bundles to uninstall"));
        assertEquals(List.of("mvn:org.groupcrm/crm-itest-memo-plugin-v2/0.1.0-SNAPSHOT"), plan.section("bundles to install"));
        assertEquals(2, plan.section(DeploymentPlan.REFRESH).size());
        assertTrue(plan.section("bundles to update").isEmpty());
        assertEquals(UPGRADE.size(), plan.lines().size());
    }

    @Test
    void refreshedBundlesAreNamedBySymbolicName() {
        assertEquals(List.of("org.groupcrm.itests.memo", "org.groupcrm.core.impl"),
                DeploymentPlan.parse(UPGRADE).refreshedSymbolicNames());
    }

    @Test
    void aPlanWithoutRefreshHasNone() {
        DeploymentPlan plan = DeploymentPlan.parse(List.of("Changes to perform:", "  Region: root",
                "    Bundles to install:", "      mvn:a/b/1", "", "Installing bundles:", "  mvn:a/b/1"));
        assertTrue(plan.refreshedSymbolicNames().isEmpty());
        assertEquals(List.of("mvn:a/b/1"), plan.section("bundles to install"));
    }

    @Test
    void nothingPrintedMeansAnEmptyPlan() {
        DeploymentPlan plan = DeploymentPlan.parse(List.of());
        assertTrue(plan.lines().isEmpty());
        assertTrue(plan.sections().isEmpty());
    }
}
