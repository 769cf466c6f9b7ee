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
    /** What a team code looks like. */
    public static final String TEAM_PATTERN = "[a-z0-9][a-z0-9._-]*";
    /** The rule of {@link #TEAM_PATTERN}, in words. */
    public static final String TEAM_RULE = "must be lower case letters, digits, '.', '_' or '-', starting with a letter or digit";

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

    /**
     * Code of the user's sales team in their home subsidiary (optional; a user is in at most one team). Teams need no
     * set-up: a team exists while a user is in it.
     */
    @Size(max = 64)
    @Pattern(regexp = TEAM_PATTERN, message = TEAM_RULE)
    public String team;

    /**
     * For a {@link Roles#SALES_ASSISTANT}: the logins of the reps they work for (same home subsidiary); they see those
     * reps' customers and enter records on their behalf. Set by administrators; empty for other users.
     */
    public Set<String> reps;

    public Boolean enabled;

    public Instant createdAt;
}
