package org.groupcrm.core.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.ValidationException.FieldError;
import org.groupcrm.core.api.approval.ApprovalDTO;
import org.groupcrm.core.api.approval.ApprovalDecisionDTO;
import org.groupcrm.core.api.approval.ApprovalService;
import org.groupcrm.core.api.approval.ApprovalStatus;
import org.groupcrm.core.api.approval.ApprovalStepDTO;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.ApprovalEntity;
import org.groupcrm.core.internal.persistence.UserEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The approval state machine, who may decide, and the validation of submissions and decisions: no database. */
class ApprovalFlowTest {
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private static final Instant T1 = T0.plusSeconds(60);
    private static final UserEntity SUBMITTER = user(1, "rep");
    private static final UserEntity MANAGER = user(2, "manager");
    private static final UserEntity OTHER = user(3, "colleague");

    private static UserEntity user(long id, String login) {
        UserEntity u = new UserEntity();
        u.id = id;
        u.login = login;
        return u;
    }

    private static CallerContext caller(UserEntity u, String... roles) {
        return new CallerContext(u.id, u.login, "SH", Set.of(roles));
    }

    private static ApprovalDTO submission(String... roles) {
        ApprovalDTO d = new ApprovalDTO();
        d.type = "discount";
        d.subjectType = "customer";
        d.subjectId = " 42 ";
        d.summary = " 15% on the forklift fleet ";
        d.steps = Arrays.stream(roles).map(ApprovalStepDTO::new).toList();
        return d;
    }

    /** A request as stored: submitted, with id and version. */
    private static ApprovalEntity request(String... roles) {
        ApprovalEntity a = ApprovalFlow.submitted(7, submission(roles), SUBMITTER, T0);
        a.id = 100L;
        a.version = 1L;
        return a;
    }

    @Nested
    class Submission {
        @Test
        void startsPendingAtTheFirstStep() {
            ApprovalEntity a = request(Roles.SUBSIDIARY_ADMIN, Roles.GROUP_ADMIN);
            assertEquals(ApprovalStatus.PENDING, a.status);
            assertEquals(0, a.currentStep);
            assertEquals(Roles.SUBSIDIARY_ADMIN, a.currentRole);
            assertEquals(List.of(0, 1), a.steps.stream().map(s -> s.position).toList());
            assertTrue(a.steps.stream().allMatch(s -> s.status == ApprovalStatus.PENDING && s.approval == a));
            assertEquals("42", a.subjectId);
            assertEquals("15% on the forklift fleet", a.summary);
            assertEquals(T0, a.createdAt);
            assertNull(a.closedAt);
        }

        @Test
        void unknownPositionsAreNamedByTheirStep() {
            List<FieldError> errors = ApprovalFlow.stepErrors(
                    submission(Roles.USER, "cfo", Roles.SUBSIDIARY_ADMIN, "boss").steps, Roles.ALL);
            assertEquals(List.of("steps[1].role", "steps[3].role"), errors.stream().map(FieldError::field).toList());
            assertTrue(errors.get(0).reason().contains("'cfo'"), errors.get(0).reason());
            assertTrue(errors.get(0).reason().contains(Roles.SUBSIDIARY_ADMIN), "lists the known positions");
        }

        @Test
        void everyKnownPositionIsAccepted() {
            assertEquals(List.of(), ApprovalFlow.stepErrors(submission(Roles.ALL.toArray(String[]::new)).steps, Roles.ALL));
        }

        @Test
        void positionsComeFromTheGivenSetNotAFixedList() {
            assertEquals(List.of(), ApprovalFlow.stepErrors(submission("finance").steps, Set.of("finance")));
            assertEquals(1, ApprovalFlow.stepErrors(submission(Roles.USER).steps, Set.of("finance")).size());
        }

        @Test
        void missingStepsAndBlankRolesAreLeftToBeanValidation() {
            assertEquals(List.of(), ApprovalFlow.stepErrors(null, Roles.ALL));
            assertEquals(List.of(), ApprovalFlow.stepErrors(List.of(new ApprovalStepDTO(" ")), Roles.ALL));
        }
    }

    @Nested
    class Validation {
        private static InputValidator validator;

        @BeforeAll
        static void create() {
            validator = new InputValidator();
        }

        @AfterAll
        static void close() {
            validator.close();
        }

        private List<String> fields(ApprovalDTO body) {
            return assertThrows(ValidationException.class,
                    () -> validator.validate(body, ApprovalFlow.stepErrors(body.steps, Roles.ALL)))
                    .fields().stream().map(FieldError::field).toList();
        }

        @Test
        void aWellFormedSubmissionPasses() {
            ApprovalDTO ok = submission(Roles.USER);
            validator.validate(ok, ApprovalFlow.stepErrors(ok.steps, Roles.ALL));
        }

