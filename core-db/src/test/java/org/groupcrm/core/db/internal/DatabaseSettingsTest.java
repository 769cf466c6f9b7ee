package org.groupcrm.core.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.groupcrm.core.db.internal.DatabaseSettings.Mode;
import org.junit.jupiter.api.Test;

class DatabaseSettingsTest {

    private static final String KARAF_DATA = "/opt/crm/data";
    private static final String TMP = "/tmp/x";

    private static DatabaseSettings resolve(Map<String, Object> cfg, Map<String, String> env) {
        return DatabaseSettings.resolve(TestSupport.config(cfg), env, KARAF_DATA, TMP);
    }

    @Test
    void defaultsAreEmbeddedUnderKarafData() {
        DatabaseSettings s = resolve(Map.of(), Map.of());
        assertEquals(Mode.EMBEDDED, s.mode());
        assertEquals(Path.of("/opt/crm/data/postgresql"), s.dataDir());
        assertEquals("crm", s.database());
        assertEquals(0, s.embeddedPort());
        assertEquals(10, s.poolMaxSize());
        assertEquals(2000, s.connectionTimeoutMs());
        assertEquals(1000, s.validationTimeoutMs());
        assertEquals(5, s.socketTimeoutSeconds());
        assertEquals("", s.user());
        assertEquals("", s.password());
    }

    @Test
    void configuredUrlMeansExternal() {
        DatabaseSettings s = resolve(Map.of("url", "jdbc:postgresql://db:5432/crm", "user", "app",
                "password", "secret"), Map.of());
        assertEquals(Mode.EXTERNAL, s.mode());
        assertEquals("jdbc:postgresql://db:5432/crm", s.url());
        assertEquals("app", s.user());
        assertEquals("secret", s.password());
    }

    @Test
    void environmentWinsOverConfiguration() {
        DatabaseSettings s = resolve(Map.of("url", "jdbc:postgresql://cfg/crm", "user", "cfgUser",
                "password", "cfgPw"), Map.of(DatabaseSettings.ENV_URL, "jdbc:postgresql://env/crm",
                DatabaseSettings.ENV_USER, "envUser", DatabaseSettings.ENV_PASSWORD, "envPw"));
        assertEquals("jdbc:postgresql://env/crm", s.url());
        assertEquals("envUser", s.user());
        assertEquals("envPw", s.password());
    }

    @Test
    void environmentAloneSwitchesToExternal() {
        DatabaseSettings s = resolve(Map.of(), Map.of(DatabaseSettings.ENV_URL, "jdbc:postgresql://env/crm"));
        assertEquals(Mode.EXTERNAL, s.mode());
    }

    @Test
    void emptyOrBlankEnvironmentDoesNotOverride() {
        DatabaseSettings s = resolve(Map.of("url", "jdbc:postgresql://cfg/crm", "user", "cfgUser"),
                Map.of(DatabaseSettings.ENV_URL, "", DatabaseSettings.ENV_USER, "  "));
        assertEquals("jdbc:postgresql://cfg/crm", s.url());
        assertEquals("cfgUser", s.user());
        assertEquals(Mode.EMBEDDED, resolve(Map.of(), Map.of(DatabaseSettings.ENV_URL, " ")).mode());
    }

    @Test
    void overrideTrimsValues() {
        assertEquals("a", DatabaseSettings.override(Map.of("X", " a "), "X", "b"));
        assertEquals("b", DatabaseSettings.override(Map.of(), "X", " b "));
        assertEquals("", DatabaseSettings.override(Map.of(), "X", null));
    }

    @Test
    void dataDirectory() {
        assertEquals(Path.of("/opt/crm/data/postgresql"), DatabaseSettings.resolveDataDir("", KARAF_DATA, TMP));
        assertEquals(Path.of("/srv/pg"), DatabaseSettings.resolveDataDir("/srv/pg", KARAF_DATA, TMP));
        assertEquals(Path.of("/opt/crm/data/db/pg"), DatabaseSettings.resolveDataDir("db/pg", KARAF_DATA, TMP));
        // outside Karaf only: under java.io.tmpdir
        assertEquals(Path.of("/tmp/x/crm-db/postgresql"), DatabaseSettings.resolveDataDir("", null, TMP));
        assertEquals(Path.of("/tmp/x/crm-db/postgresql"), DatabaseSettings.resolveDataDir("", " ", TMP));
        DatabaseSettings s = resolve(Map.of("embedded.dataDir", "/var/lib/crm/pg"), Map.of());
        assertEquals(Path.of("/var/lib/crm/pg"), s.dataDir());
    }

    @Test
    void typedValuesAreTaken() {
        DatabaseSettings s = resolve(Map.of("embedded.port", 15432, "database", "crm_test", "pool.maxSize", 3,
                "pool.connectionTimeoutMs", 500L, "pool.validationTimeoutMs", 300L), Map.of());
        assertEquals(15432, s.embeddedPort());
        assertEquals("crm_test", s.database());
        assertEquals(3, s.poolMaxSize());
        assertEquals(500, s.connectionTimeoutMs());
        assertEquals(300, s.validationTimeoutMs());
    }

    @Test
    void invalidValuesAreRejectedNamingTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> resolve(Map.of("url", "jdbc:mysql://x/y"), Map.of())).getMessage().contains("url"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> resolve(Map.of("embedded.port", 70000), Map.of())).getMessage().contains("embedded.port"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> resolve(Map.of("database", "crm; DROP"), Map.of())).getMessage().contains("database"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> resolve(Map.of("pool.maxSize", 0), Map.of())).getMessage().contains("pool.maxSize"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> resolve(Map.of("pool.connectionTimeoutMs", 10L), Map.of()))
                .getMessage().contains("pool.connectionTimeoutMs"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> resolve(Map.of("pool.validationTimeoutMs", 10L), Map.of()))
                .getMessage().contains("pool.validationTimeoutMs"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> resolve(Map.of("pool.socketTimeoutSeconds", -1), Map.of()))
                .getMessage().contains("pool.socketTimeoutSeconds"));
    }

    @Test
    void passwordNeverShows() {
        DatabaseSettings s = resolve(Map.of("url", "jdbc:postgresql://db/crm?password=inUrl&ssl=true",
                "user", "app", "password", "s3cr3t"), Map.of());
        assertFalse(s.toString().contains("s3cr3t"), s.toString());
        assertFalse(s.toString().contains("inUrl"), s.toString());
        assertEquals("jdbc:postgresql://db/crm?PASSWORD=****&ssl=true",
                DatabaseSettings.redactUrl("jdbc:postgresql://db/crm?PASSWORD=x&ssl=true"));
    }

    @Test
    void equalityDetectsRelevantChanges() {
        assertEquals(resolve(Map.of(), Map.of()), resolve(Map.of(), Map.of()));
        assertNotEquals(resolve(Map.of(), Map.of()), resolve(Map.of("pool.maxSize", 5), Map.of()));
        assertNotEquals(resolve(Map.of("url", "jdbc:postgresql://a/b", "password", "1"), Map.of()),
                resolve(Map.of("url", "jdbc:postgresql://a/b", "password", "2"), Map.of()));
    }
}
