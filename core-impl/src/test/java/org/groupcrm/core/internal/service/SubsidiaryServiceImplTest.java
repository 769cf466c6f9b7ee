package org.groupcrm.core.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.groupcrm.core.api.ValidationException;
import org.junit.jupiter.api.Test;

/** {@link SubsidiaryServiceImpl#zoneId(String)}: the time zone of a new subsidiary. */
class SubsidiaryServiceImplTest {

    @Test
    void absentZoneIsUtc() {
        assertEquals("UTC", SubsidiaryServiceImpl.zoneId(null));
        assertEquals("UTC", SubsidiaryServiceImpl.zoneId(" "));
    }

    @Test
    void ianaZonesAreKept() {
        assertEquals("Asia/Shanghai", SubsidiaryServiceImpl.zoneId(" Asia/Shanghai "));
        assertEquals("+08:00", SubsidiaryServiceImpl.zoneId("+08:00"));
    }

    @Test
    void unknownZonesNameTheField() {
        ValidationException e = assertThrows(ValidationException.class, () -> SubsidiaryServiceImpl.zoneId("Mars/Olympus"));
        assertEquals("timeZone", e.fields().get(0).field());
    }
}
