package org.groupcrm.core.api.activity;

/**
 * Which open follow-up reminders to list, relative to the current time and the calendar day in the subsidiary's
 * time zone.
 */
public enum DueFilter {
    /** Due before now. */
    OVERDUE,
    /** Due from now until the end of today. */
    TODAY,
    /** Due after today. */
    UPCOMING,
    /** Every open reminder. */
    ALL
}
