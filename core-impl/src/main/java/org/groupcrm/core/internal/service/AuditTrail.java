package org.groupcrm.core.internal.service;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.persistence.TypedQuery;

import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.CoreResourceTypes;
import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.PageRequest;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.AuditEntity;
import org.groupcrm.core.internal.persistence.Tx;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reading the audit trail (administrators only): a subsidiary's administrators see its rows; group administrators
 * the selected subsidiary's, or every row when none is selected. Nothing here changes or deletes a row.
 */
@Component(service = AuditTrail.class)
public class AuditTrail {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference
    RightsServiceImpl rights;

    @Reference
    Tx tx;

    @Reference
    SubsidiaryServiceImpl subsidiaries;

    /** One audited write. */
    public static class EntryDTO {
        public long id;
        public String subsidiary;
        public String entity;
        public String entityId;
        public String action;
        /** field → {before, after} */
        public Map<String, Map<String, Object>> changes;
        public String actor;
        public Instant at;
    }

    public Page<EntryDTO> find(CallerContext caller, String entity, String id, PageRequest page) {
        rights.require(caller, CoreResourceTypes.AUDIT, Right.QUERY);
        Long sid = caller.subsidiary() == null ? null : subsidiaries.idOf(caller.subsidiary());
        if (sid == null && !caller.hasRole(Roles.GROUP_ADMIN)) {
            throw new org.groupcrm.core.api.SubsidiaryRequiredException();
        }
        StringBuilder where = new StringBuilder(" where 1 = 1");
        if (sid != null) {
            where.append(" and a.subsidiaryId = :sid");
        }
        if (entity != null) {
            where.append(" and a.entity = :entity");
        }
        if (id != null) {
            where.append(" and a.entityId = :id");
        }
        return tx.run((em, events) -> {
            TypedQuery<Long> count = em.createQuery("select count(a) from AuditEntity a" + where, Long.class);
            TypedQuery<AuditEntity> rows = em.createQuery("select a from AuditEntity a" + where
                    + " order by a.at desc, a.id desc", AuditEntity.class);
            for (TypedQuery<?> q : List.of(count, rows)) {
                if (sid != null) {
                    q.setParameter("sid", sid);
                }
                if (entity != null) {
                    q.setParameter("entity", entity);
                }
                if (id != null) {
                    q.setParameter("id", id);
                }
            }
            Map<Long, String> codes = new java.util.HashMap<>();
            return Records.page(count, rows, page, a -> {
                EntryDTO d = new EntryDTO();
                d.id = a.id;
                d.subsidiary = a.subsidiaryId == null ? null : codes.computeIfAbsent(a.subsidiaryId,
                        k -> em.find(org.groupcrm.core.internal.persistence.SubsidiaryEntity.class, k).code);
                d.entity = a.entity;
                d.entityId = a.entityId;
                d.action = a.action;
                try {
                    d.changes = JSON.readValue(a.changes, new TypeReference<Map<String, Map<String, Object>>>() { });
                } catch (Exception e) {
                    throw new IllegalStateException("audit row " + a.id + " is not readable", e);
                }
                d.actor = a.actor;
                d.at = a.at;
                return d;
            });
        });
    }
}