        @Test
        void unknownPositionIsA400OnItsStep() {
            assertEquals(List.of("steps[0].role"), fields(submission("chief")));
        }

        @Test
        void noStepsOrMoreThanTheCapAreRefused() {
            assertEquals(List.of("steps"), fields(submission()));
            String[] six = new String[ApprovalService.MAX_STEPS + 1];
            Arrays.fill(six, Roles.USER);
            assertEquals(List.of("steps"), fields(submission(six)));
            String[] five = Arrays.copyOf(six, ApprovalService.MAX_STEPS);
            ApprovalDTO ok = submission(five);
            validator.validate(ok, ApprovalFlow.stepErrors(ok.steps, Roles.ALL));
            ApprovalDTO none = submission();
            none.steps = null;
            assertEquals(List.of("steps"), fields(none));
        }

        @Test
        void nullOrBlankStepsAreNamed() {
            ApprovalDTO d = submission();
            d.steps = Arrays.asList(new ApprovalStepDTO(Roles.USER), null, new ApprovalStepDTO(""));
            assertEquals(List.of("steps[1]", "steps[2].role"), fields(d));
        }

        @Test
        void blankSummaryMalformedCodesAndOverLongFieldsAreNamed() {
            ApprovalDTO d = submission(Roles.USER);
            d.summary = "  ";
            d.type = "Credit Limit";
            d.subjectType = "x".repeat(41);
            d.subjectId = "1".repeat(65);
            assertEquals(List.of("subjectId", "subjectType", "summary", "type"), fields(d));
            d = submission(Roles.USER);
            d.summary = "s".repeat(2001);
            d.type = null;
            assertEquals(List.of("summary", "type"), fields(d));
        }

        @Test
        void aRejectionNeedsAComment() {
            assertEquals(List.of("comment"), ApprovalFlow.decisionErrors(ApprovalStatus.REJECTED,
                    new ApprovalDecisionDTO(" ", 1L)).stream().map(FieldError::field).toList());
            assertEquals(List.of(), ApprovalFlow.decisionErrors(ApprovalStatus.REJECTED, new ApprovalDecisionDTO("too much", 1L)));
            assertEquals(List.of(), ApprovalFlow.decisionErrors(ApprovalStatus.APPROVED, new ApprovalDecisionDTO(null, 1L)));
        }

        @Test
        void anOverLongCommentIsNamed() {
            ApprovalDecisionDTO d = new ApprovalDecisionDTO("c".repeat(2001), 1L);
            assertEquals(List.of("comment"), assertThrows(ValidationException.class, () -> validator.validate(d))
                    .fields().stream().map(FieldError::field).toList());
        }
    }

    @Nested
    class Deciding {
        @Test
        void approvingTheLastStepApprovesTheRequest() {
            ApprovalEntity a = request(Roles.SUBSIDIARY_ADMIN);
            ApprovalFlow.checkMayDecide(a, caller(MANAGER, Roles.SUBSIDIARY_ADMIN), true, 1L);
            ApprovalFlow.decide(a, ApprovalStatus.APPROVED, MANAGER, " fine ", T1);
            assertEquals(ApprovalStatus.APPROVED, a.status);
            assertNull(a.currentStep);
            assertNull(a.currentRole);
            assertEquals(T1, a.closedAt);
            assertEquals(ApprovalStatus.APPROVED, a.steps.get(0).status);
            assertEquals(MANAGER, a.steps.get(0).decidedBy);
            assertEquals("fine", a.steps.get(0).comment);
        }

        @Test
        void stepsAreDecidedInOrder() {
            ApprovalEntity a = request(Roles.USER, Roles.SUBSIDIARY_ADMIN);
            ApprovalFlow.decide(a, ApprovalStatus.APPROVED, OTHER, null, T1);
            assertEquals(ApprovalStatus.PENDING, a.status);
            assertEquals(1, a.currentStep);
            assertEquals(Roles.SUBSIDIARY_ADMIN, a.currentRole);
            assertNull(a.closedAt);
            assertFalse(ApprovalFlow.mayDecideCurrentStep(a, caller(OTHER, Roles.USER), true),
                    "the first step's position does not decide the second");
            ApprovalFlow.decide(a, ApprovalStatus.APPROVED, MANAGER, null, T1);
            assertEquals(ApprovalStatus.APPROVED, a.status);
        }

        @Test
        void rejectingAnyStepRejectsTheRequestAndLeavesLaterStepsUndecided() {
            ApprovalEntity a = request(Roles.USER, Roles.SUBSIDIARY_ADMIN, Roles.GROUP_ADMIN);
            ApprovalFlow.decide(a, ApprovalStatus.APPROVED, OTHER, null, T0);
            ApprovalFlow.decide(a, ApprovalStatus.REJECTED, MANAGER, "margin too low", T1);
            assertEquals(ApprovalStatus.REJECTED, a.status);
            assertNull(a.currentStep);
            assertEquals(List.of(ApprovalStatus.APPROVED, ApprovalStatus.REJECTED, ApprovalStatus.PENDING),
                    a.steps.stream().map(s -> s.status).toList());
            assertEquals("margin too low", a.steps.get(1).comment);
        }

