package org.groupcrm.core.internal.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import liquibase.resource.ClassLoaderResourceAccessor;

/** The core changelog applied by {@link Migrations} to a real (embedded) PostgreSQL. */
class MigrationsTest {
    private static final String CHANGELOG = CoreSchema.CHANGELOG;
    private static final List<String> TABLES = List.of("crm_subsidiary", "crm_user", "crm_user_subsidiary",
            "crm_user_role", "crm_customer", "crm_contact", "crm_activity", "crm_module_state", "crm_module_state_history",
            "crm_plugin_action", "crm_customer_owner_history", "crm_audit", "crm_api_token", "crm_user_assistant", "crm_right_grant",
            "crm_approval", "crm_approval_step");

    private static EmbeddedPostgres pg;
    private static DataSource dataSource;

    @BeforeAll
    static void startAndMigrate() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        dataSource = pg.getPostgresDatabase();
        migrate();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pg != null) {
            pg.close();
        }
    }

    private static void migrate() throws Exception {
        new Migrations(dataSource).apply(new ClassLoaderResourceAccessor(MigrationsTest.class.getClassLoader()),
                CHANGELOG, "core-impl test");
    }

    @Test
    void createsEveryCoreTable() throws SQLException {
        Set<String> found = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.getMetaData().getTables(null, "public", "crm_%", new String[] {"TABLE"})) {
            while (rs.next()) {
                found.add(rs.getString("TABLE_NAME"));
            }
        }
        assertEquals(Set.copyOf(TABLES), found);
    }

    @Test
    void recordsChangesetCore1() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT author, exectype FROM databasechangelog WHERE id = 'core-1'")) {
            assertTrue(rs.next(), "changeset core-1 is recorded");
            assertEquals("crm", rs.getString("author"));
            assertEquals("EXECUTED", rs.getString("exectype"));
        }
    }

    @Test
    void applyingAgainIsANoOp() throws Exception {
        long before = changelogRows();
        migrate();
        assertEquals(before, changelogRows());
        createsEveryCoreTable();
    }

    @Test
    void subsidiaryCodeIsUnique() throws SQLException {
        inRolledBackTransaction(c -> {
            subsidiary(c, "UNIQ");
            SQLException e = assertThrows(SQLException.class, () -> subsidiary(c, "UNIQ"));
            assertEquals("23505", e.getSQLState(), e.getMessage());
        });
    }

    @Test
    void userLoginIsUnique() throws SQLException {
        inRolledBackTransaction(c -> {
            user(c, "alice", null);
            SQLException e = assertThrows(SQLException.class, () -> user(c, "alice", null));
            assertEquals("23505", e.getSQLState(), e.getMessage());
        });
    }

    @Test
    void userRoleAndUserSubsidiaryHaveCompositeKeys() throws SQLException {
        inRolledBackTransaction(c -> {
            long sub = subsidiary(c, "ROLES");
            long user = user(c, "bob", sub);
            update(c, "INSERT INTO crm_user_role (user_id, role) VALUES (?, 'user')", user);
            update(c, "INSERT INTO crm_user_role (user_id, role) VALUES (?, 'group-admin')", user);
            update(c, "INSERT INTO crm_user_subsidiary (user_id, subsidiary_id) VALUES (?, ?)", user, sub);
            Savepoint beforeDuplicate = c.setSavepoint();
            SQLException role = assertThrows(SQLException.class,
                    () -> update(c, "INSERT INTO crm_user_role (user_id, role) VALUES (?, 'user')", user));
            assertEquals("23505", role.getSQLState());
            c.rollback(beforeDuplicate);
            SQLException member = assertThrows(SQLException.class,
                    () -> update(c, "INSERT INTO crm_user_subsidiary (user_id, subsidiary_id) VALUES (?, ?)", user, sub));
            assertEquals("23505", member.getSQLState());
        });
    }

    @Test
    void customerNeedsAnExistingSubsidiary() throws SQLException {
        inRolledBackTransaction(c -> {
            long sub = subsidiary(c, "FK");
            long user = user(c, "carol", sub);
            String insert = "INSERT INTO crm_customer (subsidiary_id, name, owner_id, entered_by_id, created_at, updated_at,"
                    + " version) VALUES (?, 'Acme', ?, ?, now(), now(), 1)";
            update(c, insert, sub, user, user);
            SQLException e = assertThrows(SQLException.class, () -> update(c, insert, sub + 1000, user, user));
            assertEquals("23503", e.getSQLState(), e.getMessage());
        });
    }

    @Test
    void aPendingApprovalNamesItsCurrentStepAndAClosedOneNone() throws SQLException {
        inRolledBackTransaction(c -> {
            long sub = subsidiary(c, "AP");
            long user = user(c, "dora", sub);
            String insert = "INSERT INTO crm_approval (subsidiary_id, type, subject_type, subject_id, summary, status,"
                    + " current_step, current_step_role, submitted_by_id, created_at, updated_at, version)"
                    + " VALUES (?, 'discount', 'customer', '1', 'x', %s, ?, now(), now(), 1)";
            update(c, insert.formatted("'PENDING', 0, 'user'"), sub, user);
            update(c, insert.formatted("'APPROVED', NULL, NULL"), sub, user);
            SQLException pendingWithout = assertThrows(SQLException.class,
                    () -> update(c, insert.formatted("'PENDING', NULL, NULL"), sub, user));
            assertEquals("23514", pendingWithout.getSQLState(), pendingWithout.getMessage());
        });
    }

    // --- helpers

    private interface SqlWork {
        void run(Connection c) throws SQLException;
    }

    private static void inRolledBackTransaction(SqlWork work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
            } finally {
                c.rollback();
            }
        }
    }

    private static long changelogRows() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM databasechangelog")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long subsidiary(Connection c, String code) throws SQLException {
        return insertReturningId(c, "INSERT INTO crm_subsidiary (code, name) VALUES (?, ?) RETURNING id", code, code + " Ltd");
    }

    private static long user(Connection c, String login, Long homeSubsidiary) throws SQLException {
        return insertReturningId(c, "INSERT INTO crm_user (login, display_name, password_hash, home_subsidiary_id)"
                + " VALUES (?, ?, 'x', ?) RETURNING id", login, login, homeSubsidiary);
    }

    private static long insertReturningId(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            if (params[i] == null) {
                ps.setNull(i + 1, java.sql.Types.BIGINT);
            } else {
                ps.setObject(i + 1, params[i]);
            }
        }
    }
}
