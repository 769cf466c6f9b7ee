package org.groupcrm.core.internal.service;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import javax.persistence.EntityManager;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.internal.persistence.AuditEntity;
import org.groupcrm.core.internal.persistence.CustomerEntity;
import org.groupcrm.core.internal.persistence.SubsidiaryEntity;
import org.groupcrm.core.internal.persistence.UserEntity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The audit trail: every committed write of a core record leaves one row with who, when, the subsidiary, the entity,
 * its id and each changed field before and after, written with the {@link EntityManager} of the write's own
 * transaction, so the trail and the data commit (or fail) together. Secrets (password hashes) never enter it.
 */
public final class Audit {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bookkeeping fields that change with every write and say nothing about it. */
    private static final Set<String> SKIPPED = Set.of("version", "updatedAt", "createdAt");

    private Audit() {
    }

    /** @return the entity's own fields as audit values: related users by login, customers by id, secrets left out */
    public static Map<String, Object> snapshot(Object entity) {
        Map<String, Object> values = new TreeMap<>();
        if (entity == null) {
            return values;
        }
        for (Field f : AUDITED.get(entity.getClass())) {
            try {
                values.put(f.getName(), value(f.get(entity)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                values.put(f.getName(), "?");
            }
        }
        return values;
    }

    /** The fields of each entity class that a snapshot holds, found once per class. */
    private static final ClassValue<List<Field>> AUDITED = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> entityType) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> type = entityType; type != null && type != Object.class; type = type.getSuperclass()) {
                for (Field f : type.getDeclaredFields()) {
                    int m = f.getModifiers();
                    String name = f.getName();
                    if (Modifier.isStatic(m) || Modifier.isTransient(m) || name.startsWith("_") || SKIPPED.contains(name)
                            || name.toLowerCase().contains("password") || name.toLowerCase().contains("hash")) {
                        continue;
                    }
                    try {
                        f.setAccessible(true);
                        fields.add(f);
                    } catch (RuntimeException e) {
                        // not readable: left out
                    }
                }
            }
            return List.copyOf(fields);
        }
    };

    private static Object value(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Temporal || v instanceof Enum<?>) {
            return v.toString();
        }
        if (v instanceof UserEntity u) {
            return u.login;
        }
        if (v instanceof CustomerEntity c) {
            return c.id;
        }
        if (v instanceof SubsidiaryEntity s) {
            return s.code;
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(Audit::value).map(String::valueOf).sorted().toList();
        }
        return String.valueOf(v);
    }

    /** @return field → {before, after} for each field that differs */
    static Map<String, Map<String, Object>> diff(Map<String, Object> before, Map<String, Object> after) {
        Map<String, Map<String, Object>> changes = new TreeMap<>();
        Set<String> fields = new java.util.TreeSet<>(before.keySet());
        fields.addAll(after.keySet());
        for (String f : fields) {
            Object b = before.get(f);
            Object a = after.get(f);
            if (!Objects.equals(b, a)) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("before", b);
                change.put("after", a);
                changes.put(f, change);
            }
        }
        return changes;
    }

    /** Records a write in the caller's transaction; a write that changed nothing leaves no row. */
    public static void record(EntityManager em, CallerContext caller, Long subsidiaryId, String entity, Object id, String action,
            Map<String, Object> before, Object after, Instant at) {
        AuditEntity a = entry(caller, subsidiaryId, entity, id, action, before, after, at);
        if (a != null) {
            em.persist(a);
        }
    }

    /**
     * The row {@link #record} would persist, for writers that insert it themselves in the same transaction (the bulk
     * import copies them).
     *
     * @return the trail row, or {@code null} when the write changed nothing
     */
    static AuditEntity entry(CallerContext caller, Long subsidiaryId, String entity, Object id, String action,
            Map<String, Object> before, Object after, Instant at) {
        Map<String, Map<String, Object>> changes = diff(before, after instanceof Map<?, ?> m ? cast(m) : snapshot(after));
        if (changes.isEmpty()) {
            return null;
        }
        AuditEntity a = new AuditEntity();
        a.subsidiaryId = subsidiaryId;
        a.entity = entity;
        a.entityId = String.valueOf(id);
        a.action = action;
        try {
            a.changes = JSON.writeValueAsString(changes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("audit of " + entity + " " + id + " cannot be written", e);
        }
        a.actor = caller.login();
        a.at = at;
        return a;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
