package org.groupcrm.core.api.subsidiary;

import javax.validation.constraints.NotNull;

/**
 * The settings a subsidiary's administrators choose for it. Writable: {@code recordVisibility}. Read-only:
 * {@code subsidiary} (its code; ignored on input).
 */
public class SubsidiarySettingsDTO {
    public String subsidiary;

    /** Which customers its sales reps see; {@link RecordVisibility#OWN} unless changed. */
    @NotNull
    public RecordVisibility recordVisibility;

    public SubsidiarySettingsDTO() {
    }

    public SubsidiarySettingsDTO(RecordVisibility recordVisibility) {
        this.recordVisibility = recordVisibility;
    }
}
