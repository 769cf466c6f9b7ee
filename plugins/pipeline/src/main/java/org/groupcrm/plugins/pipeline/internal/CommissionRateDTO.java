package org.groupcrm.plugins.pipeline.internal;

import java.math.BigDecimal;

/**
 * A commission rate of the subsidiary: for a product line, or the subsidiary's default (applied to order lines whose
 * product line has no rate of its own, and to lines without a product line).
 */
public class CommissionRateDTO {
    /** Product line the rate applies to (at most 64 characters); {@code null} or {@code ""} for the default rate. */
    public String productLine;
    /** Share of a line's amount paid as commission: 0 to 1, at most 4 decimals (0.05 = 5 %). */
    public BigDecimal rate;

    static CommissionRateDTO of(String productLine, BigDecimal rate) {
        CommissionRateDTO r = new CommissionRateDTO();
        r.productLine = productLine == null || productLine.isEmpty() ? null : productLine;
        r.rate = rate;
        return r;
    }
}
