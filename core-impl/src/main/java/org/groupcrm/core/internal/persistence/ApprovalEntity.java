package org.groupcrm.core.internal.persistence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.persistence.CascadeType;
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
import javax.persistence.OneToMany;
import javax.persistence.OrderBy;
import javax.persistence.Table;

import org.eclipse.persistence.annotations.BatchFetch;
import org.eclipse.persistence.annotations.BatchFetchType;
import org.eclipse.persistence.annotations.JoinFetch;
import org.eclipse.persistence.annotations.JoinFetchType;
import org.groupcrm.core.api.approval.ApprovalStatus;

/** Row of crm_approval with its steps; the current step's role is kept on the row for the reviewers' queues. */
@Entity
@Table(name = "crm_approval")
public class ApprovalEntity extends VersionedEntity {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "subsidiary_id", nullable = false, updatable = false)
    public long subsidiaryId;

    @Column(nullable = false, updatable = false)
    public String type;

    @Column(name = "subject_type", nullable = false, updatable = false)
    public String subjectType;

    @Column(name = "subject_id", nullable = false, updatable = false)
    public String subjectId;

    @Column(nullable = false, updatable = false)
    public String summary;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ApprovalStatus status;

    /** Index of the step waiting for a decision; {@code null} once closed. */
    @Column(name = "current_step")
    public Integer currentStep;

    /** Role of the step waiting for a decision; {@code null} once closed. */
    @Column(name = "current_step_role")
    public String currentRole;

    @ManyToOne(fetch = FetchType.EAGER, optional = false)
    @JoinColumn(name = "submitted_by_id", updatable = false)
    @JoinFetch(JoinFetchType.INNER)
    public UserEntity submittedBy;

    @Column(name = "closed_at")
    public Instant closedAt;

    @OneToMany(mappedBy = "approval", cascade = CascadeType.ALL, fetch = FetchType.EAGER)
    @OrderBy("position")
    @BatchFetch(BatchFetchType.IN)
    public List<ApprovalStepEntity> steps = new ArrayList<>();
}
