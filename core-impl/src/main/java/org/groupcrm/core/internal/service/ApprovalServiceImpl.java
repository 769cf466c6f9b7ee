package org.groupcrm.core.internal.service;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.persistence.EntityManager;
import javax.persistence.TypedQuery;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.approval.ApprovalDTO;
import org.groupcrm.core.api.approval.ApprovalDecisionDTO;
import org.groupcrm.core.api.approval.ApprovalQuery;
import org.groupcrm.core.api.approval.ApprovalService;
import org.groupcrm.core.api.approval.ApprovalStatus;
import org.groupcrm.core.api.event.CrmEventProperties;
import org.groupcrm.core.api.event.CrmTopics;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.ActivityEntity;
import org.groupcrm.core.internal.persistence.ApprovalEntity;
import org.groupcrm.core.internal.persistence.ApprovalStepEntity;
import org.groupcrm.core.internal.persistence.ContactEntity;
import org.groupcrm.core.internal.persistence.CustomerEntity;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.Tx;
import org.groupcrm.core.internal.persistence.UserEntity;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Approval requests of the caller's subsidiary on JPA: the flow is {@link ApprovalFlow}'s, audit and events here. */
@Component(service = ApprovalService.class)
public class ApprovalServiceImpl implements ApprovalService {
    /** Subject types naming the core's records, which a submission must name one of (by id) that the submitter sees. */
    static final Set<String> CORE_SUBJECTS = Set.of("customer", "contact", "activity");
    private final Clock clock = DbClock.UTC;

    @Reference
    Tx tx;

    @Reference
    InputValidator validator;

    @Reference
    SubsidiaryServiceImpl subsidiaries;

    @Override
    public ApprovalDTO submit(CallerContext caller, ApprovalDTO input) {
        String code = caller.requireSubsidiary();
        long sid = subsidiaries.idOf(code);
        // Roles.ALL is read on each call: positions added to the API are accepted without changes here
        validator.validate(input, ApprovalFlow.stepErrors(input == null ? null : input.steps, Roles.ALL));
        Instant now = clock.instant();
        return tx.run((em, events) -> {
            checkSubject(em, caller, sid, code, input.subjectType, input.subjectId.strip());
            ApprovalEntity a = ApprovalFlow.submitted(sid, input, Records.caller(em, caller), now);
            em.persist(a);
            em.flush();
            Audit.record(em, caller, sid, "approval", a.id, "SUBMIT", Map.of(), ApprovalFlow.auditView(a), now);
            events.add(CrmTopics.APPROVAL_SUBMITTED, event(caller, a));
            return Mapper.approval(a, code);
        });
    }

    @Override
    public ApprovalDTO get(CallerContext caller, long id) {
        String code = caller.requireSubsidiary();
        long sid = subsidiaries.idOf(code);
        return tx.run((em, events) -> Mapper.approval(approval(em, caller, sid, id), code));
    }

    @Override
    public Page<ApprovalDTO> list(CallerContext caller, ApprovalQuery query) {
        String code = caller.requireSubsidiary();
        long sid = subsidiaries.idOf(code);
        StringBuilder where = new StringBuilder(" from ApprovalEntity a where a.subsidiaryId = :sid");
        Map<String, Object> params = new HashMap<>();
        params.put("sid", sid);
        boolean oldestFirst = false;
        if (query.mine() == null) {
            Access.requireAdmin(caller, "list every approval request; use mine=pending or mine=submitted");
        } else if (query.mine() == ApprovalQuery.Mine.SUBMITTED) {
            where.append(" and a.submittedBy.id = :me");
            params.put("me", caller.userId());
        } else {
            if (query.status() != null && query.status() != ApprovalStatus.PENDING) {
                throw new ValidationException("status", "mine=pending lists pending requests only");
            }
            oldestFirst = true;
            where.append(" and a.status = :pending and a.submittedBy.id <> :me");
            params.put("pending", ApprovalStatus.PENDING);
            params.put("me", caller.userId());
            if (!caller.hasRole(Roles.GROUP_ADMIN)) {
                if (caller.roles().isEmpty()) {
                    return new Page<>(List.of(), 0, query.page().page(), query.page().size());
                }
                where.append(" and a.currentRole in :roles");
                params.put("roles", List.copyOf(caller.roles()));
            }
        }
        if (query.type() != null) {
            where.append(" and a.type = :type");
            params.put("type", query.type());
        }
        if (query.status() != null) {
            where.append(" and a.status = :status");
            params.put("status", query.status());
        }
        String order = oldestFirst ? " order by a.createdAt, a.id" : " order by a.createdAt desc, a.id desc";
        return tx.run((em, events) -> {
            TypedQuery<Long> count = em.createQuery("select count(a)" + where, Long.class);
            TypedQuery<ApprovalEntity> rows = em.createQuery("select a" + where + order, ApprovalEntity.class);
            params.forEach((k, v) -> {
                count.setParameter(k, v);
                rows.setParameter(k, v);
            });
            return Records.page(count, rows, query.page(), a -> Mapper.approval(a, code));
        });
    }

    @Override
    public ApprovalDTO approve(CallerContext caller, long id, ApprovalDecisionDTO decision) {
        return decide(caller, id, ApprovalStatus.APPROVED, decision);
    }

    @Override
    public ApprovalDTO reject(CallerContext caller, long id, ApprovalDecisionDTO decision) {
        return decide(caller, id, ApprovalStatus.REJECTED, decision);
    }

