package org.groupcrm.core.internal.rest;

import java.util.List;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.groupcrm.core.api.module.ModuleDTO;
import org.groupcrm.core.api.module.ModuleService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /modules}: the installed modules. */
@Component(service = ModuleResource.class)
@JaxrsResource
@JaxrsApplicationSelect(CrmApplication.SELECT)
@Path("modules")
@Produces(MediaType.APPLICATION_JSON)
public class ModuleResource {

    @Reference
    ModuleService modules;

    /** The installed modules, with their versions and their state in the caller's current subsidiary. */
    @GET
    public List<ModuleDTO> installed(@Context SecurityContext sc) {
        return modules.installed(Callers.of(sc));
    }
}
