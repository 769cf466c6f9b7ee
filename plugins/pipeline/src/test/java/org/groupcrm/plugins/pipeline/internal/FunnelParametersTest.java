package org.groupcrm.plugins.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.Principal;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.plugins.pipeline.internal.rest.FunnelResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The funnel's query parameters: converted from text, every bad one a 400 ({@link ValidationException}) naming it,
 * and the 403 for a rep asking for another rep; both refused before the database is touched (the service here has
 * none).
 */
class FunnelParametersTest {
    private final FunnelService service = new FunnelService((Db) null, new ModuleRights());
    private final FunnelResource resource = new FunnelResource(service);

    private static List<String> fields(ValidationException e) {
        return e.fields().stream().map(ValidationException.FieldError::field).toList();
    }

    @Test
    void acceptsAQuarter() {
        FunnelService.Query q = FunnelService.parse("2026-07-01", "2026-09-30", null);
        assertEquals(LocalDate.of(2026, 7, 1), q.from());
        assertEquals(LocalDate.of(2026, 9, 30), q.to());
        assertNull(q.owner());
    }

    @Test
    void acceptsOneDayAndALeapYear() {
        assertEquals(LocalDate.of(2026, 7, 1), FunnelService.parse("2026-07-01", "2026-07-01", null).to());
        assertEquals(LocalDate.of(2028, 12, 31), FunnelService.parse("2028-01-01", "2028-12-31", null).to()); // 366 days
        assertEquals("alice", FunnelService.parse(" 2026-07-01 ", "2026-07-02", " alice ").owner());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "NULL,       2026-09-30, from",
            "'',         2026-09-30, from",
            "'  ',       2026-09-30, from",
            "2026-7-1,   2026-09-30, from",
            "01.07.2026, 2026-09-30, from",
            "2026-02-30, 2026-09-30, from",
            "2026-13-01, 2026-09-30, from",
            "yesterday,  2026-09-30, from",
            "2026-07-01T00:00:00Z, 2026-09-30, from",
            "+2026-07-01, 2026-09-30, from",
            "2026-07-01, NULL,       to",
            "2026-07-01, 2026-09-31, to",
            "2026-07-01, 2026-06-30, to",
            "2026-01-01, 2027-01-02, to",
            "2028-01-01, 2029-01-01, to"})
    void aBadDateIsA400NamingIt(String from, String to, String field) {
        ValidationException e = assertThrows(ValidationException.class, () -> FunnelService.parse(from, to, null));
        assertEquals(List.of(field), fields(e));
    }

    @Test
    void everyBadParameterIsNamed() {
        ValidationException e = assertThrows(ValidationException.class, () -> FunnelService.parse("x", null, " "));
        assertEquals(List.of("from", "owner", "to"), fields(e));
    }

    @Test
    void aBadOwnerIsA400() {
        assertEquals(List.of("owner"), fields(assertThrows(ValidationException.class,
                () -> FunnelService.parse("2026-07-01", "2026-09-30", ""))));
        assertEquals(List.of("owner"), fields(assertThrows(ValidationException.class,
                () -> FunnelService.parse("2026-07-01", "2026-09-30", "a".repeat(65)))));
        assertEquals(List.of("owner"), fields(assertThrows(ValidationException.class,
                () -> FunnelService.parse("2026-07-01", "2026-09-30", "al\u0000ice"))));
    }

    @Test
    void theResourcePassesTheParametersOn() {
        CallerContext rep = new CallerContext(2, "alice", "S1", Set.of(Roles.USER));
        ValidationException e = assertThrows(ValidationException.class,
                () -> resource.funnel(security(rep), "2026-07-01", "2026-06-01", null, null));
        assertEquals(List.of("to"), fields(e));
        assertThrows(ForbiddenException.class, () -> resource.funnel(security(rep), "2026-07-01", "2026-09-30", "bob", null));
        assertEquals(List.of("team"), fields(assertThrows(ValidationException.class,
                () -> resource.funnel(security(rep), "2026-07-01", "2026-09-30", "alice", "east"))));
    }

    @Test
    void aTeamIsACodeAndNotGivenWithAnOwner() {
        assertEquals("east", FunnelService.parse("2026-07-01", "2026-09-30", null, " east ").team());
        for (String bad : List.of("", " ", "East", "east side", "-east", "e".repeat(65))) {
            assertEquals(List.of("team"), fields(assertThrows(ValidationException.class,
                    () -> FunnelService.parse("2026-07-01", "2026-09-30", null, bad))), bad);
        }
        assertEquals(List.of("team"), fields(assertThrows(ValidationException.class,
                () -> FunnelService.parse("2026-07-01", "2026-09-30", "alice", "east"))));
    }

    private static SecurityContext security(Principal principal) {
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String role) {
                return false;
            }

            @Override
            public boolean isSecure() {
                return true;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        };
    }
}
