package org.groupcrm.itests.memo.internal;

import java.util.Set;

import javax.ws.rs.core.Application;

import org.groupcrm.core.api.customer.CustomerService;
import org.groupcrm.core.api.module.ModuleApplications;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/** Registers the memo module's JAX-RS application at /api/v1/memo once the module (and so its schema) is ready. */
@Component(service = {})
public class MemoApplication {
    private ServiceRegistration<Application> registration;

    @Reference
    MemoModule module;

    @Reference
    CustomerService customers;

    @Activate
    void activate(BundleContext context) {
        MemoResource resource = new MemoResource(module, customers);
        Application app = new Application() {
            @Override
            public Set<Object> getSingletons() {
                return Set.of(resource);
            }
        };
        registration = context.registerService(Application.class, app, ModuleApplications.properties(MemoModule.ID));
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
