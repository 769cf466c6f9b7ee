package org.groupcrm.core.internal.persistence;

import java.time.Instant;
import java.time.LocalDate;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;

import org.groupcrm.core.api.module.ModuleState;

/** Row of crm_module_state: the current state of one module in one subsidiary. */
@Entity
@Table(name = "crm_module_state")
public class ModuleStateEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subsidiary_id", nullable = false, updatable = false)
    public long subsidiaryId;

    @Column(nullable = false, updatable = false)
    public String module;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ModuleState state;

    /** Pilot logins, comma-separated, sorted. */
    @Column(name = "pilot_users", nullable = false)
    public String pilotUsers = "";

    @Column(name = "from_date")
    public LocalDate from;

    @Column(name = "changed_by", nullable = false)
    public String changedBy;

    @Column(name = "changed_at", nullable = false)
    public Instant changedAt;
}
