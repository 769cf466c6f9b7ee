package org.groupcrm.core.internal.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import javax.persistence.EntityManager;
import javax.persistence.TypedQuery;

import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.CoreResourceTypes;
import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.PageRequest;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.activity.ActivityDTO;
import org.groupcrm.core.api.activity.ActivityService;
import org.groupcrm.core.api.activity.DueFilter;
import org.groupcrm.core.api.event.CrmTopics;
import org.groupcrm.core.internal.persistence.ActivityEntity;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.CustomerEntity;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.Tx;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Activities and follow-up reminders within the caller's subsidiary. */
@Component(service = ActivityService.class)
public class ActivityServiceImpl implements ActivityService {
    /** Clock skew tolerated between a client saying "now" and the server's clock. */
    static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);
    private final Clock clock = DbClock.UTC;

    @Reference
    RightsServiceImpl rights;

    @Reference
    Tx tx;

    @Reference
    InputValidator validator;

    @Reference
    SubsidiaryServiceImpl subsidiaries;

    @Override
    public ActivityDTO create(CallerContext caller, long customerId, ActivityDTO input) {
        String code = caller.requireSubsidiary();
        rights.require(caller, CoreResourceTypes.ACTIVITY, Right.ENTER);
        long sid = subsidiaries.idOf(code);
        validator.validate(input);
        Instant now = clock.instant();
        checkOccurredAt(input, now);
        return tx.run((em, events) -> {
            CustomerEntity customer = Records.customerToChange(em, caller, sid, customerId);
            if (customer.archived) {
                throw new NotFoundException("customer", customerId);
            }
            ActivityEntity a = new ActivityEntity();
            a.subsidiaryId = sid;
            a.customer = customer;
            copyWritable(input, a, now);
            a.recordedAt = now;
            a.enteredBy = Records.caller(em, caller);
            a.owner = Records.ownerFor(em, caller, a.enteredBy, input.owner, code);
            a.created(now);
            em.persist(a);
            em.flush();
            Audit.record(em, caller, sid, "activity", a.id, "CREATE", java.util.Map.of(), a, now);
            events.add(CrmTopics.ACTIVITY_CREATED, Records.event(caller, "activity", a.id, customerId, a.owner.login, a.version));
            return Mapper.activity(a);
        });
    }

    @Override
    public ActivityDTO get(CallerContext caller, long id) {
        long sid = subsidiaries.idOf(caller.requireSubsidiary());
        rights.require(caller, CoreResourceTypes.ACTIVITY, Right.QUERY);
        return tx.run((em, events) -> Mapper.activity(activity(em, caller, sid, id, false)));
    }

    @Override
    public Page<ActivityDTO> listForCustomer(CallerContext caller, long customerId, PageRequest page) {
        long sid = subsidiaries.idOf(caller.requireSubsidiary());
        rights.require(caller, CoreResourceTypes.ACTIVITY, Right.QUERY);
        return tx.run((em, events) -> {
            Records.customer(em, caller, sid, customerId);
            String where = " from ActivityEntity a where a.customer.id = :customer and a.archived = false";
            TypedQuery<Long> count = em.createQuery("select count(a)" + where, Long.class)
                    .setParameter("customer", customerId);
            TypedQuery<ActivityEntity> rows = em.createQuery("select a" + where
                    + " order by a.occurredAt desc, a.id desc", ActivityEntity.class).setParameter("customer", customerId);
            return Records.page(count, rows, page, Mapper::activity);
        });
    }

    @Override
    public Page<ActivityDTO> reminders(CallerContext caller, String ownerLogin, DueFilter filter, PageRequest page) {
        String code = caller.requireSubsidiary();
        rights.require(caller, CoreResourceTypes.ACTIVITY, Right.QUERY);
        long sid = subsidiaries.idOf(code);
        if (!ownerLogin.equals(caller.login()) && !Access.isAdmin(caller) && !caller.hasRole(Roles.MANAGER)
                && !tx.run((em, events) -> Records.findActiveUserIn(em, ownerLogin, code)
                        .map(u -> caller.hasRole(Roles.SALES_ASSISTANT) && Records.mayChange(em, caller, u)).orElse(false))) {
            throw new org.groupcrm.core.api.ForbiddenException("only administrators, managers and the rep's assistants"
                    + " may see other users' reminders");
        }
        Instant now = clock.instant();
        ZoneId zone = subsidiaries.zoneOf(code);
        Instant startOfTomorrow = LocalDate.ofInstant(now, zone).plusDays(1).atStartOfDay(zone).toInstant();
        StringBuilder where = new StringBuilder(" from ActivityEntity a where a.subsidiaryId = :sid"
                + " and a.owner.login = :owner and a.dueAt is not null and a.done = false and a.archived = false"
                + " and a.customer.archived = false");
        switch (filter) {
            case OVERDUE -> where.append(" and a.dueAt < :now");
            case TODAY -> where.append(" and a.dueAt >= :now and a.dueAt < :tomorrow");
            case UPCOMING -> where.append(" and a.dueAt >= :tomorrow");
            case ALL -> { }
        }
        return tx.run((em, events) -> {
            TypedQuery<Long> count = em.createQuery("select count(a)" + where, Long.class);
            TypedQuery<ActivityEntity> rows = em.createQuery("select a" + where + " order by a.dueAt, a.id",
                    ActivityEntity.class);
            for (TypedQuery<?> q : List.of(count, rows)) {
                q.setParameter("sid", sid).setParameter("owner", ownerLogin);
                if (filter == DueFilter.OVERDUE || filter == DueFilter.TODAY) {
                    q.setParameter("now", now);
                }
                if (filter == DueFilter.TODAY || filter == DueFilter.UPCOMING) {
                    q.setParameter("tomorrow", startOfTomorrow);
                }
            }
            return Records.page(count, rows, page, Mapper::activity);
        });
    }

    @Override
    public ActivityDTO update(CallerContext caller, long id, ActivityDTO input) {
        long sid = subsidiaries.idOf(caller.requireSubsidiary());
        rights.require(caller, CoreResourceTypes.ACTIVITY, Right.MODIFY);
        validator.validate(input);
        Instant now = clock.instant();
        checkOccurredAt(input, now);
        return tx.run((em, events) -> {
            ActivityEntity a = activity(em, caller, sid, id, true);
            Records.checkVersion("activity", id, input.version, a.version);
            java.util.Map<String, Object> before = Audit.snapshot(a);
            copyWritable(input, a, a.occurredAt);
            a.updatedAt = now;
            em.flush();
            Audit.record(em, caller, sid, "activity", a.id, "UPDATE", before, a, now);
            events.add(CrmTopics.ACTIVITY_UPDATED, Records.event(caller, "activity", a.id, a.customer.id, a.owner.login, a.version));
            return Mapper.activity(a);
        });
    }

    @Override
    public ActivityDTO complete(CallerContext caller, long id) {
        long sid = subsidiaries.idOf(caller.requireSubsidiary());
        rights.require(caller, CoreResourceTypes.ACTIVITY, Right.MODIFY);
        try {
            return completeOnce(caller, sid, id);
        } catch (ConflictException raced) {
            // someone changed it at the same moment: if they completed it, completing is done
            ActivityDTO current = get(caller, id);
            if (current.done) {
                return current;
            }
            throw raced;
        }
    }

    private ActivityDTO completeOnce(CallerContext caller, long sid, long id) {
        return tx.run((em, events) -> {
            ActivityEntity a = activity(em, caller, sid, id, true);
            if (!a.done) {
                Instant now = clock.instant();
                java.util.Map<String, Object> before = Audit.snapshot(a);
                a.done = true;
                a.doneAt = now;
                a.updatedAt = now;
                em.flush();
                Audit.record(em, caller, sid, "activity", a.id, "COMPLETE", before, a, now);
                events.add(CrmTopics.ACTIVITY_COMPLETED, Records.event(caller, "activity", a.id, a.customer.id, a.owner.login, a.version));
            }
            return Mapper.activity(a);
        });
    }

    @Override
    public ActivityDTO archive(CallerContext caller, long id) {
        long sid = subsidiaries.idOf(caller.requireSubsidiary());
        rights.require(caller, CoreResourceTypes.ACTIVITY, Right.MODIFY);
        return tx.run((em, events) -> {
            ActivityEntity a = activity(em, caller, sid, id, true);
            java.util.Map<String, Object> before = Audit.snapshot(a);
            if (a.archive(clock.instant())) {
                em.flush();
                Audit.record(em, caller, sid, "activity", a.id, "ARCHIVE", before, a, a.updatedAt);
                events.add(CrmTopics.ACTIVITY_ARCHIVED, Records.event(caller, "activity", a.id, a.customer.id, a.owner.login, a.version));
            }
            return Mapper.activity(a);
        });
    }

    /**
     * @param change whether the caller is about to change it
     * @return the activity if it is in subsidiary {@code sid} and the caller sees its owner's or its customer's
     *         records; otherwise not found
     * @throws org.groupcrm.core.api.ForbiddenException {@code change}, and the caller sees it only as a member of
     *                                                  the owner's team
     */
    private static ActivityEntity activity(EntityManager em, CallerContext caller, long sid, long id, boolean change) {
        ActivityEntity a = em.find(ActivityEntity.class, id);
        if (a == null || a.subsidiaryId != sid) {
            throw new NotFoundException("activity", id);
        }
        java.util.Set<Long> visible = Records.visibleOwners(em, caller, sid);
        if (!Records.covers(visible, a)) {
            throw new NotFoundException("activity", id);
        }
        if (change && visible != null && !Records.covers(Records.changeableOwners(em, caller), a)) {
            throw Records.teammates("activity " + id);
        }
        return a;
    }

    private static void checkOccurredAt(ActivityDTO input, Instant now) {
        if (input.occurredAt != null && input.occurredAt.isAfter(now.plus(FUTURE_TOLERANCE))) {
            throw new ValidationException("occurredAt", "must not lie in the future: record work once it has happened");
        }
    }

    private static void copyWritable(ActivityDTO in, ActivityEntity a, Instant defaultOccurredAt) {
        a.type = in.type;
        a.subject = in.subject.strip();
        a.notes = Records.clean(in.notes);
        a.occurredAt = in.occurredAt == null ? defaultOccurredAt : in.occurredAt;
        a.dueAt = in.dueAt;
    }
}
