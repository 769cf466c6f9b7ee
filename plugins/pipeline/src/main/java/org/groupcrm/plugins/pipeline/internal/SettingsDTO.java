package org.groupcrm.plugins.pipeline.internal;

/** The subsidiary's pipeline settings. */
public class SettingsDTO {
    /**
     * An open opportunity without activity (a change, comment or customer activity) for this many days is stalled:
     * 1 to 365, default 14.
     */
    public Integer stalledDays;

    static SettingsDTO of(int stalledDays) {
        SettingsDTO s = new SettingsDTO();
        s.stalledDays = stalledDays;
        return s;
    }
}
