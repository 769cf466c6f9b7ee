package org.groupcrm.core.internal.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import javax.persistence.EntityManager;
import javax.persistence.TypedQuery;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.PageRequest;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.event.CrmEventProperties;
import java.util.HashSet;
import java.util.Set;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.subsidiary.RecordVisibility;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.ActivityEntity;
import org.groupcrm.core.internal.persistence.CustomerEntity;
import org.groupcrm.core.internal.persistence.UserEntity;

/** Subsidiary-scoped look-ups and checks shared by the record services. */
final class Records {
    private Records() {
    }

    /**
     * @return the user of that id, with their home subsidiary joined ({@link UserEntity#homeSubsidiary}), in one
     *         statement (none if already loaded); or null. {@code find}, not a query: in a write transaction a JPQL
     *         read of the caller cost about 0.5 ms more JVM CPU per created customer than find (P2, bench/RESULTS.md)
     */
    static UserEntity user(EntityManager em, long id) {
        return em.find(UserEntity.class, id);
    }

    private static <T> T first(List<T> found) {
        return found.isEmpty() ? null : found.get(0);
    }

    /** @return the customer if it exists in subsidiary {@code sid}; otherwise not found, whatever the reason */
    static CustomerEntity customer(EntityManager em, long sid, long id) {
        // with its owner's and enterer's home subsidiaries joined (find would read each in a statement of its own):
        // reading a customer, the hottest path, is one statement (CustomerReadCostTest)
        CustomerEntity c = first(em.createNamedQuery(CustomerEntity.BY_ID, CustomerEntity.class)
                .setParameter("id", id).getResultList());
        if (c == null || c.subsidiaryId != sid) {
            throw new NotFoundException("customer", id);
        }
        return c;
    }

    /**
     * @return the customer if it exists in subsidiary {@code sid} and the caller sees it (see {@link #visibleOwners});
     *         otherwise not found, whatever the reason
     */
    static CustomerEntity customer(EntityManager em, CallerContext caller, long sid, long id) {
        CustomerEntity c = customer(em, sid, id);
        if (!sees(em, caller, sid, c.owner)) {
            throw new NotFoundException("customer", id);
        }
        return c;
    }

    /**
     * @return the customer if it exists in subsidiary {@code sid} and the caller may change it and what hangs off it
     *         (see {@link #changeableOwners})
     * @throws NotFoundException  no such customer, or one the caller does not see
     * @throws ForbiddenException the caller sees it only as a member of its owner's team
     */
    static CustomerEntity customerToChange(EntityManager em, CallerContext caller, long sid, long id) {
        CustomerEntity c = customer(em, caller, sid, id);
        if (!mayChange(em, caller, c.owner)) {
            throw teammates("customer " + id);
        }
        return c;
    }

    /**
     * Which owners' records the caller sees (reads) within subsidiary {@code sid}: those they may change (see
     * {@link #changeableOwners}) and, for a sales rep whose home subsidiary it is and whose record visibility is
     * {@link RecordVisibility#TEAM}, those of the members of their sales team. The setting is read from the
     * subsidiary's row in the caller's unit of work, so a change is in force on the next request.
     *
     * @return {@code null} when the caller sees every owner's records, else the ids of the owners they see
     */
    static Set<Long> visibleOwners(EntityManager em, CallerContext caller, long sid) {
        Set<Long> ids = changeableOwners(em, caller);
        if (ids != null && caller.hasRole(Roles.USER)) {
            ids.addAll(teammates(em, caller, sid));
        }
        return ids;
    }

    /**
     * Whose records the caller changes (and sees in any subsidiary setting): the positions of
     * {@link Roles#SEE_SUBSIDIARY} every owner's; a sales assistant their own and their reps'; anyone else (a sales
     * rep) their own.
     *
     * @return {@code null} when the caller changes every owner's records, else the ids of those owners
     */
    static Set<Long> changeableOwners(EntityManager em, CallerContext caller) {
        if (Roles.SEE_SUBSIDIARY.stream().anyMatch(caller::hasRole)) {
            return null;
        }
        Set<Long> ids = new HashSet<>();
        ids.add(caller.userId());
        if (caller.hasRole(Roles.SALES_ASSISTANT)) {
            UserEntity me = user(em, caller.userId());
            if (me != null) {
                me.reps.forEach(r -> ids.add(r.id));
            }
        }
        return ids;
    }

    /**
     * @return the ids of the members of the caller's sales team (the caller too) when subsidiary {@code sid} is the
     *         caller's home subsidiary, the caller is in a team and the subsidiary's record visibility is
     *         {@link RecordVisibility#TEAM}; else none
     */
    static Set<Long> teammates(EntityManager em, CallerContext caller, long sid) {
        UserEntity me = user(em, caller.userId());
        if (me == null || me.team == null || me.homeSubsidiary == null || me.homeSubsidiary.id != sid
                || me.homeSubsidiary.recordVisibility != RecordVisibility.TEAM) {
            return Set.of();
        }
        return new HashSet<>(em.createQuery("select u.id from UserEntity u where u.homeSubsidiary.id = :sid"
                + " and u.team = :team", Long.class).setParameter("sid", sid).setParameter("team", me.team)
                .getResultList());
    }

