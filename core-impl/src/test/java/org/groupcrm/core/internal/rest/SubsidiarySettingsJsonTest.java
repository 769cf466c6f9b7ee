package org.groupcrm.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import javax.ws.rs.core.Response;

import org.groupcrm.core.api.subsidiary.RecordVisibility;
import org.groupcrm.core.api.subsidiary.SubsidiarySettingsDTO;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The body of {@code PUT /subsidiaries/{code}/settings} as the REST edge reads it. */
class SubsidiarySettingsJsonTest {
    private final ObjectMapper json = JsonProvider.createMapper();

    private ErrorBody refused(String body) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> json.readValue(body, SubsidiarySettingsDTO.class));
        Response r = new ErrorMappers.JsonErrors().toResponse(e);
        assertEquals(400, r.getStatus());
        return assertInstanceOf(ErrorBody.class, r.getEntity());
    }

    @Test
    void bothValuesAreRead() throws Exception {
        assertEquals(RecordVisibility.TEAM,
                json.readValue("{\"recordVisibility\":\"TEAM\"}", SubsidiarySettingsDTO.class).recordVisibility);
        assertEquals(RecordVisibility.OWN,
                json.readValue("{\"recordVisibility\":\"OWN\"}", SubsidiarySettingsDTO.class).recordVisibility);
    }

    @Test
    void anUnknownValueIs400NamingTheFieldAndTheAllowedValues() {
        for (String bad : List.of("\"EVERYONE\"", "\"team\"", "42", "[\"TEAM\"]")) {
            ErrorBody b = refused("{\"recordVisibility\":" + bad + "}");
            assertEquals("validation_failed", b.error());
            assertEquals("recordVisibility", b.fields().get(0).field(), bad);
        }
        assertEquals("cannot read 'EVERYONE' as one of [OWN, TEAM]",
                refused("{\"recordVisibility\":\"EVERYONE\"}").fields().get(0).reason());
    }

    @Test
    void anUnknownFieldIsNamed() {
        assertEquals("visibility", refused("{\"visibility\":\"TEAM\"}").fields().get(0).field());
    }

    @Test
    void theAnswerNamesTheSubsidiary() {
        SubsidiarySettingsDTO d = new SubsidiarySettingsDTO(RecordVisibility.TEAM);
        d.subsidiary = "SH";
        assertEquals("{\"subsidiary\":\"SH\",\"recordVisibility\":\"TEAM\"}", json.valueToTree(d).toString());
    }
}
