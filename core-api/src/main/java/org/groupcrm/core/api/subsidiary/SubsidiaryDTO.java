package org.groupcrm.core.api.subsidiary;

import java.time.Instant;

import javax.validation.constraints.NotBlank;
import javax.validation.constraints.Pattern;
import javax.validation.constraints.Size;

/**
 * A subsidiary of the group. {@code code} is its stable key (used in the {@code X-Subsidiary} header); {@code name}
 * and {@code timeZone} are writable; {@code id} and {@code createdAt} are set by the server and ignored on input.
 */
public class SubsidiaryDTO {
    public Long id;

    @NotBlank
    @Size(max = 32)
    @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_-]*", message = "must start with a letter or digit and contain only letters, digits, '_' and '-'")
    public String code;

    @NotBlank
    @Size(max = 200)
    public String name;

    /**
     * IANA time zone of the subsidiary, e.g. {@code Asia/Shanghai}; defaults to {@code UTC}. It decides where "today"
     * begins and ends for the subsidiary's follow-up reminders.
     */
    @Size(max = 64)
    public String timeZone;

    public Instant createdAt;
}
