package org.groupcrm.core.internal.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.module.ModuleService;
import org.groupcrm.core.api.module.ModuleStateDTO;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /subsidiaries/{code}/modules}: module states of one subsidiary, and their history. */
@Component(service = SubsidiaryModuleResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("subsidiaries/{code}/modules")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SubsidiaryModuleResource {

    @Reference
    ModuleService modules;

    /** The state of every installed module in a subsidiary (its administrators). */
    @GET
    public List<ModuleStateDTO> states(@Context SecurityContext sc, @PathParam("code") String code) {
        return modules.states(Callers.of(sc), code);
    }

    /** Sets a module's state in a subsidiary: {@code {"state":"PILOT","pilotUsers":["li"],"from":"2026-12-01"}}. */
    @PUT
    @Path("{module}")
    public ModuleStateDTO setState(@Context SecurityContext sc, @PathParam("code") String code,
            @PathParam("module") String module, ModuleStateDTO body) {
        return modules.setState(Callers.of(sc), code, module, body);
    }

    /** Every change of a module's state in a subsidiary, newest first. */
    @GET
    @Path("{module}/history")
    public List<ModuleStateDTO> history(@Context SecurityContext sc, @PathParam("code") String code,
            @PathParam("module") String module) {
        return modules.history(Callers.of(sc), code, module);
    }
}
