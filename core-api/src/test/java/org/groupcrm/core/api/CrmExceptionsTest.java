package org.groupcrm.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.groupcrm.core.api.ValidationException.FieldError;
import org.junit.jupiter.api.Test;

class CrmExceptionsTest {

    @Test
    void validationExceptionMessageListsEveryField() {
        ValidationException e = new ValidationException(List.of(
                new FieldError("name", "must not be blank"), new FieldError("email", "must be an email")));
        assertEquals("invalid input: name: must not be blank; email: must be an email", e.getMessage());
        assertEquals(List.of(new FieldError("name", "must not be blank"), new FieldError("email", "must be an email")),
                e.fields());
        assertEquals("validation_failed", e.code());
    }

    @Test
    void validationExceptionWithOneField() {
        ValidationException e = new ValidationException("due", "must be one of a, b");
        assertEquals("invalid input: due: must be one of a, b", e.getMessage());
        assertEquals(List.of(new FieldError("due", "must be one of a, b")), e.fields());
    }

    @Test
    void validationExceptionFieldsAreACopy() {
        List<FieldError> fields = new ArrayList<>(List.of(new FieldError("a", "x")));
        ValidationException e = new ValidationException(fields);
        fields.add(new FieldError("b", "y"));
        assertEquals(1, e.fields().size());
        assertThrows(UnsupportedOperationException.class, () -> e.fields().add(new FieldError("c", "z")));
    }

    @Test
    void staleVersionConflict() {
        ConflictException e = ConflictException.staleVersion("customer", 42L, 7);
        assertEquals("stale_version", e.code());
        assertTrue(e.getMessage().startsWith("customer 42 "), e.getMessage());
        assertTrue(e.getMessage().contains("current version 7"), e.getMessage());
    }

    @Test
    void conflictKeepsItsCode() {
        assertEquals("duplicate", new ConflictException("duplicate", "exists").code());
    }

    @Test
    void notFoundNamesEntityAndId() {
        NotFoundException e = new NotFoundException("customer", 5L);
        assertEquals("not_found", e.code());
        assertEquals("customer", e.entity());
        assertEquals("5", e.id());
        assertEquals("customer 5 not found", e.getMessage());
    }

    @Test
    void forbiddenDefaultsItsCode() {
        assertEquals("forbidden", new ForbiddenException("no").code());
        assertEquals("subsidiary_not_allowed", new ForbiddenException("subsidiary_not_allowed", "no").code());
    }

    @Test
    void unavailableKeepsCodeAndCause() {
        RuntimeException cause = new RuntimeException("db down");
        UnavailableException e = new UnavailableException("database_unavailable", "retry later", cause);
        assertEquals("database_unavailable", e.code());
        assertSame(cause, e.getCause());
        assertEquals(null, new UnavailableException("x", "y", null).getCause());
    }
}
