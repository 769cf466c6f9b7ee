package org.groupcrm.core.internal.persistence;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;

/** Row of crm_audit: one committed write; insert-only. */
@Entity
@Table(name = "crm_audit")
public class AuditEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subsidiary_id", updatable = false)
    public Long subsidiaryId;

    @Column(nullable = false, updatable = false)
    public String entity;

    @Column(name = "entity_id", nullable = false, updatable = false)
    public String entityId;

    @Column(nullable = false, updatable = false)
    public String action;

    /** JSON object: field → {"before": ..., "after": ...}. */
    @Column(nullable = false, updatable = false)
    public String changes;

    @Column(nullable = false, updatable = false)
    public String actor;

    @Column(nullable = false, updatable = false)
    public Instant at;
}
