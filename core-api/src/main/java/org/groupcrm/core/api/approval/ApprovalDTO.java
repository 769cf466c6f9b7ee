package org.groupcrm.core.api.approval;

import java.time.Instant;
import java.util.List;

import javax.validation.Valid;
import javax.validation.constraints.NotBlank;
import javax.validation.constraints.NotNull;
import javax.validation.constraints.Pattern;
import javax.validation.constraints.Size;

/**
 * An approval request of one subsidiary.
 * <p>
 * Writable on submit: {@code type} (a short code such as {@code discount} or {@code credit-limit}; plugins define
 * their own), {@code subjectType} and {@code subjectId} (what the request is about, e.g. {@code customer} /
 * {@code 42}; where the type is one of the core's records, {@code customer}, {@code contact} or {@code activity}, the
 * record must exist in the subsidiary and the submitter must see it; other types, such as a plugin's own, are not
 * checked by the core), {@code summary} (what the reviewers are asked to decide) and {@code steps}
 * (1 to {@link ApprovalService#MAX_STEPS}, decided in order). Read-only: everything else. Requests are never
 * changed after submission except by decisions and withdrawal, and never deleted.
 */
public class ApprovalDTO {
    /** Allowed form of {@code type} and {@code subjectType}: lower-case letters, digits and dashes. */
    public static final String CODE_PATTERN = "[a-z][a-z0-9-]*";

    public Long id;
    /** Code of the subsidiary the request belongs to. */
    public String subsidiary;

    @NotBlank
    @Size(max = 40)
    @Pattern(regexp = CODE_PATTERN, message = "must be a short code of lower-case letters, digits and dashes")
    public String type;

    @NotBlank
    @Size(max = 40)
    @Pattern(regexp = CODE_PATTERN, message = "must be a short code of lower-case letters, digits and dashes")
    public String subjectType;

    @NotBlank
    @Size(max = 64)
    public String subjectId;

    @NotBlank
    @Size(max = 2000)
    public String summary;

    @NotNull
    @Size(min = 1, max = ApprovalService.MAX_STEPS)
    public List<@Valid ApprovalStepDTO> steps;

    public ApprovalStatus status;
    /** Zero-based index of the step waiting for a decision; {@code null} once the request is closed. */
    public Integer currentStep;
    /** Role of the step waiting for a decision; {@code null} once the request is closed. */
    public String currentRole;

    /** Login of the submitter, who may withdraw it and may never decide it. */
    public String submittedBy;
    public Instant submittedAt;
    /** When the request was approved, rejected or withdrawn; {@code null} while pending. */
    public Instant closedAt;

    public Instant updatedAt;
    /** Changes with every decision; send it back with a decision or a withdrawal. */
    public Long version;
}