        @Test
        void theSubmitterNeverDecidesEvenAsGroupAdministrator() {
            ApprovalEntity a = request(Roles.USER);
            ForbiddenException e = assertThrows(ForbiddenException.class, () -> ApprovalFlow.checkMayDecide(a,
                    caller(SUBMITTER, Roles.USER, Roles.GROUP_ADMIN), true, 1L));
            assertEquals("separation_of_duties", e.code());
            assertTrue(e.getMessage().contains("someone else"), e.getMessage());
            assertFalse(ApprovalFlow.mayDecideCurrentStep(a, caller(SUBMITTER, Roles.GROUP_ADMIN), true));
        }

        @Test
        void onlyHoldersOfTheCurrentPositionWhoActInTheSubsidiaryDecide() {
            ApprovalEntity a = request(Roles.SUBSIDIARY_ADMIN);
            ForbiddenException e = assertThrows(ForbiddenException.class,
                    () -> ApprovalFlow.checkMayDecide(a, caller(OTHER, Roles.USER), true, 1L));
            assertEquals("forbidden", e.code());
            assertTrue(e.getMessage().contains(Roles.SUBSIDIARY_ADMIN), e.getMessage());
            assertThrows(ForbiddenException.class,
                    () -> ApprovalFlow.checkMayDecide(a, caller(MANAGER, Roles.SUBSIDIARY_ADMIN), false, 1L));
            assertTrue(ApprovalFlow.mayDecideCurrentStep(a, caller(MANAGER, Roles.SUBSIDIARY_ADMIN), true));
        }

        @Test
        void groupAdministratorsDecideAnyStep() {
            ApprovalEntity a = request(Roles.SUBSIDIARY_ADMIN);
            ApprovalFlow.checkMayDecide(a, caller(OTHER, Roles.GROUP_ADMIN), false, 1L);
        }

        @Test
        void aStaleOrMissingVersionChangesNothing() {
            ApprovalEntity a = request(Roles.USER);
            ConflictException stale = assertThrows(ConflictException.class,
                    () -> ApprovalFlow.checkMayDecide(a, caller(OTHER, Roles.USER), true, 0L));
            assertEquals("stale_version", stale.code());
            ValidationException missing = assertThrows(ValidationException.class,
                    () -> ApprovalFlow.checkMayDecide(a, caller(OTHER, Roles.USER), true, null));
            assertEquals("version", missing.fields().get(0).field());
        }

        @Test
        void aClosedRequestCannotBeDecidedAgain() {
            ApprovalEntity a = request(Roles.USER);
            ApprovalFlow.decide(a, ApprovalStatus.APPROVED, OTHER, null, T1);
            a.version = 2L;
            ConflictException e = assertThrows(ConflictException.class,
                    () -> ApprovalFlow.checkMayDecide(a, caller(MANAGER, Roles.USER), true, 2L));
            assertEquals("approval_closed", e.code());
            assertThrows(ConflictException.class, () -> ApprovalFlow.decide(a, ApprovalStatus.REJECTED, MANAGER, "x", T1));
            assertFalse(ApprovalFlow.mayDecideCurrentStep(a, caller(MANAGER, Roles.GROUP_ADMIN), true));
        }

        @Test
        void aStepIsApprovedOrRejectedOnly() {
            ApprovalEntity a = request(Roles.USER);
            assertThrows(IllegalArgumentException.class,
                    () -> ApprovalFlow.decide(a, ApprovalStatus.WITHDRAWN, OTHER, null, T1));
            assertEquals(ApprovalStatus.PENDING, a.steps.get(0).status);
        }
    }

    @Nested
    class Withdrawing {
        @Test
        void theSubmitterWithdrawsAPendingRequest() {
            ApprovalEntity a = request(Roles.USER, Roles.SUBSIDIARY_ADMIN);
            ApprovalFlow.decide(a, ApprovalStatus.APPROVED, OTHER, null, T0);
            a.version = 2L;
            ApprovalFlow.withdraw(a, caller(SUBMITTER, Roles.USER), 2L, T1);
            assertEquals(ApprovalStatus.WITHDRAWN, a.status);
            assertNull(a.currentStep);
            assertEquals(T1, a.closedAt);
            assertEquals(ApprovalStatus.PENDING, a.steps.get(1).status);
        }

