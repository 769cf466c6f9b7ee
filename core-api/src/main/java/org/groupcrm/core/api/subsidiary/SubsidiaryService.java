package org.groupcrm.core.api.subsidiary;

import java.util.List;
import java.util.Optional;

import org.groupcrm.core.api.CallerContext;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Registry of the group's subsidiaries. Thread-safe; every method runs in its own transaction.
 */
@ProviderType
public interface SubsidiaryService {

    /**
     * Creates a subsidiary. Only group administrators may.
     *
     * @throws org.groupcrm.core.api.ValidationException a field is missing or malformed
     * @throws org.groupcrm.core.api.ConflictException   the code is taken ({@code duplicate})
     * @throws org.groupcrm.core.api.ForbiddenException  the caller is not a group administrator
     */
    SubsidiaryDTO create(CallerContext caller, SubsidiaryDTO subsidiary);

    /**
     * @return every subsidiary, by code
     * @throws org.groupcrm.core.api.ForbiddenException the caller is not a group administrator
     */
    List<SubsidiaryDTO> list(CallerContext caller);

    /** @return the subsidiary with this code (case-sensitive), if it exists; no access check */
    Optional<SubsidiaryDTO> findByCode(String code);
}
