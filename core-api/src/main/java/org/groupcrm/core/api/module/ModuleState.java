package org.groupcrm.core.api.module;

/** Whether a module is in force for a subsidiary. */
public enum ModuleState {
    /** Not in force for anyone. */
    OFF,
    /** In force only for the named pilot users, optionally from a date. */
    PILOT,
    /** In force for everyone in the subsidiary, optionally from a date. */
    ON
}
