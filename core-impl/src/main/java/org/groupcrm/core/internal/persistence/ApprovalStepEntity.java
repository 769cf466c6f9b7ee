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

import org.groupcrm.core.api.approval.ApprovalStatus;

/** Row of crm_approval_step: one review step of a request and, once decided, who decided it and how. */
@Entity
@Table(name = "crm_approval_step")
public class ApprovalStepEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /** The request; loaded with it (no weaving, so no lazy loading). */
    @ManyToOne(optional = false)
    @JoinColumn(name = "approval_id", updatable = false)
    public ApprovalEntity approval;

    /** Zero-based order of the step within its request. */
    @Column(nullable = false, updatable = false)
    public int position;

    @Column(name = "role", nullable = false, updatable = false)
    public String role;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ApprovalStatus status;

    @ManyToOne(fetch = FetchType.EAGER)
    @JoinColumn(name = "decided_by_id")
    public UserEntity decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    public String comment;
}
