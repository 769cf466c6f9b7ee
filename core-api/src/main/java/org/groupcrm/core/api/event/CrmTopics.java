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

    /**
     * Approval requests ({@code entity} {@code approval}): each also carries {@code type}, {@code subjectType},
     * {@code subjectId} and {@code status} (after the change), {@code owner} is the submitter, {@code actor} who
     * acted; the decision events also {@code step}, {@code role} and {@code decision}.
     */
    public static final String APPROVAL_SUBMITTED = PREFIX + "approval/SUBMITTED";
    /** One step was approved or rejected ({@code decision}); the request may still be pending. */
    public static final String APPROVAL_STEP_DECIDED = PREFIX + "approval/STEP_DECIDED";
    /** The last step was approved: the request is approved. Follows its {@code STEP_DECIDED}. */
    public static final String APPROVAL_APPROVED = PREFIX + "approval/APPROVED";
    /** A step was rejected: the request is rejected. Follows its {@code STEP_DECIDED}. */
    public static final String APPROVAL_REJECTED = PREFIX + "approval/REJECTED";
    public static final String APPROVAL_WITHDRAWN = PREFIX + "approval/WITHDRAWN";

    private CrmTopics() {
    }
}
