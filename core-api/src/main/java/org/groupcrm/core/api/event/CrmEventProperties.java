package org.groupcrm.core.api.event;

/** Keys of the properties every core event carries. Values are Strings unless stated otherwise. */
public final class CrmEventProperties {
    /** Code of the subsidiary the record belongs to. */
    public static final String SUBSIDIARY = "subsidiary";
    /** Entity kind: {@code customer}, {@code contact} or {@code activity}. */
    public static final String ENTITY = "entity";
    /** Database id of the record ({@link Long}). */
    public static final String ID = "id";
    /** Id of the customer the record belongs to ({@link Long}; the customer's own id for customers). */
    public static final String CUSTOMER_ID = "customerId";
    /** Login of the record's owner, if it has one. */
    public static final String OWNER = "owner";
    /** Login of the former owner, on a reassignment. */
    public static final String PREVIOUS_OWNER = "previousOwner";
    /** Login of the user whose request caused the change. */
    public static final String ACTOR = "actor";
    /** Version of the record after the change ({@link Long}). */
    public static final String VERSION = "version";
    /** Commit time ({@link Long}, epoch milliseconds). */
    public static final String TIMESTAMP = "timestamp";

    private CrmEventProperties() {
    }
}