    private ApprovalDTO decide(CallerContext caller, long id, ApprovalStatus decision, ApprovalDecisionDTO input) {
        String code = caller.requireSubsidiary();
        long sid = subsidiaries.idOf(code);
        validator.validate(input, ApprovalFlow.decisionErrors(decision, input));
        Instant now = clock.instant();
        return tx.run((em, events) -> {
            ApprovalEntity a = approval(em, caller, sid, id);
            UserEntity reviewer = Records.caller(em, caller);
            ApprovalFlow.checkMayDecide(a, caller, reviewer.enabled && UserServiceImpl.actsIn(reviewer, code), input.version);
            Map<String, Object> before = ApprovalFlow.auditView(a);
            ApprovalStepEntity step = ApprovalFlow.decide(a, decision, reviewer, input.comment, now);
            em.flush();
            Audit.record(em, caller, sid, "approval", a.id, decision == ApprovalStatus.APPROVED ? "APPROVE" : "REJECT",
                    before, ApprovalFlow.auditView(a), now);
            Map<String, Object> props = event(caller, a);
            props.put(CrmEventProperties.STEP, step.position);
            props.put(CrmEventProperties.ROLE, step.role);
            props.put(CrmEventProperties.DECISION, decision.name());
            events.add(CrmTopics.APPROVAL_STEP_DECIDED, props);
            if (a.status == ApprovalStatus.APPROVED) {
                events.add(CrmTopics.APPROVAL_APPROVED, props);
            } else if (a.status == ApprovalStatus.REJECTED) {
                events.add(CrmTopics.APPROVAL_REJECTED, props);
            }
            return Mapper.approval(a, code);
        });
    }

    @Override
    public ApprovalDTO withdraw(CallerContext caller, long id, ApprovalDecisionDTO input) {
        String code = caller.requireSubsidiary();
        long sid = subsidiaries.idOf(code);
        validator.validate(input);
        Instant now = clock.instant();
        return tx.run((em, events) -> {
            ApprovalEntity a = approval(em, caller, sid, id);
            Map<String, Object> before = ApprovalFlow.auditView(a);
            ApprovalFlow.withdraw(a, caller, input.version, now);
            em.flush();
            Map<String, Object> after = ApprovalFlow.auditView(a);
            String comment = Records.clean(input.comment);
            if (comment != null) {
                after.put("withdrawComment", comment);
            }
            Audit.record(em, caller, sid, "approval", a.id, "WITHDRAW", before, after, now);
            events.add(CrmTopics.APPROVAL_WITHDRAWN, event(caller, a));
            return Mapper.approval(a, code);
        });
    }

    /** @return the request if it is in subsidiary {@code sid} and the caller sees it ({@link ApprovalFlow#sees}); else not found */
    private static ApprovalEntity approval(EntityManager em, CallerContext caller, long sid, long id) {
        ApprovalEntity a = em.find(ApprovalEntity.class, id);
        if (a == null || a.subsidiaryId != sid || !ApprovalFlow.sees(a, caller)) {
            throw new NotFoundException("approval", id);
        }
        return a;
    }

    /**
     * A subject of one of the core's record types ({@link #CORE_SUBJECTS}) must be a record of the subsidiary that the
     * submitter sees; any other subject type (a plugin's own) is the submitter's business.
     *
     * @throws ValidationException {@code subject}: no such record, or one the submitter does not see (alike)
     */
    static void checkSubject(EntityManager em, CallerContext caller, long sid, String code, String type, String id) {
        if (!CORE_SUBJECTS.contains(type)) {
            return;
        }
        boolean seen = id.matches("[0-9]{1,18}") && switch (type) {
            case "customer" -> seesCustomer(em, caller, sid, Long.parseLong(id));
            case "contact" -> {
                ContactEntity c = em.find(ContactEntity.class, Long.parseLong(id));
                yield c != null && c.subsidiaryId == sid && seesCustomer(em, caller, sid, c.customerId);
            }
            default -> {
                ActivityEntity a = em.find(ActivityEntity.class, Long.parseLong(id));
                yield a != null && a.subsidiaryId == sid && Records.covers(Records.visibleOwners(em, caller, sid), a);
            }
        };
        if (!seen) {
            throw new ValidationException("subject", "no " + type + " '" + id + "' that you see in subsidiary " + code);
        }
    }

    private static boolean seesCustomer(EntityManager em, CallerContext caller, long sid, long id) {
        CustomerEntity c = em.find(CustomerEntity.class, id);
        return c != null && c.subsidiaryId == sid && Records.sees(em, caller, sid, c.owner);
    }

    private static Map<String, Object> event(CallerContext caller, ApprovalEntity a) {
        Map<String, Object> p = new HashMap<>();
        p.put(CrmEventProperties.SUBSIDIARY, caller.subsidiary());
        p.put(CrmEventProperties.ENTITY, "approval");
        p.put(CrmEventProperties.ID, a.id);
        p.put(CrmEventProperties.APPROVAL_TYPE, a.type);
        p.put(CrmEventProperties.SUBJECT_TYPE, a.subjectType);
        p.put(CrmEventProperties.SUBJECT_ID, a.subjectId);
        p.put(CrmEventProperties.STATUS, a.status.name());
        p.put(CrmEventProperties.OWNER, a.submittedBy.login);
        p.put(CrmEventProperties.ACTOR, caller.login());
        p.put(CrmEventProperties.VERSION, a.version);
        p.put(CrmEventProperties.TIMESTAMP, System.currentTimeMillis());
        return p;
    }
}
