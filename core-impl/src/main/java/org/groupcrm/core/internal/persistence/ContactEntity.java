package org.groupcrm.core.internal.persistence;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;
import javax.persistence.Version;

/** Row of crm_contact. */
@Entity
@Table(name = "crm_contact")
public class ContactEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subsidiary_id", nullable = false, updatable = false)
    public long subsidiaryId;

    @Column(name = "customer_id", nullable = false, updatable = false)
    public long customerId;

    @Column(nullable = false)
    public String name;
    @Column(name = "job_title")
    public String jobTitle;
    public String phone;
    public String email;
    public String notes;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public Long version;

    @Column(nullable = false)
    public boolean archived;
}
