package org.groupcrm.core.internal.persistence;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.MappedSuperclass;
import javax.persistence.Version;

/** Columns every changeable row has: creation and last-change time, and the optimistic-lock version. */
@MappedSuperclass
public abstract class VersionedEntity {
    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public Long version;

    /** Sets both timestamps of a new row. */
    public void created(Instant now) {
        createdAt = now;
        updatedAt = now;
    }
}
