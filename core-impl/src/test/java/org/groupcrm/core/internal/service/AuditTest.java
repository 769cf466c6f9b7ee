package org.groupcrm.core.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.groupcrm.core.internal.persistence.CustomerEntity;
import org.groupcrm.core.internal.persistence.UserEntity;
import org.junit.jupiter.api.Test;

/** {@link Audit}: what goes into a trail row. */
class AuditTest {

    @Test
    void aSnapshotNamesRelatedUsersByLoginAndLeavesSecretsAndBookkeepingOut() {
        UserEntity owner = new UserEntity();
        owner.login = "li.wei";
        owner.passwordHash = "pbkdf2$secret";
        CustomerEntity c = new CustomerEntity();
        c.name = "Zhang Wei";
        c.phone = "138";
        c.owner = owner;
        c.version = 3L;
        c.updatedAt = Instant.EPOCH;
        Map<String, Object> s = Audit.snapshot(c);
        assertEquals("li.wei", s.get("owner"));
        assertEquals("Zhang Wei", s.get("name"));
        assertFalse(s.containsKey("version"));
        assertFalse(s.containsKey("updatedAt"));
        Map<String, Object> user = Audit.snapshot(owner);
        assertFalse(user.containsKey("passwordHash"), user.toString());
        assertTrue(user.values().stream().noneMatch(v -> String.valueOf(v).contains("secret")));
    }

    @Test
    void onlyChangedFieldsAreKeptWithBeforeAndAfter() {
        Map<String, Map<String, Object>> d = Audit.diff(Map.of("name", "A", "phone", "1"), Map.of("name", "B", "phone", "1",
                "email", "a@b.c"));
        assertEquals(Set.of("name", "email"), d.keySet());
        assertEquals("A", d.get("name").get("before"));
        assertEquals("B", d.get("name").get("after"));
        assertEquals(null, d.get("email").get("before"));
        assertEquals(List.of(), List.copyOf(Audit.diff(Map.of("x", 1), Map.of("x", 1)).keySet()));
    }
}
