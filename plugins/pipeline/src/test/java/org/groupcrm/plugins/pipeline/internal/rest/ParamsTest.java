package org.groupcrm.plugins.pipeline.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;

import org.groupcrm.core.api.ValidationException;
import org.junit.jupiter.api.Test;

/** {@link Params}: query parameters converted with a 400 that names the parameter. */
class ParamsTest {

    private static String field(Runnable r) {
        return assertThrows(ValidationException.class, r::run).fields().get(0).field();
    }

    @Test
    void numbers() {
        assertEquals(42L, Params.longValue("customer", " 42 "));
        assertNull(Params.longValue("customer", " "));
        assertEquals("customer", field(() -> Params.longValue("customer", "4x")));
        assertEquals(7, Params.integer("days", "7"));
        assertEquals("days", field(() -> Params.integer("days", "99999999999")));
    }

    @Test
    void dates() {
        assertEquals(LocalDate.of(2026, 7, 1), Params.date("from", "2026-07-01"));
        assertNull(Params.date("from", null));
        assertEquals("from", field(() -> Params.date("from", "2026-13-01")));
        assertEquals("to", field(() -> Params.date("to", "yesterday")));
    }

    @Test
    void booleansAndText() {
        assertTrue(Params.bool("archived", "true"));
        assertFalse(Params.bool("archived", null));
        assertEquals("archived", field(() -> Params.bool("archived", "yes")));
        assertEquals("rita", Params.text("owner", " rita "));
        assertNull(Params.text("owner", ""));
        assertEquals("owner", field(() -> Params.text("owner", "ri\u0000ta")));
    }

    @Test
    void pages() {
        assertEquals(20, Params.page(null, null).size());
        assertEquals("size", field(() -> Params.page("0", "big")));
    }
}
