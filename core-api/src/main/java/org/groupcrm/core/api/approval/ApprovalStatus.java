package org.groupcrm.core.api.approval;

/** Where a request, or one of its steps, stands. */
public enum ApprovalStatus {
    /** A request: waiting for its current step. A step: not decided yet (the current step or a later one). */
    PENDING,
    /** A request: its last step was approved. A step: approved by its reviewer. */
    APPROVED,
    /** A request: one of its steps was rejected; later steps are never decided. A step: rejected by its reviewer. */
    REJECTED,
    /** A request only: withdrawn by its submitter while pending; its undecided steps stay {@code PENDING}. */
    WITHDRAWN
}
