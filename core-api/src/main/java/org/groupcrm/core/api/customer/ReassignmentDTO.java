package org.groupcrm.core.api.customer;

import java.util.List;
import java.util.Map;

import javax.validation.constraints.NotBlank;
import javax.validation.constraints.Size;

/**
 * Moving customers from one rep to another: all of {@code from}'s customers in the subsidiary (a rep who leaves), or
 * the listed ones. Clients set {@code from}, {@code to}, optionally {@code customerIds} and {@code reason}; the answer
 * adds what moved.
 */
public class ReassignmentDTO {
    /** Login of the current owner (who may be disabled already). */
    @NotBlank
    @Size(max = 64)
    public String from;

    /** Login of the new owner: an active user of the subsidiary. */
    @NotBlank
    @Size(max = 64)
    public String to;

    /** The customers to move, all owned by {@code from}; absent: every customer {@code from} owns in the subsidiary. */
    @Size(max = 10_000)
    public List<Long> customerIds;

    /** Why, for the owner history (e.g. "left the company"). */
    @Size(max = 500)
    public String reason;

    /** Answers only: customers moved. */
    public Integer customers;

    /** Answers only: open activities (reminders) moved with them. */
    public Integer activities;

    /** Answers only: records moved per module that took part. */
    public Map<String, Integer> modules;
}
