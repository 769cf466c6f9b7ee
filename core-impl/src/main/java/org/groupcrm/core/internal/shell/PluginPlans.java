package org.groupcrm.core.internal.shell;

import java.util.List;

import org.groupcrm.core.internal.plugin.PluginPlanDTO;

/** Prints a plugin plan for the shell. */
final class PluginPlans {
    private PluginPlans() {
    }

    static void print(PluginPlanDTO p) {
        System.out.println((p.dryRun ? "Plan: " : "Done: ") + p.action + " " + p.feature
                + (p.fromVersion == null ? "" : " from " + p.fromVersion) + (p.toVersion == null ? "" : " to " + p.toVersion)
                + " (" + p.millis + " ms)" + (p.dryRun ? (p.allowed ? " - allowed" : " - REFUSED") : ""));
        section("Bundles to install", p.bundlesToInstall);
        section("Bundles to update", p.bundlesToUpdate);
        section("Bundles to uninstall", p.bundlesToUninstall);
        section("Bundles to refresh", p.bundlesToRefresh);
        section("Refused because", p.reasons);
    }

    private static void section(String title, List<String> items) {
        if (items != null && !items.isEmpty()) {
            System.out.println("  " + title + ":");
            items.forEach(i -> System.out.println("    " + i));
        }
    }
}
