package org.groupcrm.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.activity.DueFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ActivityResource#dueFilter(String)}: the {@code due} query parameter. */
class ActivityResourceTest {

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\t"})
    void absentOrBlankMeansAll(String due) {
        assertEquals(DueFilter.ALL, ActivityResource.dueFilter(due));
    }

    @Test
    void valuesAreCaseInsensitive() {
        assertEquals(DueFilter.OVERDUE, ActivityResource.dueFilter("overdue"));
        assertEquals(DueFilter.TODAY, ActivityResource.dueFilter("Today"));
        assertEquals(DueFilter.UPCOMING, ActivityResource.dueFilter("UPCOMING"));
        assertEquals(DueFilter.ALL, ActivityResource.dueFilter("all"));
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertEquals(DueFilter.TODAY, ActivityResource.dueFilter(" today "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "over due", "overdue,today", "0"})
    void unknownValueIsAValidationErrorNamingDue(String due) {
        ValidationException e = assertThrows(ValidationException.class, () -> ActivityResource.dueFilter(due));
        assertEquals(List.of("due"), e.fields().stream().map(ValidationException.FieldError::field).toList());
        assertTrue(e.fields().get(0).reason().contains("overdue"), e.fields().get(0).reason());
    }
}
