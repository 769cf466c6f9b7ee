package org.groupcrm.plugins.pipeline.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import liquibase.Liquibase;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * One real PostgreSQL for the pipeline's tests, started once per test JVM with the pipeline's changelog applied
 * (stopped by the JVM's shutdown hook); each test class empties the tables it uses.
 */
final class TestDatabase {
    private static DataSource dataSource;

    private TestDatabase() {
    }

    static synchronized DataSource dataSource() throws Exception {
        if (dataSource == null) {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (Exception e) {
                    // the JVM is going away
                }
            }));
            DataSource ds = pg.getPostgresDatabase();
            try (Connection c = ds.getConnection()) {
                new Liquibase(PipelineModule.CHANGELOG, new ClassLoaderResourceAccessor(TestDatabase.class.getClassLoader()),
                        DatabaseFactory.getInstance().findCorrectDatabaseImplementation(new JdbcConnection(c))).update("");
            }
            dataSource = ds;
        }
        return dataSource;
    }

    /** Empties every pipeline table. */
    static void truncate() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE pipeline_order_line, pipeline_order, pipeline_commission_rate, pipeline_settings,"
                    + " pipeline_stage_history, pipeline_comment, pipeline_opportunity, pipeline_stage RESTART IDENTITY CASCADE");
        }
    }
}
