package org.groupcrm.core.internal.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.ValidationException.FieldError;
import org.groupcrm.core.api.approval.ApprovalDTO;
import org.groupcrm.core.api.approval.ApprovalDecisionDTO;
import org.groupcrm.core.api.approval.ApprovalStatus;
import org.groupcrm.core.api.approval.ApprovalStepDTO;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.ApprovalEntity;
import org.groupcrm.core.internal.persistence.ApprovalStepEntity;
import org.groupcrm.core.internal.persistence.UserEntity;

/** The approval state machine and the rules of who may do what: pure logic on the entities, no database. */
final class ApprovalFlow {
    private ApprovalFlow() {
    }

    /**
     * @return an error on {@code steps[i]} for each missing step and on {@code steps[i].role} for each step whose role
     *         is not a known position; blank roles and the number of steps are left to Bean Validation
     */
    static List<FieldError> stepErrors(List<ApprovalStepDTO> steps, Set<String> known) {
        List<FieldError> errors = new ArrayList<>();
        if (steps == null) {
            return errors;
        }
        for (int i = 0; i < steps.size(); i++) {
            ApprovalStepDTO s = steps.get(i);
            if (s == null) {
                errors.add(new FieldError("steps[" + i + "]", "must not be null"));
            } else if (s.role != null && !s.role.isBlank() && !known.contains(s.role.strip())) {
                errors.add(new FieldError("steps[" + i + "].role",
                        "unknown position '" + s.role + "'; known: " + new TreeSet<>(known)));
            }
        }
        return errors;
    }

    /** @return an error on {@code comment} when a rejection says nothing */
    static List<FieldError> decisionErrors(ApprovalStatus decision, ApprovalDecisionDTO body) {
        if (decision == ApprovalStatus.REJECTED && body != null && Records.clean(body.comment) == null) {
            return List.of(new FieldError("comment", "must not be blank: say why the request is rejected"));
        }
        return List.of();
    }

    /** @return a new request, pending at its first step, from a validated submission */
    static ApprovalEntity submitted(long subsidiaryId, ApprovalDTO in, UserEntity submitter, Instant now) {
        ApprovalEntity a = new ApprovalEntity();
        a.subsidiaryId = subsidiaryId;
        a.type = in.type;
        a.subjectType = in.subjectType;
        a.subjectId = in.subjectId.strip();
        a.summary = in.summary.strip();
        a.status = ApprovalStatus.PENDING;
        a.submittedBy = submitter;
        for (int i = 0; i < in.steps.size(); i++) {
            ApprovalStepEntity s = new ApprovalStepEntity();
            s.approval = a;
            s.position = i;
            s.role = in.steps.get(i).role.strip();
            s.status = ApprovalStatus.PENDING;
            a.steps.add(s);
        }
        a.currentStep = 0;
        a.currentRole = a.steps.get(0).role;
        a.created(now);
        return a;
    }

    /**
     * Checks, in this order, that {@code caller} is not the submitter (403), sent the current {@code version} (400
     * when missing, 409 when stale), that the request is pending (409) and that the caller may decide its current
     * step: a group administrator, or an active user of the request's subsidiary holding the step's role (403).
     *
     * @param activeInSubsidiary whether the caller's user is enabled and may act in the request's subsidiary
     */
    static void checkMayDecide(ApprovalEntity a, CallerContext caller, boolean activeInSubsidiary, Long version) {
        if (isSubmitter(a, caller)) {
            throw new ForbiddenException("separation_of_duties",
                    "you submitted approval " + a.id + ": someone else must review it");
        }
        Records.checkVersion("approval", a.id, version, a.version);
        checkPending(a);
        if (!mayDecideCurrentStep(a, caller, activeInSubsidiary)) {
            throw new ForbiddenException("step " + (a.currentStep + 1) + " of approval " + a.id
                    + " is decided by position '" + a.currentRole + "', which you do not hold");
        }
    }

    /** @return whether {@code caller} may decide the current step of the pending request {@code a} now */
    static boolean mayDecideCurrentStep(ApprovalEntity a, CallerContext caller, boolean activeInSubsidiary) {
        if (a.status != ApprovalStatus.PENDING || isSubmitter(a, caller)) {
            return false;
        }
        return caller.hasRole(Roles.GROUP_ADMIN) || (activeInSubsidiary && caller.hasRole(a.currentRole));
    }

