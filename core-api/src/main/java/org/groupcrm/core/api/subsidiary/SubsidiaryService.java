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

    /**
     * @param code the subsidiary's code
     * @return its settings
     * @throws org.groupcrm.core.api.ForbiddenException the caller is neither a group administrator nor an
     *                                                  administrator of that subsidiary acting in it
     * @throws org.groupcrm.core.api.NotFoundException  no subsidiary has this code
     * @since 1.1
     */
    SubsidiarySettingsDTO settings(CallerContext caller, String code);

    /**
     * Changes a subsidiary's settings, in force from the next request on; the change is in the audit trail (entity
     * {@code subsidiary}, id its code). Only group administrators and the subsidiary's own administrators may.
     *
     * @param code     the subsidiary's code
     * @param settings the new settings (every writable field)
     * @return the settings as stored
     * @throws org.groupcrm.core.api.ValidationException a field is missing or malformed (e.g. {@code recordVisibility})
     * @throws org.groupcrm.core.api.ForbiddenException  as for {@link #settings}; nothing is written
     * @throws org.groupcrm.core.api.NotFoundException   no subsidiary has this code
     * @since 1.1
     */
    SubsidiarySettingsDTO changeSettings(CallerContext caller, String code, SubsidiarySettingsDTO settings);
}
