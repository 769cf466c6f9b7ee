package org.groupcrm.core.internal.service;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.subsidiary.SubsidiaryDTO;
import org.groupcrm.core.api.subsidiary.SubsidiaryService;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.SubsidiaryEntity;
import org.groupcrm.core.internal.persistence.DbClock;
import org.groupcrm.core.internal.persistence.Tx;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Subsidiaries, with an in-memory code → id directory (codes never change, so entries never go stale). */
@Component(service = {SubsidiaryService.class, SubsidiaryServiceImpl.class})
public class SubsidiaryServiceImpl implements SubsidiaryService {
    private final Map<String, Long> idsByCode = new ConcurrentHashMap<>();
    private final Clock clock = DbClock.UTC;

    @Reference
    Tx tx;

    @Reference
    InputValidator validator;

    @Override
    public SubsidiaryDTO create(CallerContext caller, SubsidiaryDTO input) {
        Access.requireGroupAdmin(caller, "create subsidiaries");
        validator.validate(input);
        SubsidiaryDTO created = tx.run((em, events) -> {
            boolean taken = !em.createQuery("select s.id from SubsidiaryEntity s where s.code = :code")
                    .setParameter("code", input.code).getResultList().isEmpty();
            if (taken) {
                throw new ConflictException("duplicate", "a subsidiary with code '" + input.code + "' already exists");
            }
            SubsidiaryEntity e = new SubsidiaryEntity();
            e.code = input.code;
            e.name = input.name.strip();
            e.createdAt = clock.instant();
            em.persist(e);
            em.flush();
            return Mapper.subsidiary(e);
        });
        idsByCode.put(created.code, created.id);
        return created;
    }

    @Override
    public List<SubsidiaryDTO> list(CallerContext caller) {
        return tx.run((em, events) -> {
            List<SubsidiaryEntity> all = em.createQuery("select s from SubsidiaryEntity s order by s.code",
                    SubsidiaryEntity.class).getResultList();
            return all.stream()
                    .filter(s -> caller.hasRole(Roles.GROUP_ADMIN) || s.code.equals(caller.subsidiary()))
                    .map(Mapper::subsidiary).toList();
        });
    }

    @Override
    public Optional<SubsidiaryDTO> findByCode(String code) {
        return tx.run((em, events) -> em.createQuery("select s from SubsidiaryEntity s where s.code = :code",
                SubsidiaryEntity.class).setParameter("code", code).getResultList().stream().findFirst().map(Mapper::subsidiary));
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
        Long id = idsByCode.get(code);
        if (id == null) {
            id = findByCode(code).orElseThrow(() -> new NotFoundException("subsidiary", code)).id;
            idsByCode.put(code, id);
        }
        return id;
    }
}
