package org.groupcrm.core.db.internal;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Helpers shared by the tests. */
final class TestSupport {

    /** All test clusters live under target/pg-it; the binaries are extracted once into postgresql-bin. */
    static final Path ROOT = Path.of("target", "pg-it").toAbsolutePath();
    static final Path BIN_DIR = ROOT.resolve("postgresql-bin");

    private TestSupport() {
    }

    /** An empty folder {@code target/pg-it/<name>}; a postmaster left there by an earlier run is stopped. */
    static Path freshDir(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        if (Files.exists(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> p.getFileName().toString().equals(PostmasterPidFile.FILE_NAME)).forEach(p -> {
                    try {
                        Optional<PostmasterPidFile> f = PostmasterPidFile.read(p.getParent());
                        if (f.isPresent() && OrphanGuard.decide(f, p.getParent(), false, ProcessInspector.LIVE)
                                == OrphanGuard.Verdict.ORPHAN) {
                            OrphanGuard.stop(f.get().pid(), Duration.ofSeconds(10), ProcessInspector.LIVE);
                        }
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
            }
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        return dir;
    }

    static EmbeddedPostgresManager.Options options(Path dataDir) {
        return EmbeddedPostgresManager.Options.forDataDir(dataDir).binDir(BIN_DIR);
    }

    /**
     * A {@link DatabaseConfig} as SCR would build it from configuration properties (keys with dots:
     * {@code pool.maxSize}); missing keys give the annotation's defaults.
     */
    static DatabaseConfig config(Map<String, Object> props) {
        return (DatabaseConfig) Proxy.newProxyInstance(DatabaseConfig.class.getClassLoader(),
                new Class<?>[] {DatabaseConfig.class}, (proxy, method, args) -> {
                    String key = method.getName().replace('_', '.');
                    if (props.containsKey(key)) {
                        return props.get(key);
                    }
                    if (method.getDefaultValue() != null) {
                        return method.getDefaultValue();
                    }
                    switch (method.getName()) {
                        case "annotationType":
                            return DatabaseConfig.class;
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "DatabaseConfig" + props;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
