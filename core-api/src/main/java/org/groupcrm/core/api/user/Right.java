package org.groupcrm.core.api.user;

/**
 * What a position may do with a type of record. Positions grant rights per resource type; the core's types and the
 * types modules contribute ({@link org.groupcrm.core.api.module.ResourceType}) use the same rights.
 */
public enum Right {
    /** Enter new records. */
    ENTER,
    /** Review (approve or reject) records others entered. */
    REVIEW,
    /** Look records up and list them. */
    QUERY,
    /** Change or archive existing records. */
    MODIFY,
    /** Administer the type: its configuration and everybody's records. */
    ADMIN
}
