package org.groupcrm.core.internal.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;

/**
 * Whether a plugin bundle was built for the running core API: every {@code org.groupcrm.core.api} package it imports
 * must be exported by the core in a version inside the imported range. Read from the bundle's manifest before
 * anything is installed.
 */
final class ApiCompatibility {
    static final String API_PACKAGE = "org.groupcrm.core.api";

    private ApiCompatibility() {
    }

    /**
     * @param location URL of the bundle (e.g. {@code mvn:...}), openable in this framework
     * @param exported the core API packages and their versions
     * @return the reasons the bundle does not fit, empty when it does
     */
    static List<String> check(String location, Map<String, Version> exported) throws IOException {
        Manifest manifest;
        try (InputStream in = new URL(location).openStream(); JarInputStream jar = new JarInputStream(in)) {
            manifest = jar.getManifest();
        }
        if (manifest == null) {
            return List.of(location + " is not a bundle (no manifest)");
        }
        return check(location, manifest.getMainAttributes().getValue("Import-Package"), exported);
    }

    /** @return the Bundle-SymbolicName of the bundle at {@code location}, without directives */
    static String symbolicName(String location) throws IOException {
        try (InputStream in = new URL(location).openStream(); JarInputStream jar = new JarInputStream(in)) {
            Manifest m = jar.getManifest();
            String bsn = m == null ? null : m.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null) {
                throw new IOException(location + " has no Bundle-SymbolicName");
            }
            int semi = bsn.indexOf(';');
            return (semi < 0 ? bsn : bsn.substring(0, semi)).strip();
        }
    }

    static List<String> check(String location, String importPackage, Map<String, Version> exported) {
        List<String> reasons = new ArrayList<>();
        for (Map.Entry<String, String> e : coreApiImports(importPackage).entrySet()) {
            Version provided = exported.get(e.getKey());
            VersionRange range = new VersionRange(e.getValue());
            if (provided == null) {
                reasons.add(location + " imports " + e.getKey() + " " + range + ", which this core does not provide");
            } else if (!range.includes(provided)) {
                reasons.add(location + " needs core API " + e.getKey() + " " + range + " but this core provides "
                        + provided);
            }
        }
        return reasons;
    }

    /** @return the imported core API packages with their version ranges ({@code 0.0.0} when unversioned) */
    static Map<String, String> coreApiImports(String importPackage) {
        Map<String, String> result = new TreeMap<>();
        for (String clause : split(importPackage == null ? "" : importPackage, ',')) {
            List<String> parts = split(clause, ';');
            String version = "0.0.0";
            List<String> packages = new ArrayList<>();
            for (String part : parts) {
                String p = part.strip();
                int eq = p.indexOf('=');
                if (eq < 0) {
                    packages.add(p);
                } else if (p.startsWith("version") && p.substring(0, eq).strip().equals("version")) {
                    version = unquote(p.substring(eq + 1).strip());
                }
            }
            for (String pkg : packages) {
                if (pkg.equals(API_PACKAGE) || pkg.startsWith(API_PACKAGE + ".")) {
                    result.put(pkg, version);
                }
            }
        }
        return result;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Splits on {@code separator} outside double quotes. */
    static List<String> split(String header, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                if (!current.toString().isBlank()) {
                    parts.add(current.toString().strip());
                }
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.toString().isBlank()) {
            parts.add(current.toString().strip());
        }
        return parts;
    }
}
