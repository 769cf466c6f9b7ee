package org.groupcrm.plugins.pipeline.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

/**
 * An opportunity. On create, clients set {@code customerId}, {@code title}, {@code amount}, {@code currency} and
 * optionally {@code owner} (managers only; default: the caller), {@code expectedClose}, {@code stage} (default: the
 * first stage), {@code probability} (default: the stage's), {@code source}, {@code nextStep}. On update (with
 * {@code version}) the same except customer and stage (moves go through {@code POST .../stage}). Every other field is
 * kept by the server: setting it is a 400.
 */
public class OpportunityDTO {
    public Long id;
    public Long customerId;
    public String title;
    /** Login of the rep who owns the opportunity. */
    public String owner;
    public BigDecimal amount;
    /** ISO 4217, e.g. CNY. */
    public String currency;
    public LocalDate expectedClose;
    /** Code of the current stage. */
    public String stage;
    /** 0–100. */
    public Integer probability;
    public String source;
    public String nextStep;
    /** OPEN, WON or LOST (server-kept). */
    public String status;
    public String closeReason;
    public Instant closedAt;
    public Instant stageEnteredAt;
    /** Last change, comment or customer activity; the stalled list is based on it. */
    public Instant lastActivityAt;
    public String createdBy;
    public Instant createdAt;
    public Instant updatedAt;
    /** Optimistic lock: send back the version you read; a stale one is a 409. */
    public Long version;
    public Boolean archived;
}
