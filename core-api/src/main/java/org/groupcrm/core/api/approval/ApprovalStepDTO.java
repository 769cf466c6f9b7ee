package org.groupcrm.core.api.approval;

import java.time.Instant;

import javax.validation.constraints.NotBlank;
import javax.validation.constraints.Size;

/**
 * One review step of a request: the position (a role name of {@link org.groupcrm.core.api.user.Roles#ALL}) whose
 * holders decide it.
 * <p>
 * Writable on submit: {@code role}. Read-only: {@code status}, {@code decidedBy}, {@code decidedAt},
 * {@code comment}.
 */
public class ApprovalStepDTO {
    @NotBlank
    @Size(max = 64)
    public String role;

    public ApprovalStatus status;
    /** Login of the reviewer who decided the step, or {@code null} while undecided. */
    public String decidedBy;
    public Instant decidedAt;
    /** The reviewer's comment, if any (always present on a rejection). */
    public String comment;

    public ApprovalStepDTO() {
    }

    public ApprovalStepDTO(String role) {
        this.role = role;
    }
}
