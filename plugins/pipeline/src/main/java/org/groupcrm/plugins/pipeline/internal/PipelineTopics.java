package org.groupcrm.plugins.pipeline.internal;

/**
 * EventAdmin topics the pipeline posts after each committed change, for the KPI module and others. Every event
 * carries {@code subsidiary}, {@code actor} (login), {@code id}, {@code customerId}, {@code owner} (or {@code rep}),
 * {@code amount} (a string) and {@code currency}; stage events carry {@code fromStage} and {@code toStage} (codes).
 */
public final class PipelineTopics {
    public static final String PREFIX = PipelineModule.TOPIC_PREFIX;
    public static final String OPPORTUNITY_CREATED = PREFIX + "opportunity/CREATED";
    public static final String OPPORTUNITY_STAGE_CHANGED = PREFIX + "opportunity/STAGE_CHANGED";
    public static final String OPPORTUNITY_WON = PREFIX + "opportunity/WON";
    public static final String OPPORTUNITY_LOST = PREFIX + "opportunity/LOST";
    public static final String ORDER_ENTERED = PREFIX + "order/ENTERED";

    private PipelineTopics() {
    }
}
