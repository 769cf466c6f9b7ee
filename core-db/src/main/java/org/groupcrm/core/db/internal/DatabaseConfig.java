package org.groupcrm.core.db.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the CRM database, PID {@value DatabaseSettings#PID} ({@code etc/org.groupcrm.database.cfg}).
 * Property names follow the DS mapping: {@code embedded_port} is the key {@code embedded.port}.
 * The environment variables {@code CRM_DB_URL}, {@code CRM_DB_USER} and {@code CRM_DB_PASSWORD} win over
 * {@code url}, {@code user} and {@code password} when they are set and not empty.
 */
@ObjectClassDefinition(id = DatabaseSettings.PID, name = "CRM database",
        description = "PostgreSQL of the CRM: embedded (default) or external (url set).")
public @interface DatabaseConfig {

    @AttributeDefinition(name = "JDBC URL", required = false,
            description = "jdbc:postgresql://host:port/db of an external PostgreSQL. Empty = embedded PostgreSQL. "
                    + "Overridden by the environment variable CRM_DB_URL.")
    String url() default "";

    @AttributeDefinition(name = "User", required = false,
            description = "User of the external PostgreSQL (ignored in embedded mode). Env CRM_DB_USER overrides.")
    String user() default "";

    @AttributeDefinition(name = "Password", required = false, type = AttributeType.PASSWORD,
            description = "Password of the external PostgreSQL (ignored in embedded mode). Env CRM_DB_PASSWORD overrides.")
    String password() default "";

    @AttributeDefinition(name = "Embedded port", min = "0", max = "65535",
            description = "TCP port of the embedded PostgreSQL on 127.0.0.1; 0 = a free port at each start.")
    int embedded_port() default 0;

    @AttributeDefinition(name = "Embedded data directory", required = false,
            description = "PGDATA of the embedded PostgreSQL. Empty = ${karaf.data}/postgresql. "
                    + "A relative path is resolved against ${karaf.data}.")
    String embedded_dataDir() default "";

    @AttributeDefinition(name = "Database",
            description = "Database created in and used from the embedded PostgreSQL (external: the URL names it).")
    String database() default "crm";

    @AttributeDefinition(name = "Pool size", min = "1", description = "Maximum number of pooled connections.")
    int pool_maxSize() default 10;

    @AttributeDefinition(name = "Connection timeout (ms)", min = "250",
            description = "How long a caller waits for a connection before failing (the database may be down).")
    long pool_connectionTimeoutMs() default 2000;

    @AttributeDefinition(name = "Validation timeout (ms)", min = "250",
            description = "How long a connection liveness check may take.")
    long pool_validationTimeoutMs() default 1000;

    @AttributeDefinition(name = "Socket timeout (s)", min = "0",
            description = "How long a connection waits for the database to answer before it is given up and the "
                    + "request fails with 503 (a database that stopped answering must not hold request threads). "
                    + "Long work (schema migrations, bulk imports) lifts it for its own connection. 0 = no limit.")
    int pool_socketTimeoutSeconds() default 5;
}
