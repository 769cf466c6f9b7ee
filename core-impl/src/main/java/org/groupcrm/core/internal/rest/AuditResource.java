package org.groupcrm.core.internal.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.Page;
import org.groupcrm.core.internal.service.AuditTrail;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /audit}: the audit trail, read-only, for administrators; newest first, paged. */
@Component(service = AuditResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    @Reference
    AuditTrail trail;

    /**
     * Filters: {@code entity} (customer, contact, activity, user, subsidiary, module_state, ...; modules' as
     * {@code <module>.<type>}, e.g. {@code pipeline.stages}) and its {@code id}.
     */
    @GET
    public Page<AuditTrail.EntryDTO> find(@Context SecurityContext sc, @QueryParam("entity") String entity,
            @QueryParam("id") String id, @QueryParam("page") String page, @QueryParam("size") String size) {
        return trail.find(Callers.of(sc), Params.text("entity", blankToNull(entity)), Params.text("id", blankToNull(id)),
                Params.page(page, size));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