    /**
     * Who sees a request: its submitter; whoever holds the position of a step the request has reached (its current
     * step, or one decided before; so a reviewer keeps seeing what they decided while they hold the position); the
     * subsidiary's administrators and group administrators (see {@link Access#isAdmin}). Everyone else is told it does
     * not exist.
     */
    static boolean sees(ApprovalEntity a, CallerContext caller) {
        if (Access.isAdmin(caller) || isSubmitter(a, caller)) {
            return true;
        }
        return reachedSteps(a).stream().anyMatch(s -> caller.hasRole(s.role));
    }

    /**
     * @return the steps the request has reached, in order: every step up to the first one not approved (the current
     *         step of a pending request, the rejected step, the step a withdrawal stopped at); all of an approved one
     */
    static List<ApprovalStepEntity> reachedSteps(ApprovalEntity a) {
        List<ApprovalStepEntity> reached = new ArrayList<>();
        for (ApprovalStepEntity s : a.steps) {
            reached.add(s);
            if (s.status != ApprovalStatus.APPROVED) {
                break;
            }
        }
        return reached;
    }

    /**
     * Decides the current step: the request moves on to the next step, is approved after its last one, or is
     * rejected with its step. Call {@link #checkMayDecide} first.
     *
     * @return the step that was decided
     */
    static ApprovalStepEntity decide(ApprovalEntity a, ApprovalStatus decision, UserEntity reviewer, String comment,
            Instant now) {
        if (decision != ApprovalStatus.APPROVED && decision != ApprovalStatus.REJECTED) {
            throw new IllegalArgumentException("a step is approved or rejected, not " + decision);
        }
        checkPending(a);
        ApprovalStepEntity step = a.steps.get(a.currentStep);
        step.status = decision;
        step.decidedBy = reviewer;
        step.decidedAt = now;
        step.comment = Records.clean(comment);
        if (decision == ApprovalStatus.REJECTED) {
            close(a, ApprovalStatus.REJECTED, now);
        } else if (a.currentStep == a.steps.size() - 1) {
            close(a, ApprovalStatus.APPROVED, now);
        } else {
            a.currentStep = a.currentStep + 1;
            a.currentRole = a.steps.get(a.currentStep).role;
        }
        a.updatedAt = now;
        return step;
    }

    /** Withdraws the pending request; only its submitter may (403), with the current {@code version}. */
    static void withdraw(ApprovalEntity a, CallerContext caller, Long version, Instant now) {
        if (!isSubmitter(a, caller)) {
            throw new ForbiddenException("only the submitter of approval " + a.id + " may withdraw it");
        }
        Records.checkVersion("approval", a.id, version, a.version);
        checkPending(a);
        close(a, ApprovalStatus.WITHDRAWN, now);
        a.updatedAt = now;
    }

    /** @return the request as audit values: its own fields and each step's, flat, so a diff names what changed */
    static Map<String, Object> auditView(ApprovalEntity a) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("type", a.type);
        v.put("subjectType", a.subjectType);
        v.put("subjectId", a.subjectId);
        v.put("summary", a.summary);
        v.put("status", a.status == null ? null : a.status.name());
        v.put("currentStep", a.currentStep);
        v.put("currentRole", a.currentRole);
        v.put("submittedBy", a.submittedBy == null ? null : a.submittedBy.login);
        for (ApprovalStepEntity s : a.steps) {
            String p = "steps[" + s.position + "].";
            v.put(p + "role", s.role);
            v.put(p + "status", s.status == null ? null : s.status.name());
            v.put(p + "decidedBy", s.decidedBy == null ? null : s.decidedBy.login);
            v.put(p + "comment", s.comment);
        }
        return v;
    }

    private static boolean isSubmitter(ApprovalEntity a, CallerContext caller) {
        return a.submittedBy != null && a.submittedBy.id != null && a.submittedBy.id == caller.userId();
    }

    private static void checkPending(ApprovalEntity a) {
        if (a.status != ApprovalStatus.PENDING) {
            throw new ConflictException("approval_closed",
                    "approval " + a.id + " is " + a.status.name().toLowerCase(java.util.Locale.ROOT) + " and can no longer change");
        }
    }

    private static void close(ApprovalEntity a, ApprovalStatus status, Instant at) {
        a.status = status;
        a.currentStep = null;
        a.currentRole = null;
        a.closedAt = at;
    }
}
