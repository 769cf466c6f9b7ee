package org.groupcrm.core.internal.persistence;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;

/** Row of crm_customer_owner_history: one change of a customer's owner; never updated. */
@Entity
@Table(name = "crm_customer_owner_history")
public class OwnerChangeEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "customer_id", nullable = false, updatable = false)
    public long customerId;

    @Column(name = "subsidiary_id", nullable = false, updatable = false)
    public long subsidiaryId;

    @Column(name = "from_owner", nullable = false, updatable = false)
    public String fromOwner;

    @Column(name = "to_owner", nullable = false, updatable = false)
    public String toOwner;

    @Column(nullable = false, updatable = false)
    public String reason = "";

    @Column(name = "changed_by", nullable = false, updatable = false)
    public String changedBy;

    @Column(name = "changed_at", nullable = false, updatable = false)
    public Instant changedAt;
}
