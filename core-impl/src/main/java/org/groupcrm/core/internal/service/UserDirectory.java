package org.groupcrm.core.internal.service;

import org.groupcrm.core.internal.persistence.Tx;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Look-ups of users for other parts of the core that need no DTO. */
@Component(service = UserDirectory.class)
public class UserDirectory {

    @Reference
    Tx tx;

    /** @return whether {@code login} is an enabled user who may act in the subsidiary {@code code} */
    public boolean activeIn(String login, String code) {
        return tx.run((em, events) -> Records.findActiveUserIn(em, login, code).isPresent());
    }
}
