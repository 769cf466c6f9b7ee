package org.groupcrm.core.db.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The DS component against a recording BundleContext: registration, properties, order, external mode. */
class DatabaseComponentTest {

    /** What the component registered; {@code unregistered} flips on unregister. */
    static final class Registration {
        final Object service;
        final Dictionary<String, ?> properties;
        boolean unregistered;

        Registration(Object service, Dictionary<String, ?> properties) {
            this.service = service;
            this.properties = properties;
        }
    }

    private final List<Registration> registrations = new ArrayList<>();

    private BundleContext bundleContext() {
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        @SuppressWarnings("unchecked")
                        Registration r = new Registration(args[1], (Dictionary<String, ?>) args[2]);
                        registrations.add(r);
                        return Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class}, (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        r.unregistered = true;
                                        return null;
                                    }
                                    throw new UnsupportedOperationException(m.getName());
                                });
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void embeddedModeRegistersTheDataSourceWhileRunning() throws Exception {
        Path dataDir = TestSupport.freshDir("component").resolve("postgresql");
        DatabaseComponent component = new DatabaseComponent(Map.of());
        component.activate(bundleContext(), TestSupport.config(Map.of("embedded.dataDir", dataDir.toString(),
                "database", "crm_component")));
        try {
            assertEquals(1, registrations.size());
            Registration r = registrations.get(0);
            assertEquals("crm", r.properties.get("osgi.jndi.service.name"));
            assertEquals("crm", r.properties.get("dataSourceName"));
            assertEquals("embedded", r.properties.get("crm.database.mode"));
            try (Connection c = ((DataSource) r.service).getConnection()) {
                assertEquals("crm_component", c.getCatalog());
            }

            // a configuration update without a relevant change does not restart anything
            component.modified(TestSupport.config(Map.of("embedded.dataDir", dataDir.toString(),
                    "database", "crm_component")));
            assertEquals(1, registrations.size());
            assertFalse(r.unregistered);
        } finally {
            component.deactivate();
        }
        assertTrue(registrations.get(0).unregistered);
        assertFalse(Files.exists(dataDir.resolve(PostmasterPidFile.FILE_NAME)), "PostgreSQL stopped");
        assertThrows(SQLException.class, () -> ((DataSource) registrations.get(0).service).getConnection(),
                "pool closed");
    }

    /**
     * A statement the database does not answer within the socket timeout fails with a connection error (SQLState
     * 08006, which requests answer with 503) instead of holding its thread; the pool replaces the connection, and
     * long work that lifts the limit on its own connection still runs to the end.
     */
    @Test
    void unansweredStatementFailsAfterTheSocketTimeoutAndThePoolRecovers() throws Exception {
        Path dataDir = TestSupport.freshDir("socket-timeout").resolve("postgresql");
        DatabaseComponent component = new DatabaseComponent(Map.of());
        component.activate(bundleContext(), TestSupport.config(Map.of("embedded.dataDir", dataDir.toString(),
                "database", "crm_timeout", "pool.socketTimeoutSeconds", 1)));
        try {
            DataSource ds = (DataSource) registrations.get(0).service;
            long t0 = System.nanoTime();
            SQLException e;
            try (Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
                e = assertThrows(SQLException.class, () -> st.execute("select pg_sleep(4)"));
            }
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("08006", e.getSQLState(), e.toString());
            assertTrue(waitedMs < 3000, "given up after the 1 s socket timeout, waited " + waitedMs + " ms");

            try (Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement();
                 java.sql.ResultSet rs = st.executeQuery("select 42")) {
                assertTrue(rs.next());
                assertEquals(42, rs.getInt(1), "the pool hands out a working connection again");
            }
            try (Connection c = ds.getConnection(); java.sql.Statement st = c.createStatement()) {
                c.setNetworkTimeout(Runnable::run, 0);
                st.execute("select pg_sleep(1.5)"); // longer than the pool's limit, on a connection that lifted it
            }
            try (Connection c = ds.getConnection()) {
                assertEquals(1000, c.getNetworkTimeout(), "the pool restores the limit of a returned connection");
            }
        } finally {
            component.deactivate();
        }
    }

    @Test
    void socketTimeoutOfAnExternalUrlIsKept() {
        DatabaseSettings s = DatabaseSettings.resolve(TestSupport.config(Map.of(
                "url", "jdbc:postgresql://db:5432/crm?socketTimeout=60", "pool.socketTimeoutSeconds", 3)),
                Map.of(), "/data", "/tmp");
        org.postgresql.ds.PGSimpleDataSource ds = DatabaseComponent.externalDataSource(s);
        DatabaseComponent.limitReads(ds, s);
        assertEquals(60, ds.getSocketTimeout());

        DatabaseSettings plain = DatabaseSettings.resolve(TestSupport.config(Map.of(
                "url", "jdbc:postgresql://db:5432/crm", "pool.socketTimeoutSeconds", 3)), Map.of(), "/data", "/tmp");
        org.postgresql.ds.PGSimpleDataSource other = DatabaseComponent.externalDataSource(plain);
        DatabaseComponent.limitReads(other, plain);
        assertEquals(3, other.getSocketTimeout());
    }

    @Test
    void invalidExternalUrlFailsActivationWithoutShowingThePassword() {
        DatabaseComponent component = new DatabaseComponent(Map.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> component.activate(
                bundleContext(), TestSupport.config(Map.of("url", "jdbc:postgresql://db:notAPort/crm?password=t0pSecret"))));
        assertFalse(String.valueOf(e.getMessage()).contains("t0pSecret"), e.getMessage());
        assertFalse(String.valueOf(e.getCause().getMessage()).contains("t0pSecret"), e.getCause().getMessage());
        assertTrue(registrations.isEmpty());
    }

    @Test
    void externalDatabaseDownStillRegistersFailsFastAndRecovers() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // a "remote" PostgreSQL we control: start once to learn its password, then stop it
        Path dataDir = TestSupport.freshDir("external").resolve("postgresql");
        EmbeddedPostgresManager.Options options = TestSupport.options(dataDir).port(port);
        String password;
        try (EmbeddedPostgresManager pg = new EmbeddedPostgresManager(options)) {
            pg.start();
            password = pg.password();
        }

        DatabaseComponent component = new DatabaseComponent(Map.of("CRM_DB_PASSWORD", password));
        component.activate(bundleContext(), TestSupport.config(Map.of(
                "url", "jdbc:postgresql://127.0.0.1:" + port + "/crm", "user", "postgres")));
        try (EmbeddedPostgresManager pg = new EmbeddedPostgresManager(options)) {
            assertEquals(1, registrations.size(), "registered although the database is down");
            assertEquals("external", registrations.get(0).properties.get("crm.database.mode"));
            DataSource ds = (DataSource) registrations.get(0).service;

            long t0 = System.nanoTime();
            assertThrows(SQLException.class, () -> ds.getConnection().close());
            long waitedMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(waitedMs < 3500, "fails fast, waited " + waitedMs + " ms");

            pg.start(); // the database comes back
            Connection c = null;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (c == null && System.nanoTime() < deadline) {
                try {
                    c = ds.getConnection();
                } catch (SQLException stillDown) {
                    Thread.sleep(200);
                }
            }
            assertNotNull(c, "the pool recovered");
            try (Connection open = c) {
                assertTrue(open.isValid(1));
            }
        } finally {
            component.deactivate();
        }
        assertTrue(registrations.get(0).unregistered);
    }
}
