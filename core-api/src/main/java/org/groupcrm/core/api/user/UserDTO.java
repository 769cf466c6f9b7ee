package org.groupcrm.core.api.user;

import java.time.Instant;
import java.util.Set;

import javax.validation.constraints.NotBlank;
import javax.validation.constraints.Pattern;
import javax.validation.constraints.Size;

/**
 * A CRM user. {@code password} is write-only: accepted on create, never returned. {@code id}, {@code enabled}
 * and {@code createdAt} are set by the server and ignored on input.
 */
public class UserDTO {
    public Long id;

    @NotBlank
    @Size(max = 64)
    @Pattern(regexp = "[a-z0-9][a-z0-9._@-]*", message = "must be lower case letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
    public String login;

    @NotBlank
    @Size(max = 200)
    public String displayName;

    /** Write-only; at least 10 characters. */
    @Size(min = 10, max = 200)
    public String password;

    /** Code of the home subsidiary; required unless the user is a group administrator. */
    @Size(max = 32)
    public String homeSubsidiary;

    /** Codes of further subsidiaries the user may act in. */
    public Set<String> subsidiaries;

    /** Role names from {@link Roles}; defaults to {@link Roles#USER}. */
    public Set<String> roles;

    public Boolean enabled;

    public Instant createdAt;
}
