package org.groupcrm.plugins.pipeline.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small JDBC helpers shared by the pipeline's services. */
final class Rows {
    private Rows() {
    }

    /** Bookkeeping the server keeps, left out of audit entries. */
    private static final java.util.Set<String> BOOKKEEPING = java.util.Set.of("id", "version", "createdAt", "updatedAt",
            "createdBy", "enteredAt", "enteredBy", "lastActivityAt", "stageEnteredAt");

    /**
     * @return the public instance fields of a record DTO but its bookkeeping, by name; empty for {@code null}; a map
     *         of field values as it is
     */
    static java.util.Map<String, Object> fields(Object dto) {
        java.util.Map<String, Object> values = new java.util.TreeMap<>();
        if (dto == null) {
            return values;
        }
        if (dto instanceof java.util.Map<?, ?> given) {
            given.forEach((k, v) -> values.put(String.valueOf(k), v));
            return values;
        }
        for (java.lang.reflect.Field f : dto.getClass().getFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || BOOKKEEPING.contains(f.getName())) {
                continue;
            }
            try {
                Object v = f.get(dto);
                values.put(f.getName(), v instanceof java.util.Collection<?> list ? list.size() + " item(s)" : v);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
        return values;
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** Binds {@code params} in order (nulls as untyped NULL). */
    static PreparedStatement prepare(Connection c, String sql, List<Object> params) throws SQLException {
        PreparedStatement p = c.prepareStatement(sql);
        for (int i = 0; i < params.size(); i++) {
            p.setObject(i + 1, params.get(i));
        }
        return p;
    }

    static long count(Connection c, String sql, List<Object> params) throws SQLException {
        try (PreparedStatement p = prepare(c, sql, params); ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static <T> List<T> list(Connection c, String sql, List<Object> params, Mapper<T> mapper) throws SQLException {
        List<T> result = new ArrayList<>();
        try (PreparedStatement p = prepare(c, sql, params); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                result.add(mapper.map(rs));
            }
        }
        return result;
    }

    /** Maps the current row. */
    @FunctionalInterface
    interface Mapper<T> {
        T map(ResultSet rs) throws SQLException;
    }
}
