package org.groupcrm.core.api.customer;

import java.time.Instant;

/** One change of a customer's owner, as kept in its owner history. */
public class OwnerChangeDTO {
    public String from;
    public String to;
    public String reason;
    public String changedBy;
    public Instant changedAt;
}
