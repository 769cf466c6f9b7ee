package org.groupcrm.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CallerContextTest {

    @Test
    void requireSubsidiaryReturnsTheSelectedOne() {
        CallerContext c = new CallerContext(1, "alice", "ACME", Set.of("user"));
        assertEquals("ACME", c.requireSubsidiary());
    }

    @Test
    void requireSubsidiaryThrowsWhenNoneSelected() {
        CallerContext c = new CallerContext(1, "admin", null, Set.of("group-admin"));
        SubsidiaryRequiredException e = assertThrows(SubsidiaryRequiredException.class, c::requireSubsidiary);
        assertEquals("subsidiary_required", e.code());
        assertTrue(e.getMessage().contains("X-Subsidiary"), e.getMessage());
    }

    @Test
    void nullRolesBecomeEmpty() {
        CallerContext c = new CallerContext(1, "alice", "ACME", null);
        assertTrue(c.roles().isEmpty());
        assertFalse(c.hasRole("user"));
    }

    @Test
    void rolesAreCopiedAndUnmodifiable() {
        Set<String> roles = new HashSet<>(Set.of("user"));
        CallerContext c = new CallerContext(1, "alice", "ACME", roles);
        roles.add("group-admin");
        assertEquals(Set.of("user"), c.roles());
        assertFalse(c.hasRole("group-admin"));
        assertTrue(c.hasRole("user"));
        assertThrows(UnsupportedOperationException.class, () -> c.roles().add("group-admin"));
    }

    @Test
    void loginIsRequired() {
        assertThrows(NullPointerException.class, () -> new CallerContext(1, null, "ACME", Set.of()));
    }

    @Test
    void theCallerIsTheRequestPrincipal() {
        CallerContext c = new CallerContext(7, "rep-1", "SH", Set.of());
        assertEquals("rep-1", c.getName());
        assertSame(c, CallerContext.of(c));
        assertThrows(IllegalStateException.class, () -> CallerContext.of(() -> "someone"));
        assertThrows(IllegalStateException.class, () -> CallerContext.of(null));
    }
}
