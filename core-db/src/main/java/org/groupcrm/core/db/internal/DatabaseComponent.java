package org.groupcrm.core.db.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * Provides the CRM's PostgreSQL and registers a pooled {@code javax.sql.DataSource} with
 * {@code osgi.jndi.service.name=crm} while the database is started (embedded) or configured (external).
 *
 * <p>The service is registered in code, not by SCR: it must appear only after PostgreSQL is up and go
 * before it stops. The bundle declares it in a {@code Provide-Capability} header for Karaf's resolver.
 */
@Component(configurationPid = DatabaseSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {}, immediate = true)
@Designate(ocd = DatabaseConfig.class)
public class DatabaseComponent {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseComponent.class);

    static final String JNDI_NAME = "crm";
    static final String MODE_PROPERTY = "crm.database.mode";

    private final Map<String, String> env;

    private BundleContext context;
    private DatabaseSettings settings;
    private EmbeddedPostgresManager embedded;
    private HikariDataSource pool;
    private ServiceRegistration<DataSource> registration;

    public DatabaseComponent() {
        this(System.getenv());
    }

    DatabaseComponent(Map<String, String> env) {
        this.env = env;
    }

    @Activate
    synchronized void activate(BundleContext bundleContext, DatabaseConfig config) {
        this.context = bundleContext;
        start(resolve(config));
    }

    @Modified
    synchronized void modified(DatabaseConfig config) {
        DatabaseSettings next = resolve(config);
        if (registration != null && next.equals(settings)) {
            LOG.debug("CRM database configuration touched without a relevant change");
            return;
        }
        LOG.info("CRM database configuration changed: restarting the database service");
        stop();
        start(next);
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private DatabaseSettings resolve(DatabaseConfig config) {
        try {
            return DatabaseSettings.resolve(config, env, System.getProperty("karaf.data"),
                    System.getProperty("java.io.tmpdir"));
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid CRM database configuration ({}): {}", DatabaseSettings.PID, e.getMessage());
            throw e;
        }
    }

    private void start(DatabaseSettings s) {
        try {
            DataSource target;
            if (s.mode() == DatabaseSettings.Mode.EMBEDDED) {
                LOG.info("CRM database mode: embedded PostgreSQL, data in {}", s.dataDir());
                if (!s.user().isEmpty() || !s.password().isEmpty()) {
                    LOG.info("user/password (or CRM_DB_USER/CRM_DB_PASSWORD) are ignored in embedded mode");
                }
                embedded = new EmbeddedPostgresManager(EmbeddedPostgresManager.Options.forDataDir(s.dataDir())
                        .port(s.embeddedPort()).database(s.database()));
                embedded.start();
                target = embedded.dataSource(s.database());
            } else {
                LOG.info("CRM database mode: external PostgreSQL {}{}", DatabaseSettings.redactUrl(s.url()),
                        s.user().isEmpty() ? "" : " as user " + s.user());
                target = externalDataSource(s);
            }
            if (target instanceof PGSimpleDataSource pg) {
                limitReads(pg, s);
            }
            pool = createPool(s, target);
            registration = context.registerService(DataSource.class, pool, serviceProperties(s));
            settings = s;
            LOG.info("CRM DataSource registered (osgi.jndi.service.name={}): {}", JNDI_NAME, s);
        } catch (Exception | ExceptionInInitializerError e) {
            LOG.error("The CRM database could not be started ({}): {}", s, e.toString(), e);
            stop();
            throw new IllegalStateException("The CRM database could not be started: " + e, e);
        }
    }

    /** Unregisters the service first, then closes the pool, then stops the embedded PostgreSQL. */
    private void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework unregistered it already
            }
            registration = null;
        }
        if (pool != null) {
            pool.close();
            pool = null;
        }
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
        settings = null;
    }

    static PGSimpleDataSource externalDataSource(DatabaseSettings s) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        try {
            ds.setUrl(s.url()); // parses host, port, database and the URL parameters
        } catch (IllegalArgumentException e) { // its message holds the raw URL, maybe with a password
            throw new IllegalArgumentException("Invalid PostgreSQL URL " + DatabaseSettings.redactUrl(s.url()));
        }
        if (!s.user().isEmpty()) {
            ds.setUser(s.user());
        }
        if (!s.password().isEmpty()) {
            ds.setPassword(s.password());
        }
        if (!s.url().toLowerCase(Locale.ROOT).contains("applicationname=")) {
            ds.setApplicationName("crm");
        }
        return ds;
    }

    /**
     * Sets the driver's socket timeout: a connection whose database stopped answering (frozen, or the network
     * dropped silently) fails its statement after {@link DatabaseSettings#socketTimeoutSeconds()} with a
     * connection error, which the request answers with 503 and the pool replaces, instead of holding a request
     * thread for as long as the outage lasts. An external URL that sets {@code socketTimeout} keeps its value.
     */
    static void limitReads(PGSimpleDataSource ds, DatabaseSettings s) {
        if (s.mode() == DatabaseSettings.Mode.EXTERNAL
                && s.url().toLowerCase(Locale.ROOT).contains("sockettimeout=")) {
            return;
        }
        ds.setSocketTimeout(s.socketTimeoutSeconds());
    }

    /**
     * The driver's DataSource is handed over as an object: Hikari never loads a driver class by name
     * (no cross-bundle Class.forName). The pool does not connect at start (initializationFailTimeout -1), so
     * an external database that is down still gets its service; callers then fail after the connection
     * timeout and the pool recovers by itself when the database is back.
     */
    static HikariDataSource createPool(DatabaseSettings s, DataSource target) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("crm-" + s.mode().propertyValue());
        hc.setDataSource(target);
        hc.setMaximumPoolSize(s.poolMaxSize());
        hc.setConnectionTimeout(s.connectionTimeoutMs());
        hc.setValidationTimeout(Math.min(s.validationTimeoutMs(), s.connectionTimeoutMs()));
        hc.setInitializationFailTimeout(-1);
        return new HikariDataSource(hc);
    }

    static Dictionary<String, Object> serviceProperties(DatabaseSettings s) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("osgi.jndi.service.name", JNDI_NAME);
        props.put("dataSourceName", JNDI_NAME);
        props.put(MODE_PROPERTY, s.mode().propertyValue());
        props.put("service.description", "CRM PostgreSQL DataSource (" + s.mode().propertyValue() + ")");
        return props;
    }
}
