package org.groupcrm.core.internal.persistence;

import java.time.Instant;

import javax.persistence.Column;
import javax.persistence.MappedSuperclass;

/** A business record of one subsidiary, archived rather than deleted. */
@MappedSuperclass
public abstract class RecordEntity extends VersionedEntity {
    @Column(name = "subsidiary_id", nullable = false, updatable = false)
    public long subsidiaryId;

    @Column(nullable = false)
    public boolean archived;

    /** Archives the record; @return whether it changed (archiving twice is harmless) */
    public boolean archive(Instant now) {
        if (archived) {
            return false;
        }
        archived = true;
        updatedAt = now;
        return true;
    }
}
