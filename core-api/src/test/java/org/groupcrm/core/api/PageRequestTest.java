package org.groupcrm.core.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class PageRequestTest {

    @Test
    void ofAppliesDefaultsWhenParametersAreAbsent() {
        PageRequest p = PageRequest.of(null, null);
        assertEquals(0, p.page());
        assertEquals(PageRequest.DEFAULT_SIZE, p.size());
        assertEquals(20, p.size());
    }

    @Test
    void ofKeepsGivenValues() {
        PageRequest p = PageRequest.of(3, 50);
        assertEquals(3, p.page());
        assertEquals(50, p.size());
    }

    @Test
    void sizeIsCappedAtMaxSize() {
        assertEquals(200, PageRequest.of(0, 201).size());
        assertEquals(200, new PageRequest(1, Integer.MAX_VALUE).size());
        assertEquals(200, new PageRequest(0, 200).size());
        assertEquals(199, new PageRequest(0, 199).size());
    }

    @Test
    void smallestValidValuesAreAccepted() {
        PageRequest p = new PageRequest(0, 1);
        assertEquals(0, p.page());
        assertEquals(1, p.size());
    }

    @Test
    void negativePageIsRejectedNamingPage() {
        ValidationException e = assertThrows(ValidationException.class, () -> PageRequest.of(-1, 10));
        assertEquals(List.of("page"), fieldNames(e));
        assertEquals("validation_failed", e.code());
    }

    @Test
    void zeroOrNegativeSizeIsRejectedNamingSize() {
        assertEquals(List.of("size"), fieldNames(assertThrows(ValidationException.class, () -> PageRequest.of(0, 0))));
        assertEquals(List.of("size"), fieldNames(assertThrows(ValidationException.class, () -> new PageRequest(0, -5))));
    }

    @Test
    void bothBadValuesAreReportedTogether() {
        ValidationException e = assertThrows(ValidationException.class, () -> new PageRequest(-2, 0));
        assertEquals(List.of("page", "size"), fieldNames(e));
    }

    @Test
    void offsetIsPageTimesSize() {
        assertEquals(0, PageRequest.of(0, 25).offset());
        assertEquals(75, PageRequest.of(3, 25).offset());
        // the capped size counts, not the requested one
        assertEquals(400, PageRequest.of(2, 1000).offset());
    }

    @Test
    void offsetDoesNotOverflowInt() {
        assertEquals((long) Integer.MAX_VALUE * 200, new PageRequest(Integer.MAX_VALUE, 200).offset());
    }

    private static List<String> fieldNames(ValidationException e) {
        return e.fields().stream().map(ValidationException.FieldError::field).toList();
    }
}
