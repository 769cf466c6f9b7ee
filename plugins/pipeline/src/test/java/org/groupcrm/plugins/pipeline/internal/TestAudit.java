package org.groupcrm.plugins.pipeline.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An audit log for tests that writes on the module's own connection like the core's, into a table of the test
 * database: what it holds after a rollback shows the entries share the write's transaction. Like the core's, a write
 * that changed nothing leaves no entry.
 */
final class TestAudit {
    private TestAudit() {
    }

    /** @return the module on {@code db} with this audit log, its table emptied */
    static PipelineModule moduleWith(Db db) throws Exception {
        try (Connection c = TestDatabase.dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS test_audit (n BIGSERIAL, entity TEXT, entity_id TEXT, action TEXT,"
                    + " actor TEXT, changed TEXT, diff TEXT)");
            st.execute("DELETE FROM test_audit");
        }
        return new PipelineModule(db, (c, caller, entity, id, action, before, after) -> {
            java.util.Map<String, ?> b = before == null ? java.util.Map.of() : before;
            java.util.Map<String, ?> a = after == null ? java.util.Map.of() : after;
            Set<String> names = new TreeSet<>(b.keySet());
            names.addAll(a.keySet());
            List<String> changed = new ArrayList<>();
            List<String> diff = new ArrayList<>();
            for (String n : names) {
                if (!Objects.equals(b.get(n), a.get(n))) {
                    changed.add(n);
                    diff.add(n + ": " + b.get(n) + " -> " + a.get(n));
                }
            }
            if (changed.isEmpty()) {
                return;
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO test_audit (entity, entity_id, action, actor,"
                    + " changed, diff) VALUES (?, ?, ?, ?, ?, ?)")) {
                p.setString(1, entity);
                p.setString(2, id);
                p.setString(3, action);
                p.setString(4, caller.login());
                p.setString(5, String.join(",", changed));
                p.setString(6, String.join("; ", diff));
                p.executeUpdate();
            }
        });
    }

    /** @return the entries written so far: entity id action actor [changed fields] */
    static List<String> trail() throws Exception {
        return rows("entity || ' ' || entity_id || ' ' || action || ' ' || actor || ' [' || changed || ']'");
    }

    /** @return the entries' changed fields with their values: {@code field: before -> after; ...} */
    static List<String> diffs() throws Exception {
        return rows("diff");
    }

    private static List<String> rows(String expression) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = TestDatabase.dataSource().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + expression + " FROM test_audit ORDER BY n")) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }
}
