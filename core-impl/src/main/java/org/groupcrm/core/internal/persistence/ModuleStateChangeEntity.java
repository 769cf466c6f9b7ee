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

/** Row of crm_module_state_history: one change of a module's state in a subsidiary; never updated. */
@Entity
@Table(name = "crm_module_state_history")
public class ModuleStateChangeEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subsidiary_id", nullable = false, updatable = false)
    public long subsidiaryId;

    @Column(nullable = false, updatable = false)
    public String module;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_state", nullable = false, updatable = false)
    public ModuleState fromState;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_state", nullable = false, updatable = false)
    public ModuleState toState;

    @Column(name = "pilot_users", nullable = false, updatable = false)
    public String pilotUsers = "";

    @Column(name = "from_date", updatable = false)
    public LocalDate from;

    @Column(name = "changed_by", nullable = false, updatable = false)
    public String changedBy;

    @Column(name = "changed_at", nullable = false, updatable = false)
    public Instant changedAt;
}
