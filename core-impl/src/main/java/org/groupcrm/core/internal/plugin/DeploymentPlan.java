package org.groupcrm.core.internal.plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan Karaf's deployer prints for a simulated feature operation, by section: "Bundles to install:", "Bundles to
 * update:", "Bundles to uninstall:", "Bundles to refresh:" (each item one indented line under its header).
 *
 * @param lines    every line, as printed
 * @param sections header (without the colon, lower case) → items
 */
record DeploymentPlan(List<String> lines, Map<String, List<String>> sections) {
    static final String REFRESH = "bundles to refresh";

    static DeploymentPlan parse(List<String> lines) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        String header = null;
        int headerIndent = -1;
        for (String line : lines) {
            if (line == null || line.isBlank()) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            String text = line.strip();
            if (header != null && indent > headerIndent) {
                sections.computeIfAbsent(header, k -> new ArrayList<>()).add(text);
                continue;
            }
            header = null;
            if (text.endsWith(":") && text.toLowerCase().startsWith("bundles to ")) {
                header = text.substring(0, text.length() - 1).toLowerCase();
                headerIndent = indent;
                sections.computeIfAbsent(header, k -> new ArrayList<>());
            }
        }
        sections.replaceAll((k, v) -> List.copyOf(v));
        return new DeploymentPlan(List.copyOf(lines), Map.copyOf(sections));
    }

    List<String> section(String name) {
        return sections.getOrDefault(name, List.of());
    }

    /** @return symbolic names of the bundles that would be refreshed */
    List<String> refreshedSymbolicNames() {
        List<String> names = new ArrayList<>();
        for (String item : section(REFRESH)) {
            int slash = item.indexOf('/');
            int space = item.indexOf(' ');
            int end = slash >= 0 ? slash : space >= 0 ? space : item.length();
            names.add(item.substring(0, end));
        }
        return names;
    }
}
