package org.groupcrm.core.internal.rest;

import java.util.List;
import java.util.Map;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.internal.security.ApiTokens;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /tokens}: API tokens for integrations, acting as the user who creates them. The secret is in the answer to
 * {@code POST} only; lists never show it. {@code DELETE} revokes at once.
 */
@Component(service = TokenResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource {

    @Reference
    ApiTokens tokens;

    /** Body {@code {"name": "ERP sync"}}. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Context SecurityContext sc, Map<String, Object> body) {
        Object name = body == null ? null : body.get("name");
        if (body != null && body.keySet().stream().anyMatch(k -> !"name".equals(k))) {
            throw new ValidationException("body", "only 'name' can be set");
        }
        ApiTokens.TokenDTO created = tokens.create(Callers.of(sc), name instanceof String n ? n : null);
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    /** The caller's tokens (a group administrator: everyone's), without secrets. */
    @GET
    public List<ApiTokens.TokenDTO> list(@Context SecurityContext sc) {
        return tokens.list(Callers.of(sc));
    }

    @DELETE
    @Path("{id}")
    public ApiTokens.TokenDTO revoke(@Context SecurityContext sc, @PathParam("id") long id) {
        return tokens.revoke(Callers.of(sc), id);
    }
}
