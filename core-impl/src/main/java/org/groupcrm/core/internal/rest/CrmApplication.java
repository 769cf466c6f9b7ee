package org.groupcrm.core.internal.rest;

import javax.ws.rs.core.Application;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * The core's JAX-RS application under {@code /api/v1}. It only goes live once the CRM's JSON provider and the
 * authentication filter are registered, so no request is ever answered without them. Core resources and extensions select it by {@link #SELECT}.
 */
@Component(service = Application.class)
@JaxrsName(CrmApplication.NAME)
@JaxrsApplicationBase(CrmApplication.BASE)
@JaxrsExtensionSelect({"(osgi.jaxrs.name=" + JsonProvider.NAME + ")", "(osgi.jaxrs.name=" + AuthenticationFilter.NAME + ")"})
public class CrmApplication extends Application {
    public static final String NAME = "crm";
    public static final String BASE = "api/v1";
    public static final String SELECT = "(osgi.jaxrs.name=" + NAME + ")";
}
