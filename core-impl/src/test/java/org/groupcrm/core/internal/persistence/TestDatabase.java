package org.groupcrm.core.internal.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.apache.aries.jpa.template.EmConsumer;
import org.apache.aries.jpa.template.EmFunction;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * A migrated embedded PostgreSQL with the core persistence unit on it, outside OSGi: {@link #tx()} is a {@link Tx} as
 * the bundle wires it (resource-local transactions through a {@link JpaTemplate}), whose posted events are kept in
 * {@link #events()}.
 */
public final class TestDatabase implements AutoCloseable {
    private final EmbeddedPostgres pg;
    private final EntityManagerFactory emf;
    private final Tx tx;
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final StatementLog statements;

    private TestDatabase(EmbeddedPostgres pg, EntityManagerFactory emf, StatementLog statements) {
        this.pg = pg;
        this.emf = emf;
        this.statements = statements;
        this.tx = new Tx();
        tx.jpa = new LocalJpaTemplate(emf);
        tx.eventAdmin = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                events.add(event);
            }
        };
    }

    public static TestDatabase start() throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
        try {
            DataSource ds = pg.getPostgresDatabase();
            new Migrations(ds).apply(new ClassLoaderResourceAccessor(TestDatabase.class.getClassLoader()),
                    CoreSchema.CHANGELOG, "core-impl test");
            StatementLog statements = new StatementLog();
            EntityManagerFactory emf = new PersistenceProvider().createEntityManagerFactory("crm-core",
                    Map.of("javax.persistence.nonJtaDataSource", statements.wrap(ds),
                            "eclipselink.logging.level", "WARNING"));
            emf.createEntityManager().close();
            return new TestDatabase(pg, emf, statements);
        } catch (Exception | Error e) {
            pg.close();
            throw e;
        }
    }

    public Tx tx() {
        return tx;
    }

    public DataSource dataSource() {
        return pg.getPostgresDatabase();
    }

    /** The statements the persistence unit ran (not those of {@link #dataSource()}'s own connections). */
    public StatementLog statements() {
        return statements;
    }

    /** Events posted after commit, oldest first. */
    public List<Event> events() {
        return events;
    }

    /** @return the first column of the first row of {@code sql}, or {@code null} when there is none */
    public Object scalar(String sql, Object... params) throws SQLException {
        List<List<Object>> rows = rows(sql, params);
        return rows.isEmpty() ? null : rows.get(0).get(0);
    }

    public List<List<Object>> rows(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        row.add(rs.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = dataSource().getConnection(); var st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            emf.close();
        } finally {
            pg.close();
        }
    }

    /** Resource-local transactions as Aries JPA's template runs them: one EntityManager per call, commit or roll back. */
    private static final class LocalJpaTemplate implements JpaTemplate {
        private final EntityManagerFactory emf;

        LocalJpaTemplate(EntityManagerFactory emf) {
            this.emf = emf;
        }

        @Override
        public <R> R txExpr(TransactionType type, EmFunction<R> code) {
            EntityManager em = emf.createEntityManager();
            try {
                em.getTransaction().begin();
                R result = code.apply(em);
                em.getTransaction().commit();
                return result;
            } catch (RuntimeException | Error e) {
                if (em.getTransaction().isActive()) {
                    em.getTransaction().rollback();
                }
                throw e;
            } finally {
                em.close();
            }
        }

        @Override
        public void tx(TransactionType type, EmConsumer code) {
            txExpr(type, em -> {
                code.accept(em);
                return null;
            });
        }

        @Override
        public <R> R txExpr(EmFunction<R> code) {
            return txExpr(TransactionType.Required, code);
        }

        @Override
        public void tx(EmConsumer code) {
            tx(TransactionType.Required, code);
        }
    }
}
