package org.groupcrm.core.internal.persistence;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;

import org.groupcrm.core.api.subsidiary.RecordVisibility;

/** Row of crm_subsidiary. */
@Entity
@Table(name = "crm_subsidiary")
public class SubsidiaryEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, updatable = false)
    public String code;

    @Column(nullable = false)
    public String name;

    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    /** Which customers the subsidiary's sales reps see (changeset {@code crm:core-14}). */
    @Enumerated(EnumType.STRING)
    @Column(name = "record_visibility", nullable = false)
    public RecordVisibility recordVisibility = RecordVisibility.OWN;
}
