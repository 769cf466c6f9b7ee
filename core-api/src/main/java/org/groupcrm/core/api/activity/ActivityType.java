package org.groupcrm.core.api.activity;

/** What kind of work with a customer an activity records. */
public enum ActivityType {
    VISIT, CALL, MESSAGE, MEETING, SERVICE, SUGGESTION, NOTE
}
