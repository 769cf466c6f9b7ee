package org.groupcrm.core.internal.service;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.subsidiary.SubsidiaryDTO;
import org.groupcrm.core.api.subsidiary.SubsidiaryService;
import org.groupcrm.core.api.subsidiary.SubsidiarySettingsDTO;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.SubsidiaryEntity;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.Tx;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Subsidiaries, with an in-memory directory code → id and time zone (codes and time zones never change, so entries
 * never go stale). Settings such as the record visibility are not kept in memory: the services read them from the
 * subsidiary's row in each unit of work, so a change is in force on the next request, on every node.
 */
@Component(service = {SubsidiaryService.class, SubsidiaryServiceImpl.class})
public class SubsidiaryServiceImpl implements SubsidiaryService {
    private final Map<String, Ref> byCode = new ConcurrentHashMap<>();

    private record Ref(long id, ZoneId zone) {
    }
    private final Clock clock = DbClock.UTC;

    @Reference
    Tx tx;

    @Reference
    InputValidator validator;

    @Override
    public SubsidiaryDTO create(CallerContext caller, SubsidiaryDTO input) {
        Access.requireGroupAdmin(caller, "create subsidiaries");
        validator.validate(input);
        String zone = zoneId(input.timeZone);
        SubsidiaryDTO created = tx.run((em, events) -> {
            boolean taken = !em.createQuery("select s.id from SubsidiaryEntity s where s.code = :code")
                    .setParameter("code", input.code).getResultList().isEmpty();
            if (taken) {
                throw new ConflictException("duplicate", "a subsidiary with code '" + input.code + "' already exists");
            }
            SubsidiaryEntity e = new SubsidiaryEntity();
            e.code = input.code;
            e.name = input.name.strip();
            e.timeZone = zone;
            e.createdAt = clock.instant();
            em.persist(e);
            em.flush();
            Audit.record(em, caller, e.id, "subsidiary", e.code, "CREATE", java.util.Map.of(), e, e.createdAt);
            return Mapper.subsidiary(e);
        });
        byCode.put(created.code, new Ref(created.id, ZoneId.of(created.timeZone)));
        return created;
    }

    @Override
    public List<SubsidiaryDTO> list(CallerContext caller) {
        Access.requireGroupAdmin(caller, "list subsidiaries");
        return tx.run((em, events) -> em.createQuery("select s from SubsidiaryEntity s order by s.code",
                SubsidiaryEntity.class).getResultList().stream().map(Mapper::subsidiary).toList());
    }

    @Override
    public Optional<SubsidiaryDTO> findByCode(String code) {
        return tx.run((em, events) -> em.createQuery("select s from SubsidiaryEntity s where s.code = :code",
                SubsidiaryEntity.class).setParameter("code", code).getResultList().stream().findFirst().map(Mapper::subsidiary));
    }

    @Override
    public SubsidiarySettingsDTO settings(CallerContext caller, String code) {
        requireAdministrator(caller, code, "see");
        return tx.run((em, events) -> Mapper.settings(entity(em, code)));
    }

    @Override
    public SubsidiarySettingsDTO changeSettings(CallerContext caller, String code, SubsidiarySettingsDTO input) {
        requireAdministrator(caller, code, "change");
        validator.validate(input);
        return tx.run((em, events) -> {
            SubsidiaryEntity e = entity(em, code);
            Map<String, Object> before = Audit.snapshot(e);
            e.recordVisibility = input.recordVisibility;
            em.flush();
            Audit.record(em, caller, e.id, "subsidiary", e.code, "UPDATE", before, e, clock.instant());
            return Mapper.settings(e);
        });
    }

    /** Group administrators, and the subsidiary's own administrators acting in it; else 403, whether it exists or not. */
    private static void requireAdministrator(CallerContext caller, String code, String action) {
        boolean ownAdmin = caller.hasRole(Roles.SUBSIDIARY_ADMIN) && code != null && code.equals(caller.subsidiary());
        if (!caller.hasRole(Roles.GROUP_ADMIN) && !ownAdmin) {
            throw new ForbiddenException("only group administrators and the administrators of subsidiary " + code
                    + " may " + action + " its settings");
        }
    }

    private static SubsidiaryEntity entity(javax.persistence.EntityManager em, String code) {
        return em.createQuery("select s from SubsidiaryEntity s where s.code = :code", SubsidiaryEntity.class)
                .setParameter("code", code).getResultList().stream().findFirst()
                .orElseThrow(() -> new NotFoundException("subsidiary", code));
    }

    /** @return the id of the subsidiary with this code, if it exists */
    public Optional<Long> findId(String code) {
        try {
            return Optional.of(idOf(code));
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /**
     * @return the id of the subsidiary with this code
     * @throws NotFoundException when no such subsidiary exists
     */
    public long idOf(String code) {
        return ref(code).id();
    }

    /** @return the time zone of the subsidiary with this code; @throws NotFoundException when it does not exist */
    public ZoneId zoneOf(String code) {
        return ref(code).zone();
    }

    private Ref ref(String code) {
        Ref ref = byCode.get(code);
        if (ref == null) {
            SubsidiaryDTO s = findByCode(code).orElseThrow(() -> new NotFoundException("subsidiary", code));
            ref = new Ref(s.id, ZoneId.of(s.timeZone));
            byCode.put(code, ref);
        }
        return ref;
    }

    /** @return the normalised id of an IANA time zone, {@code UTC} when none is given */
    static String zoneId(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return "UTC";
        }
        try {
            return ZoneId.of(timeZone.strip()).getId();
        } catch (DateTimeException e) {
            throw new ValidationException("timeZone", "unknown time zone '" + timeZone + "'; use an IANA id such as Asia/Shanghai");
        }
    }
}
