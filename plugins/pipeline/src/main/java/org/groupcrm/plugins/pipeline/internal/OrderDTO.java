package org.groupcrm.plugins.pipeline.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A sales order entered in the CRM. Clients set {@code customerId}, {@code currency}, {@code lines} and optionally
 * {@code rep} (managers only; default: the caller, or the opportunity's owner), {@code opportunityId} and
 * {@code orderDate} (default: today); the total is the sum of the lines.
 */
public class OrderDTO {
    public Long id;
    public Long customerId;
    public String rep;
    public Long opportunityId;
    public LocalDate orderDate;
    public String currency;
    public BigDecimal total;
    public List<OrderLineDTO> lines;
    public String enteredBy;
    public Instant enteredAt;

    /** One line of an order. */
    public static class OrderLineDTO {
        /** Product line, for per-line commission rates; optional. */
        public String productLine;
        public String description;
        public BigDecimal quantity;
        public BigDecimal unitPrice;
        /** quantity × unit price, rounded to cents (answers only). */
        public BigDecimal amount;
    }
}
