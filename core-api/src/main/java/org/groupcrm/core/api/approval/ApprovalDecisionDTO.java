package org.groupcrm.core.api.approval;

import javax.validation.constraints.Size;

/**
 * A reviewer's decision on the current step, or the submitter's withdrawal.
 *
 * @see ApprovalService#approve
 */
public class ApprovalDecisionDTO {
    /** Optional on approval and withdrawal, required on rejection. */
    @Size(max = 2000)
    public String comment;

    /** The request's {@link ApprovalDTO#version} as the caller read it; required. */
    public Long version;

    public ApprovalDecisionDTO() {
    }

    public ApprovalDecisionDTO(String comment, Long version) {
        this.comment = comment;
        this.version = version;
    }
}
