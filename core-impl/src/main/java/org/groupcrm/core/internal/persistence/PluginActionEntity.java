package org.groupcrm.core.internal.persistence;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;

/** Row of crm_plugin_action: one administrative action on a plugin feature; never updated. */
@Entity
@Table(name = "crm_plugin_action")
public class PluginActionEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, updatable = false)
    public String action;

    @Column(nullable = false, updatable = false)
    public String feature;

    @Column(name = "from_version", updatable = false)
    public String fromVersion;

    @Column(name = "to_version", updatable = false)
    public String toVersion;

    @Column(nullable = false, updatable = false)
    public String outcome;

    @Column(nullable = false, updatable = false)
    public String detail;

    @Column(name = "performed_by", nullable = false, updatable = false)
    public String performedBy;

    @Column(name = "performed_at", nullable = false, updatable = false)
    public Instant performedAt;
}