        @Test
        void nobodyElseWithdrawsNotEvenAGroupAdministrator() {
            ApprovalEntity a = request(Roles.USER);
            assertThrows(ForbiddenException.class, () -> ApprovalFlow.withdraw(a, caller(OTHER, Roles.GROUP_ADMIN), 1L, T1));
            assertEquals(ApprovalStatus.PENDING, a.status);
        }

        @Test
        void aClosedOrStaleRequestIsAConflict() {
            ApprovalEntity a = request(Roles.USER);
            assertEquals("stale_version", assertThrows(ConflictException.class,
                    () -> ApprovalFlow.withdraw(a, caller(SUBMITTER), 5L, T1)).code());
            ApprovalFlow.decide(a, ApprovalStatus.REJECTED, OTHER, "no", T1);
            assertEquals("approval_closed", assertThrows(ConflictException.class,
                    () -> ApprovalFlow.withdraw(a, caller(SUBMITTER), 1L, T1)).code());
        }
    }

    @Nested
    class AuditView {
        @Test
        void aDecisionShowsAsChangesOfTheRequestAndItsStep() {
            ApprovalEntity a = request(Roles.USER, Roles.SUBSIDIARY_ADMIN);
            Map<String, Object> before = ApprovalFlow.auditView(a);
            ApprovalFlow.decide(a, ApprovalStatus.APPROVED, OTHER, "ok", T1);
            Map<String, Map<String, Object>> diff = Audit.diff(before, ApprovalFlow.auditView(a));
            assertEquals(Set.of("currentStep", "currentRole", "steps[0].status", "steps[0].decidedBy", "steps[0].comment"),
                    diff.keySet());
            assertEquals("colleague", diff.get("steps[0].decidedBy").get("after"));
            assertEquals("rep", before.get("submittedBy"));
        }
    }

    @Nested
    class Visibility {
        private List<Integer> reached(ApprovalEntity a) {
            return ApprovalFlow.reachedSteps(a).stream().map(s -> s.position).toList();
        }

        @Test
        void aPendingRequestHasReachedItsStepsUpToTheCurrentOne() {
            ApprovalEntity a = request(Roles.MANAGER, Roles.FINANCE, Roles.SUBSIDIARY_ADMIN);
            assertEquals(List.of(0), reached(a));
            ApprovalFlow.decide(a, ApprovalStatus.APPROVED, MANAGER, null, T1);
            assertEquals(List.of(0, 1), reached(a));
        }

        @Test
        void aClosedRequestHasReachedTheStepItEndedAt() {
            ApprovalEntity approved = request(Roles.MANAGER, Roles.FINANCE);
            ApprovalFlow.decide(approved, ApprovalStatus.APPROVED, MANAGER, null, T1);
            ApprovalFlow.decide(approved, ApprovalStatus.APPROVED, OTHER, null, T1);
            assertEquals(List.of(0, 1), reached(approved));
            ApprovalEntity rejected = request(Roles.MANAGER, Roles.FINANCE);
            ApprovalFlow.decide(rejected, ApprovalStatus.REJECTED, MANAGER, "no", T1);
            assertEquals(List.of(0), reached(rejected));
            ApprovalEntity withdrawn = request(Roles.MANAGER, Roles.FINANCE, Roles.USER);
            ApprovalFlow.decide(withdrawn, ApprovalStatus.APPROVED, MANAGER, null, T1);
            ApprovalFlow.withdraw(withdrawn, caller(SUBMITTER, Roles.USER), withdrawn.version, T1);
            assertEquals(List.of(0, 1), reached(withdrawn));
        }

        @Test
        void seenByTheSubmitterTheReachedStepsPositionsAndAdministrators() {
            ApprovalEntity a = request(Roles.MANAGER, Roles.FINANCE);
            assertTrue(ApprovalFlow.sees(a, caller(SUBMITTER, Roles.USER)));
            assertTrue(ApprovalFlow.sees(a, caller(MANAGER, Roles.MANAGER)));
            assertTrue(ApprovalFlow.sees(a, caller(OTHER, Roles.SUBSIDIARY_ADMIN)));
            assertTrue(ApprovalFlow.sees(a, caller(OTHER, Roles.GROUP_ADMIN)));
            assertFalse(ApprovalFlow.sees(a, caller(OTHER, Roles.FINANCE)));
            assertFalse(ApprovalFlow.sees(a, caller(OTHER, Roles.USER, Roles.SERVICE_AGENT)));
            assertFalse(ApprovalFlow.sees(a, caller(OTHER)));
            ApprovalFlow.decide(a, ApprovalStatus.APPROVED, MANAGER, null, T1);
            assertTrue(ApprovalFlow.sees(a, caller(OTHER, Roles.FINANCE)));
            assertTrue(ApprovalFlow.sees(a, caller(MANAGER, Roles.MANAGER)));
        }
    }
}
