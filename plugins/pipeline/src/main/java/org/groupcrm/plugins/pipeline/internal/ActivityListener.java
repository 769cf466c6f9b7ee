package org.groupcrm.plugins.pipeline.internal;

import org.groupcrm.core.api.event.CrmEventProperties;
import org.groupcrm.core.api.event.CrmTopics;
import org.groupcrm.core.api.module.CrmModule;
import org.groupcrm.core.api.module.ModuleEventHandler;
import org.groupcrm.core.api.module.ModuleService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code last_activity_at} of opportunities current: when an activity of a customer is created, changed or
 * completed in the core, the customer's OPEN opportunities in that subsidiary have activity now (which ends their
 * stall). The follow-up reminders the {@link StalledReminderJob} creates are not activity. Only events of
 * subsidiaries where the pipeline is in force for the event's actor are seen (see {@link ModuleEventHandler}).
 */
@Component(service = EventHandler.class, property = {
        EventConstants.EVENT_TOPIC + "=" + CrmTopics.ACTIVITY_CREATED,
        EventConstants.EVENT_TOPIC + "=" + CrmTopics.ACTIVITY_UPDATED,
        EventConstants.EVENT_TOPIC + "=" + CrmTopics.ACTIVITY_COMPLETED,
        CrmModule.MODULE_PROPERTY + "=" + PipelineModule.ID})
public class ActivityListener extends ModuleEventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ActivityListener.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ModuleService modules;

    @Reference
    StalledService stalled;

    public ActivityListener() {
    }

    /** For tests. */
    ActivityListener(ModuleService modules, StalledService stalled) {
        this.modules = modules;
        this.stalled = stalled;
    }

    @Override
    protected String moduleId() {
        return PipelineModule.ID;
    }

    @Override
    protected ModuleService moduleService() {
        return modules;
    }

    /**
     * Pilot membership is decided by the activity's owner (the rep whose customer it is), not by who typed it: an
     * assistant's entry for a pilot rep counts.
     */
    @Override
    protected String userOf(Event event) {
        Object owner = event.getProperty(CrmEventProperties.OWNER);
        return owner instanceof String o ? o : super.userOf(event);
    }

    @Override
    protected void handleInForce(Event event) {
        Object subsidiary = event.getProperty(CrmEventProperties.SUBSIDIARY);
        Object customer = event.getProperty(CrmEventProperties.CUSTOMER_ID);
        Object actor = event.getProperty(CrmEventProperties.ACTOR);
        if (!(subsidiary instanceof String s) || !(customer instanceof Number n)) {
            return;
        }
        try {
            stalled.activityRecorded(s, n.longValue(), actor instanceof String a ? a : null,
                    CrmTopics.ACTIVITY_CREATED.equals(event.getTopic()));
        } catch (RuntimeException e) {
            LOG.warn("Could not record the activity of customer {} in subsidiary {} on its opportunities", n, s, e);
        }
    }
}
