package org.groupcrm.core.db.internal;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The effective database settings: configuration, environment overrides and defaults resolved into one
 * immutable value. Pure: the environment and the system properties it needs are passed in.
 */
final class DatabaseSettings {

    static final String PID = "org.groupcrm.database";

    static final String ENV_URL = "CRM_DB_URL";
    static final String ENV_USER = "CRM_DB_USER";
    static final String ENV_PASSWORD = "CRM_DB_PASSWORD";

    /** Folder name of the default data directory under {@code karaf.data}. */
    static final String DEFAULT_DATA_DIR_NAME = "postgresql";

    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)(password=)[^&;]*");

    enum Mode {
        EMBEDDED, EXTERNAL;

        String propertyValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Mode mode;
    private final String url;
    private final String user;
    private final String password;
    private final int embeddedPort;
    private final Path dataDir;
    private final String database;
    private final int poolMaxSize;
    private final long connectionTimeoutMs;
    private final long validationTimeoutMs;
    private final int socketTimeoutSeconds;

    private DatabaseSettings(Mode mode, String url, String user, String password, int embeddedPort, Path dataDir,
                             String database, int poolMaxSize, long connectionTimeoutMs, long validationTimeoutMs,
                             int socketTimeoutSeconds) {
        this.mode = mode;
        this.url = url;
        this.user = user;
        this.password = password;
        this.embeddedPort = embeddedPort;
        this.dataDir = dataDir;
        this.database = database;
        this.poolMaxSize = poolMaxSize;
        this.connectionTimeoutMs = connectionTimeoutMs;
        this.validationTimeoutMs = validationTimeoutMs;
        this.socketTimeoutSeconds = socketTimeoutSeconds;
    }

    /**
     * Resolves the effective settings.
     *
     * @param cfg       the typed configuration (defaults apply when there is no configuration)
     * @param env       the process environment ({@code System.getenv()} in production)
     * @param karafData the system property {@code karaf.data}, may be null (outside Karaf)
     * @param tmpDir    the system property {@code java.io.tmpdir}, used only when {@code karafData} is unset
     * @throws IllegalArgumentException on an invalid value, naming the key
     */
    static DatabaseSettings resolve(DatabaseConfig cfg, Map<String, String> env, String karafData, String tmpDir) {
        String url = override(env, ENV_URL, cfg.url());
        String user = override(env, ENV_USER, cfg.user());
        String password = override(env, ENV_PASSWORD, cfg.password());
        Mode mode = url.isEmpty() ? Mode.EMBEDDED : Mode.EXTERNAL;

        if (mode == Mode.EXTERNAL && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("url must be a jdbc:postgresql: URL, got " + redactUrl(url));
        }
        int port = cfg.embedded_port();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("embedded.port must be 0..65535, got " + port);
        }
        String database = trim(cfg.database());
        if (mode == Mode.EMBEDDED && !DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException(
                    "database must match " + DATABASE_NAME.pattern() + ", got '" + database + "'");
        }
        if (cfg.pool_maxSize() < 1) {
            throw new IllegalArgumentException("pool.maxSize must be >= 1, got " + cfg.pool_maxSize());
        }
        if (cfg.pool_connectionTimeoutMs() < 250) {
            throw new IllegalArgumentException(
                    "pool.connectionTimeoutMs must be >= 250, got " + cfg.pool_connectionTimeoutMs());
        }
        if (cfg.pool_validationTimeoutMs() < 250) {
            throw new IllegalArgumentException(
                    "pool.validationTimeoutMs must be >= 250, got " + cfg.pool_validationTimeoutMs());
        }
        if (cfg.pool_socketTimeoutSeconds() < 0) {
            throw new IllegalArgumentException(
                    "pool.socketTimeoutSeconds must be >= 0 (0: no limit), got " + cfg.pool_socketTimeoutSeconds());
        }
        Path dataDir = resolveDataDir(trim(cfg.embedded_dataDir()), karafData, tmpDir);
        return new DatabaseSettings(mode, url, user, password, port, dataDir, database, cfg.pool_maxSize(),
                cfg.pool_connectionTimeoutMs(), cfg.pool_validationTimeoutMs(), cfg.pool_socketTimeoutSeconds());
    }

    /** The environment variable wins when it is set and not blank; otherwise the configured value (trimmed). */
    static String override(Map<String, String> env, String variable, String configured) {
        String fromEnv = trim(env.get(variable));
        return fromEnv.isEmpty() ? trim(configured) : fromEnv;
    }

    /**
     * {@code configured} if set (relative paths against the base), else {@code ${karaf.data}/postgresql};
     * outside Karaf (no karaf.data) {@code ${java.io.tmpdir}/crm-db/postgresql}.
     */
    static Path resolveDataDir(String configured, String karafData, String tmpDir) {
        Path base = notBlank(karafData)
                ? Path.of(karafData)
                : Path.of(notBlank(tmpDir) ? tmpDir : ".", "crm-db");
        Path dir = configured.isEmpty() ? base.resolve(DEFAULT_DATA_DIR_NAME) : base.resolve(configured);
        return dir.toAbsolutePath().normalize();
    }

    /** The URL with any {@code password=} parameter masked, fit for logs. */
    static String redactUrl(String url) {
        return url == null ? null : URL_PASSWORD.matcher(url).replaceAll("$1****");
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    Mode mode() {
        return mode;
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    int embeddedPort() {
        return embeddedPort;
    }

    Path dataDir() {
        return dataDir;
    }

    String database() {
        return database;
    }

    int poolMaxSize() {
        return poolMaxSize;
    }

    long connectionTimeoutMs() {
        return connectionTimeoutMs;
    }

    long validationTimeoutMs() {
        return validationTimeoutMs;
    }

    /**
     * How long a pooled connection waits for the database to answer before the driver gives it up (0: no limit).
     * An external URL that sets {@code socketTimeout} itself keeps its own value.
     */
    int socketTimeoutSeconds() {
        return socketTimeoutSeconds;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DatabaseSettings)) {
            return false;
        }
        DatabaseSettings that = (DatabaseSettings) o;
        return embeddedPort == that.embeddedPort && poolMaxSize == that.poolMaxSize
                && connectionTimeoutMs == that.connectionTimeoutMs && validationTimeoutMs == that.validationTimeoutMs
                && socketTimeoutSeconds == that.socketTimeoutSeconds
                && mode == that.mode && url.equals(that.url) && user.equals(that.user)
                && password.equals(that.password) && dataDir.equals(that.dataDir) && database.equals(that.database);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, url, user, embeddedPort, dataDir, database, poolMaxSize, connectionTimeoutMs,
                validationTimeoutMs, socketTimeoutSeconds);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return mode == Mode.EMBEDDED
                ? "embedded PostgreSQL, data " + dataDir + ", database " + database
                + (embeddedPort == 0 ? ", free port" : ", port " + embeddedPort) + poolText()
                : "external PostgreSQL " + redactUrl(url) + (user.isEmpty() ? "" : " as " + user) + poolText();
    }

    private String poolText() {
        return ", pool max " + poolMaxSize + ", connection timeout " + connectionTimeoutMs + " ms"
                + (socketTimeoutSeconds == 0 ? ", no socket timeout" : ", socket timeout " + socketTimeoutSeconds + " s");
    }
}
