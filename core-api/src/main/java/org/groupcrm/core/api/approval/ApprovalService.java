package org.groupcrm.core.api.approval;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.Page;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Approval requests of the caller's current subsidiary, for the core and for plugins: a plugin submits a request of
 * its own type and reacts to the decision through the events {@link org.groupcrm.core.api.event.CrmTopics#APPROVAL_APPROVED}
 * and {@link org.groupcrm.core.api.event.CrmTopics#APPROVAL_REJECTED} (filter on the {@code type} property).
 * <p>
 * Flow: the steps are decided in order; a request is {@link ApprovalStatus#APPROVED} when its last step is
 * approved, {@link ApprovalStatus#REJECTED} as soon as one step is rejected, and {@link ApprovalStatus#WITHDRAWN}
 * when its submitter takes it back while it is pending. A step is decided by an active user of the request's
 * subsidiary who holds the step's role; group administrators may decide any step; the submitter never decides
 * their own request (separation of duties).
 * <p>
 * Visibility: a caller sees the requests they submitted, those with a step they may review by position that the
 * request has reached (its current step or an earlier one), and, as administrators of the subsidiary (and group
 * administrators), every request of the subsidiary. A request the caller does not see is reported like one that does
 * not exist, by every method.
 * <p>
 * Threading and transactions: thread-safe; every method runs in its own transaction, which also writes the audit
 * entry of a submission, decision or withdrawal. Events are posted only after the commit, asynchronously. Must not
 * be called from inside another unit of work of the core.
 * <p>
 * Nullness: {@code caller} and the DTO arguments must not be {@code null} (a {@code null} body is a
 * {@link org.groupcrm.core.api.ValidationException} on {@code body}); results are never {@code null}.
 * <p>
 * Errors, common to every method: {@link org.groupcrm.core.api.SubsidiaryRequiredException} when the caller selected
 * no subsidiary; {@link org.groupcrm.core.api.NotFoundException} for a request that does not exist or belongs to
 * another subsidiary or that the caller does not see (indistinguishable); {@link org.groupcrm.core.api.UnavailableException} when the database
 * cannot be reached.
 */
@ProviderType
public interface ApprovalService {
    /** Most steps a request may have. */
    int MAX_STEPS = 5;

    /**
     * Submits a request in the caller's subsidiary, pending at its first step; the caller is its submitter.
     *
     * @return the stored request, {@link ApprovalStatus#PENDING} at step 0
     * @throws org.groupcrm.core.api.ValidationException a field is missing, malformed or too long; no step or more
     *                                                   than {@link #MAX_STEPS}; a step's role is not one of
     *                                                   {@link org.groupcrm.core.api.user.Roles#ALL}
     *                                                   (field {@code steps[i].role}); the subject is a
     *                                                   {@code customer}, {@code contact} or {@code activity} that
     *                                                   does not exist in the subsidiary or that the submitter does
     *                                                   not see (field {@code subject})
     */
    ApprovalDTO submit(CallerContext caller, ApprovalDTO request);

    /** @return the request, with all its steps */
    ApprovalDTO get(CallerContext caller, long id);

    /**
     * @return one page of the subsidiary's requests matching {@code query}, with the total
     * @throws org.groupcrm.core.api.ForbiddenException  {@code query.mine()} is {@code null} and the caller is no
     *                                                   administrator
     * @throws org.groupcrm.core.api.ValidationException {@code status}: other than {@code PENDING} with
     *                                                   {@link ApprovalQuery.Mine#PENDING}
     */
    Page<ApprovalDTO> list(CallerContext caller, ApprovalQuery query);

    /**
     * Approves the current step; the request moves on to the next step, or is approved after its last one.
     *
     * @return the request after the decision
     * @throws org.groupcrm.core.api.ValidationException {@code version} is missing, {@code comment} too long
     * @throws org.groupcrm.core.api.ForbiddenException  the caller submitted the request ({@code separation_of_duties}),
     *                                                   or does not hold the current step's role
     * @throws org.groupcrm.core.api.ConflictException   {@code version} is stale ({@code stale_version}) or the
     *                                                   request is no longer pending ({@code approval_closed});
     *                                                   nothing was written
     */
    ApprovalDTO approve(CallerContext caller, long id, ApprovalDecisionDTO decision);

    /**
     * Rejects the current step, and with it the request. Same contract as {@link #approve}, and a {@code comment}
     * saying why is required ({@link org.groupcrm.core.api.ValidationException} on {@code comment}).
     */
    ApprovalDTO reject(CallerContext caller, long id, ApprovalDecisionDTO decision);

    /**
     * Withdraws a pending request; only its submitter may.
     *
     * @throws org.groupcrm.core.api.ValidationException {@code version} is missing, {@code comment} too long
     * @throws org.groupcrm.core.api.ForbiddenException  the caller is not the submitter
     * @throws org.groupcrm.core.api.ConflictException   {@code version} is stale, or the request is closed
     */
    ApprovalDTO withdraw(CallerContext caller, long id, ApprovalDecisionDTO decision);
}
