package org.groupcrm.core.api.activity;

import java.time.Instant;

import javax.validation.constraints.NotBlank;
import javax.validation.constraints.NotNull;
import javax.validation.constraints.Size;

/**
 * One piece of work with a customer, optionally with a follow-up reminder ({@code dueAt}).
 * <p>
 * Writable: {@code type}, {@code subject}, {@code notes}, {@code occurredAt} (when it happened, as the user says;
 * defaults to now, must not lie in the future), {@code dueAt}, {@code owner} on create only (defaults to the caller);
 * {@code version} on update. Read-only: {@code id}, {@code customerId}, {@code customerName}, {@code recordedAt}
 * (server time of entry: data timeliness compares it with {@code occurredAt}), {@code enteredBy}, {@code done},
 * {@code doneAt}, {@code createdAt}, {@code updatedAt}, {@code archived}.
 */
public class ActivityDTO {
    public Long id;
    public Long customerId;
    public String customerName;

    @NotNull
    public ActivityType type;

    @NotBlank
    @Size(max = 200)
    public String subject;

    @Size(max = 8000)
    public String notes;

    public Instant occurredAt;
    public Instant recordedAt;

    @Size(max = 64)
    public String owner;
    public String enteredBy;

    /** When a follow-up is due; {@code null} when the activity needs no follow-up. */
    public Instant dueAt;
    public boolean done;
    public Instant doneAt;

    public Instant createdAt;
    public Instant updatedAt;
    public Long version;
    public boolean archived;
}
