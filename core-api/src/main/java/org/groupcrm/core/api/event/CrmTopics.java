package org.groupcrm.core.api.event;

/**
 * EventAdmin topics the core posts (asynchronously, after the transaction committed). Each event carries the
 * properties of {@link CrmEventProperties}. Subscribe with {@code event.topics=org/groupcrm/core/customer/*} etc.
 */
public final class CrmTopics {
    public static final String PREFIX = "org/groupcrm/core/";

    public static final String CUSTOMER_CREATED = PREFIX + "customer/CREATED";
    public static final String CUSTOMER_UPDATED = PREFIX + "customer/UPDATED";
    public static final String CUSTOMER_ARCHIVED = PREFIX + "customer/ARCHIVED";
    /** A customer changed hands; {@code owner} is the new owner, {@code previousOwner} the former one. */
    public static final String CUSTOMER_REASSIGNED = PREFIX + "customer/REASSIGNED";

    public static final String CONTACT_CREATED = PREFIX + "contact/CREATED";
    public static final String CONTACT_UPDATED = PREFIX + "contact/UPDATED";
    public static final String CONTACT_ARCHIVED = PREFIX + "contact/ARCHIVED";

    public static final String ACTIVITY_CREATED = PREFIX + "activity/CREATED";
    public static final String ACTIVITY_UPDATED = PREFIX + "activity/UPDATED";
    public static final String ACTIVITY_COMPLETED = PREFIX + "activity/COMPLETED";
    public static final String ACTIVITY_ARCHIVED = PREFIX + "activity/ARCHIVED";

    private CrmTopics() {
    }
}
