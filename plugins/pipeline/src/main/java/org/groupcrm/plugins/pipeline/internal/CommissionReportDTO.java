package org.groupcrm.plugins.pipeline.internal;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Commission of reps for a period, computed only from the sales orders entered in the CRM ({@code pipeline_order}):
 * an order that was not entered in the CRM earns no commission. Amounts are in the order's currency; nothing is
 * converted, so totals are per currency.
 */
public class CommissionReportDTO {
    /** What commission is paid on: always {@value #BASIS}. */
    public static final String BASIS = "orders entered in the CRM";

    public String basis = BASIS;
    public String subsidiary;
    /** First day of the period (inclusive). */
    public LocalDate from;
    /** Last day of the period (inclusive). */
    public LocalDate to;
    /** The reps reported on, by login. */
    public List<RepCommissionDTO> reps = new ArrayList<>();

    /** One rep's commission for the period. */
    public static class RepCommissionDTO {
        public String rep;
        /** The rep's orders dated in the period, by date. */
        public List<OrderCommissionDTO> orders = new ArrayList<>();
        /** Sales and commission per currency. */
        public List<CurrencyTotalDTO> totals = new ArrayList<>();
    }

    /** One counted order. */
    public static class OrderCommissionDTO {
        public Long orderId;
        public LocalDate orderDate;
        public Long customerId;
        public Long opportunityId;
        public String currency;
        public BigDecimal total;
        public List<LineCommissionDTO> lines = new ArrayList<>();
        /** Sum of the lines' commission. */
        public BigDecimal commission;
    }

    /** One order line with the rate applied to it. */
    public static class LineCommissionDTO {
        public Integer lineNo;
        /** The line's product line, if it has one. */
        public String productLine;
        public String description;
        public BigDecimal amount;
        /** The rate applied: the product line's rate, else the subsidiary's default. */
        public BigDecimal rate;
        /** Whether {@link #rate} is the default rate (the line's product line has no rate of its own). */
        public Boolean defaultRate;
        /** amount × rate, rounded half-up to cents. */
        public BigDecimal commission;
    }

    /** A rep's totals in one currency. */
    public static class CurrencyTotalDTO {
        public String currency;
        public Integer orders;
        /** Sum of the orders' totals. */
        public BigDecimal sales;
        public BigDecimal commission;
    }
}
