package org.groupcrm.core.internal.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.approval.ApprovalQuery;
import org.groupcrm.core.api.approval.ApprovalStatus;
import org.groupcrm.core.internal.rest.openapi.OpenApiGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ApprovalResource}: its query parameters, and its operations in the OpenAPI document. */
class ApprovalResourceTest {

    @Test
    void mineIsPendingSubmittedOrAbsent() {
        assertEquals(ApprovalQuery.Mine.PENDING, ApprovalResource.mine("pending"));
        assertEquals(ApprovalQuery.Mine.SUBMITTED, ApprovalResource.mine(" Submitted "));
        assertNull(ApprovalResource.mine(null));
        assertNull(ApprovalResource.mine(" "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"all", "me", "pending,submitted"})
    void anyOtherMineIs400NamingIt(String mine) {
        ValidationException e = assertThrows(ValidationException.class, () -> ApprovalResource.mine(mine));
        assertEquals("mine", e.fields().get(0).field());
    }

    @Test
    void statusIsCaseInsensitiveAndNamedWhenUnknown() {
        assertEquals(ApprovalStatus.REJECTED, ApprovalResource.status("rejected"));
        assertNull(ApprovalResource.status(""));
        assertEquals("status", assertThrows(ValidationException.class, () -> ApprovalResource.status("done"))
                .fields().get(0).field());
    }

    @Test
    void everyOperationIsInTheOpenApiDocument() {
        Map<String, Object> doc = new OpenApiGenerator("CRM API", "1", "d").generate("/api/v1/", List.of(ApprovalResource.class));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) doc.get("paths");
        assertEquals(List.of("/api/v1/approvals", "/api/v1/approvals/{id}", "/api/v1/approvals/{id}/approve",
                "/api/v1/approvals/{id}/reject", "/api/v1/approvals/{id}/withdraw"), List.copyOf(paths.keySet()));
        assertEquals(List.of("get", "post"), List.copyOf(paths.get("/api/v1/approvals").keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> schemas = (Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas");
        assertEquals(true, schemas.containsKey("ApprovalDTO") && schemas.containsKey("ApprovalDecisionDTO"), schemas.keySet().toString());
    }
}
