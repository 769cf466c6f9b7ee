package org.groupcrm.core.internal.persistence;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.NamedQuery;
import javax.persistence.QueryHint;
import javax.persistence.Table;

import org.eclipse.persistence.annotations.JoinFetch;
import org.eclipse.persistence.annotations.JoinFetchType;
import org.eclipse.persistence.config.QueryHints;
import org.eclipse.persistence.config.QueryType;

/** Row of crm_customer. */
@Entity
@Table(name = "crm_customer")
// one customer with its owner, its enterer and their home subsidiaries in one statement, prepared once; a read-object
// query, so a customer already in the unit of work costs no statement (as with find)
@NamedQuery(name = CustomerEntity.BY_ID, query = "select c from CustomerEntity c where c.id = :id", hints = {
        @QueryHint(name = QueryHints.QUERY_TYPE, value = QueryType.ReadObject),
        @QueryHint(name = QueryHints.LEFT_FETCH, value = "c.owner.homeSubsidiary"),
        @QueryHint(name = QueryHints.LEFT_FETCH, value = "c.enteredBy.homeSubsidiary")})
public class CustomerEntity extends RecordEntity {
    /** The named query reading one customer by {@code :id}, see the annotation. */
    public static final String BY_ID = "CustomerEntity.byId";

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
