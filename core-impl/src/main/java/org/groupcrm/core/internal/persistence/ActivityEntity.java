package org.groupcrm.core.internal.persistence;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.EnumType;
import javax.persistence.Enumerated;
import javax.persistence.FetchType;
import javax.persistence.GeneratedValue;
import javax.persistence.GenerationType;
import javax.persistence.Id;
import javax.persistence.JoinColumn;
import javax.persistence.ManyToOne;
import javax.persistence.Table;

import org.eclipse.persistence.annotations.JoinFetch;
import org.eclipse.persistence.annotations.JoinFetchType;
import org.groupcrm.core.api.activity.ActivityType;

/** Row of crm_activity. */
@Entity
@Table(name = "crm_activity")
public class ActivityEntity extends RecordEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "customer_id", updatable = false)
    @JoinFetch(JoinFetchType.INNER)
    public CustomerEntity customer;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ActivityType type;

    @Column(nullable = false)
    public String subject;
    public String notes;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "recorded_at", nullable = false, updatable = false)
    public Instant recordedAt;

    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "owner_id")
    @JoinFetch(JoinFetchType.INNER)
    public UserEntity owner;

    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "entered_by_id", updatable = false)
    @JoinFetch(JoinFetchType.INNER)
    public UserEntity enteredBy;

    @Column(name = "due_at")
    public Instant dueAt;

    @Column(nullable = false)
    public boolean done;

    @Column(name = "done_at")
    public Instant doneAt;
}
