package org.groupcrm.core.api.module;

import org.groupcrm.core.api.event.CrmEventProperties;
import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventHandler;

/**
 * Base of a module's EventAdmin handler that only acts on events of subsidiaries where the module is in force: ON,
 * or PILOT with the event's user ({@link #userOf(Event)}: by default its actor, {@link CrmEventProperties#ACTOR})
 * among the pilot users, from the state's date.
 * Events without a {@link CrmEventProperties#SUBSIDIARY} are ignored.
 * <p>
 * Register the subclass as an {@code EventHandler} service with {@code event.topics} and
 * {@link CrmModule#MODULE_PROPERTY}; give it the {@link ModuleService} (e.g. a DS reference).
 * {@link #handleInForce(Event)} runs on EventAdmin's thread: return quickly, and do not throw (EventAdmin logs and
 * may blacklist a handler that throws or times out).
 */
@ConsumerType
public abstract class ModuleEventHandler implements EventHandler {

    /** @return the module this handler belongs to */
    protected abstract String moduleId();

    /** @return the module service, or {@code null} when it is gone (the event is then ignored) */
    protected abstract ModuleService moduleService();

    /** Called for each event of a subsidiary where the module is in force for the event's user. */
    protected abstract void handleInForce(Event event);

    /**
     * @return the login whose pilot membership decides whether the event counts: by default the actor (who made the
     *         change); a handler that works for the record's owner overrides this to return
     *         {@link CrmEventProperties#OWNER}. {@code null} means: only where the module is ON for everyone.
     */
    protected String userOf(Event event) {
        return event.getProperty(CrmEventProperties.ACTOR) instanceof String a ? a : null;
    }

    @Override
    public final void handleEvent(Event event) {
        ModuleService modules = moduleService();
        Object subsidiary = event.getProperty(CrmEventProperties.SUBSIDIARY);
        if (modules != null && subsidiary instanceof String s && modules.inForce(s, userOf(event), moduleId())) {
            handleInForce(event);
        }
    }
}