    /** @return whether the caller sees records owned by {@code owner} in subsidiary {@code sid} */
    static boolean sees(EntityManager em, CallerContext caller, long sid, UserEntity owner) {
        Set<Long> owners = visibleOwners(em, caller, sid);
        return owners == null || owners.contains(owner.id);
    }

    /**
     * @param owners the owners whose records the caller sees or changes ({@link #visibleOwners},
     *               {@link #changeableOwners}); {@code null} for every owner
     * @return whether an activity is among them: by its own owner or its customer's
     */
    static boolean covers(Set<Long> owners, ActivityEntity a) {
        return owners == null || owners.contains(a.owner.id) || owners.contains(a.customer.owner.id);
    }

    /** @return whether the caller changes records owned by {@code owner} (and records of that owner's customers) */
    static boolean mayChange(EntityManager em, CallerContext caller, UserEntity owner) {
        Set<Long> owners = changeableOwners(em, caller);
        return owners == null || owners.contains(owner.id);
    }

    /** The refusal of a change to a record the caller sees only as a member of its owner's team. */
    static ForbiddenException teammates(String record) {
        return new ForbiddenException(record + " belongs to a teammate: you see it, but only its owner, their"
                + " assistants and the positions that see the whole subsidiary change it or add to it");
    }

    /**
     * The owner of a record the caller enters: themselves unless they name someone else, which administrators and
     * managers may (any active user of the subsidiary), and a sales assistant for the reps they are assigned to.
     *
     * @throws ForbiddenException  the caller may not enter records for {@code requested}
     * @throws ValidationException {@code owner}: no active user of that login in the subsidiary
     */
    static UserEntity ownerFor(EntityManager em, CallerContext caller, UserEntity enteredBy, String requested,
            String code) {
        if (requested == null || requested.equals(enteredBy.login)) {
            return enteredBy;
        }
        if (Roles.ENTER_FOR_ANYONE.stream().anyMatch(caller::hasRole)) {
            return activeUserIn(em, requested, code, "owner");
        }
        if (caller.hasRole(Roles.SALES_ASSISTANT)) {
            return enteredBy.reps.stream().filter(r -> r.login.equals(requested) && r.enabled && UserServiceImpl.actsIn(r, code))
                    .findFirst().orElseThrow(() -> new ForbiddenException("a sales assistant enters records only for"
                            + " the reps they are assigned to, not for '" + requested + "'"));
        }
        throw new ForbiddenException("only administrators, managers and the rep's assistants enter records for another owner");
    }

    /** @return the enabled user {@code login} who may act in subsidiary {@code code}; else 400 on {@code field} */
    static UserEntity activeUserIn(EntityManager em, String login, String code, String field) {
        return findActiveUserIn(em, login, code)
                .orElseThrow(() -> new ValidationException(field, "no active user '" + login + "' in subsidiary " + code));
    }

    /** @return the enabled user {@code login} if they may act in subsidiary {@code code} */
    static Optional<UserEntity> findActiveUserIn(EntityManager em, String login, String code) {
        return em.createQuery("select u from UserEntity u where u.login = :login", UserEntity.class)
                .setParameter("login", login).getResultList().stream()
                .filter(u -> u.enabled && UserServiceImpl.actsIn(u, code)).findFirst();
    }

    /**
     * Runs a paged list: the count, then (only when the page is not past the end) the page of rows, mapped to DTOs.
     * Both queries must carry the same parameters.
     */
    static <E, D> Page<D> page(TypedQuery<Long> count, TypedQuery<E> rows, PageRequest page, Function<E, D> mapper) {
        long total = count.getSingleResult();
        List<D> items = new ArrayList<>();
        if (total > page.offset()) {
            rows.setFirstResult((int) Math.min(Integer.MAX_VALUE, page.offset())).setMaxResults(page.size())
                    .getResultList().forEach(e -> items.add(mapper.apply(e)));
        }
        return new Page<>(items, total, page.page(), page.size());
    }

    /** @return the calling user's row */
    static UserEntity caller(EntityManager em, CallerContext caller) {
        UserEntity u = user(em, caller.userId());
        if (u == null) {
            throw new NotFoundException("user", caller.login());
        }
        return u;
    }

    /** Requires the client's {@code version} to match the stored one. */
    static void checkVersion(String entity, long id, Long given, Long stored) {
        if (given == null) {
            throw new ValidationException("version", "must not be null: send the version you read, to protect concurrent edits");
        }
        if (!given.equals(stored)) {
            throw ConflictException.staleVersion(entity, id, stored);
        }
    }

    /** @return {@code s} stripped, or {@code null} when blank */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }

    static Map<String, Object> event(CallerContext caller, String entity, long id, long customerId, String owner, Long version) {
        Map<String, Object> p = new HashMap<>();
        p.put(CrmEventProperties.SUBSIDIARY, caller.subsidiary());
        p.put(CrmEventProperties.ENTITY, entity);
        p.put(CrmEventProperties.ID, id);
        p.put(CrmEventProperties.CUSTOMER_ID, customerId);
        if (owner != null) {
            p.put(CrmEventProperties.OWNER, owner);
        }
        p.put(CrmEventProperties.ACTOR, caller.login());
        if (version != null) {
            p.put(CrmEventProperties.VERSION, version);
        }
        p.put(CrmEventProperties.TIMESTAMP, System.currentTimeMillis());
        return p;
    }
}
