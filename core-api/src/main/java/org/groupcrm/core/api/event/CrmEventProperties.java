package org.groupcrm.core.api.event;

/** Keys of the properties every core event carries. Values are Strings unless stated otherwise. */
public final class CrmEventProperties {
    /** Code of the subsidiary the record belongs to. */
    public static final String SUBSIDIARY = "subsidiary";
    /** Entity kind: {@code customer}, {@code contact}, {@code activity} or {@code approval}. */
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

    /** Approvals: the request's type, e.g. {@code discount}. */
    public static final String APPROVAL_TYPE = "type";
    /** Approvals: what the request is about, e.g. {@code customer}. */
    public static final String SUBJECT_TYPE = "subjectType";
    /** Approvals: id of what the request is about, as submitted (a String). */
    public static final String SUBJECT_ID = "subjectId";
    /** Approvals: the request's status after the change ({@code PENDING}, {@code APPROVED}, ...). */
    public static final String STATUS = "status";
    /** Approvals: zero-based index of the decided step ({@link Integer}). */
    public static final String STEP = "step";
    /** Approvals: role of the decided step. */
    public static final String ROLE = "role";
    /** Approvals: the step's decision, {@code APPROVED} or {@code REJECTED}. */
    public static final String DECISION = "decision";

    private CrmEventProperties() {
    }
}
