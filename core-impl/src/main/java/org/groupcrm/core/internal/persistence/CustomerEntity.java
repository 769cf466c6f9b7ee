package org.groupcrm.core.internal.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.Table;

import org.eclipse.persistence.annotations.JoinFetch;
import org.eclipse.persistence.annotations.JoinFetchType;

/** Row of crm_customer. */
@Entity
@Table(name = "crm_customer")
public class CustomerEntity extends RecordEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String name;
    public String phone;
    public String email;
    public String occupation;
    @Column(name = "birth_year")
    public Integer birthYear;
    public String address;
    public String notes;

    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "owner_id")
    @JoinFetch(JoinFetchType.INNER)
    public UserEntity owner;

    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "entered_by_id", updatable = false)
    @JoinFetch(JoinFetchType.INNER)
    public UserEntity enteredBy;
}
