package org.groupcrm.core.internal.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.Table;

/** Row of crm_contact. */
@Entity
@Table(name = "crm_contact")
public class ContactEntity extends RecordEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "customer_id", nullable = false, updatable = false)
    public long customerId;

    @Column(nullable = false)
    public String name;
    @Column(name = "job_title")
    public String jobTitle;
    public String phone;
    public String email;
    public String notes;
}
