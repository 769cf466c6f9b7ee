package org.groupcrm.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.groupcrm.core.api.PageRequest;
import org.groupcrm.core.api.ValidationException;
import org.junit.jupiter.api.Test;

/** {@link Params}: query parameters that fail to convert are 400s naming the parameter. */
class ParamsTest {

    @Test
    void wholeNumbersAreParsedAndBlankIsAbsent() {
        assertEquals(42, Params.integer("size", " 42 "));
        assertNull(Params.integer("size", null));
        assertNull(Params.integer("size", "  "));
    }

    @Test
    void malformedNumbersNameTheParameter() {
        ValidationException e = assertThrows(ValidationException.class, () -> Params.integer("size", "abc"));
        assertEquals("size", e.fields().get(0).field());
        assertThrows(ValidationException.class, () -> Params.integer("page", "1.5"));
        assertThrows(ValidationException.class, () -> Params.integer("page", "99999999999"));
    }

    @Test
    void pageAppliesDefaultsAndCap() {
        PageRequest p = Params.page(null, "500");
        assertEquals(0, p.page());
        assertEquals(PageRequest.MAX_SIZE, p.size());
        assertEquals("page", assertThrows(ValidationException.class, () -> Params.page("x", null)).fields().get(0).field());
    }

    @Test
    void textWithControlCharactersIsRejected() {
        assertEquals("acme", Params.text("q", "acme"));
        assertNull(Params.text("q", null));
        ValidationException e = assertThrows(ValidationException.class, () -> Params.text("q", "ac\u0000me"));
        assertEquals("q", e.fields().get(0).field());
    }

    @Test
    void booleansAreTrueOrFalseOnly() {
        assertEquals(true, Params.bool("dryRun", " TRUE ", false));
        assertEquals(false, Params.bool("dryRun", "false", true));
        assertEquals(true, Params.bool("dryRun", null, true));
        assertEquals(false, Params.bool("dryRun", "", false));
        ValidationException e = assertThrows(ValidationException.class, () -> Params.bool("dryRun", "yes", false));
        assertEquals("dryRun", e.fields().get(0).field());
    }

    @Test
    void boundedNumbersNameTheParameterWhenOutOfRange() {
        assertEquals(100, Params.intInRange("limit", null, 100, 1, 1000));
        assertEquals(5, Params.intInRange("limit", "5", 100, 1, 1000));
        ValidationException e = assertThrows(ValidationException.class, () -> Params.intInRange("limit", "0", 100, 1, 1000));
        assertEquals("limit", e.fields().get(0).field());
        assertThrows(ValidationException.class, () -> Params.intInRange("limit", "1001", 100, 1, 1000));
    }
}
