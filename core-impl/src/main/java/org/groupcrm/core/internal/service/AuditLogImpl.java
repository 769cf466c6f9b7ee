package org.groupcrm.core.internal.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.audit.AuditLog;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Audit entries of modules' records, written on the module's own connection into the core's audit table. */
@Component(service = AuditLog.class)
public class AuditLogImpl implements AuditLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference
    SubsidiaryServiceImpl subsidiaries;

    @Override
    public void record(Connection connection, CallerContext caller, String entity, String id, String action,
            Map<String, ?> before, Map<String, ?> after) throws SQLException {
        check("entity", entity, MAX_ENTITY);
        check("id", id, 64);
        check("action", action, 20);
        if (connection == null || caller == null || caller.subsidiary() == null) {
            throw new IllegalArgumentException("an audit entry needs a connection and a caller acting in a subsidiary");
        }
        Map<String, Map<String, Object>> changes = Audit.diff(values(before), values(after));
        if (changes.isEmpty()) {
            return;
        }
        long sid = subsidiaries.idOf(caller.subsidiary());
        try (PreparedStatement p = connection.prepareStatement("INSERT INTO crm_audit (subsidiary_id, entity, entity_id,"
                + " action, changes, actor, at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            p.setLong(1, sid);
            p.setString(2, entity);
            p.setString(3, id);
            p.setString(4, action);
            p.setString(5, json(changes));
            p.setString(6, caller.login());
            p.setTimestamp(7, Timestamp.from(Instant.now()));
            p.executeUpdate();
        }
    }

    private static void check(String what, String value, int max) {
        if (value == null || value.isBlank() || value.length() > max) {
            throw new IllegalArgumentException("audit " + what + " must be 1 to " + max + " characters: " + value);
        }
    }

    /** Values as the core's entries keep them: text, numbers and booleans as they are, anything else as text. */
    static Map<String, Object> values(Map<String, ?> fields) {
        Map<String, Object> values = new TreeMap<>();
        if (fields != null) {
            fields.forEach((k, v) -> values.put(k, v == null || v instanceof String || v instanceof Number
                    || v instanceof Boolean ? v : String.valueOf(v)));
        }
        return values;
    }

    private static String json(Map<String, Map<String, Object>> changes) {
        try {
            return JSON.writeValueAsString(changes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit changes cannot be written", e);
        }
    }
}
