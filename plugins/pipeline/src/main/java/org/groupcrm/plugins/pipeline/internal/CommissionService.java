package org.groupcrm.plugins.pipeline.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.RightsService;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.plugins.pipeline.internal.CommissionReportDTO.CurrencyTotalDTO;
import org.groupcrm.plugins.pipeline.internal.CommissionReportDTO.LineCommissionDTO;
import org.groupcrm.plugins.pipeline.internal.CommissionReportDTO.OrderCommissionDTO;
import org.groupcrm.plugins.pipeline.internal.CommissionReportDTO.RepCommissionDTO;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Commission rates of the subsidiary and the commission of its reps. Commission is paid only on sales orders entered
 * in the CRM: the report reads nothing but {@code pipeline_order} and its lines (not won opportunities, not any
 * other source), so an order that was not entered earns nothing.
 * <p>
 * Each order line earns its amount × the rate of its product line (matched ignoring case and surrounding blanks),
 * or the subsidiary's default rate when the line has no product line or its product line has no rate; rounded
 * half-up to cents per line. The rates applied are the ones configured now: rates have no history, so changing a
 * rate changes the report of past periods too.
 * <p>
 * Rights over {@link PipelineModule#COMMISSION}: QUERY reads the rates and the report, MODIFY replaces the rates.
 * Whose commission the report shows is visibility ({@link Access}): a rep their own, managers and finance every rep's.
 */
@Component(service = CommissionService.class)
public class CommissionService {
    static final int MAX_RATES = 500;
    static final int MAX_PRODUCT_LINE = 64;
    static final int MAX_PERIOD_DAYS = 366;
    private static final BigDecimal ONE = BigDecimal.ONE;

    @Reference
    PipelineModule module;

    @Reference
    RightsService rights;

    private Db db;

    public CommissionService() {
    }

    /** For tests: works on the module's database and audit log, checking {@code rights}. */
    CommissionService(PipelineModule module, RightsService rights) {
        this.module = module;
        this.db = module.db();
        this.rights = rights;
    }

    @Activate
    void activate() {
        db = module.db();
    }

    /** @return the subsidiary's rates, the default first (without a product line), then by product line */
    public List<CommissionRateDTO> rates(CallerContext caller) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.COMMISSION, Right.QUERY);
        return db.read((c, e) -> readRates(c, subsidiary));
    }

    /**
     * Replaces the subsidiary's rates (the MODIFY right over {@link PipelineModule#COMMISSION}) with {@code rates}, which must contain exactly one default rate
     * ({@code productLine} null or {@code ""}).
     *
     * @return the rates now in force
     */
    public List<CommissionRateDTO> replaceRates(CallerContext caller, List<CommissionRateDTO> rates) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.COMMISSION, Right.MODIFY);
        List<CommissionRateDTO> valid = validate(rates);
        return db.tx((c, events) -> {
            Map<String, Object> before = described(readRates(c, subsidiary));
            try (PreparedStatement p = c.prepareStatement("DELETE FROM pipeline_commission_rate WHERE subsidiary = ?")) {
                p.setString(1, subsidiary);
                p.executeUpdate();
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO pipeline_commission_rate (subsidiary, product_line, rate) VALUES (?, ?, ?)")) {
                for (CommissionRateDTO r : valid) {
                    p.setString(1, subsidiary);
                    p.setString(2, r.productLine == null ? "" : r.productLine);
                    p.setBigDecimal(3, r.rate);
                    p.addBatch();
                }
                p.executeBatch();
            }
            List<CommissionRateDTO> now = readRates(c, subsidiary);
            module.auditConfiguration(c, caller, "commission_rates", subsidiary, before, described(now));
            return now;
        });
    }

    /** @return each rate by its product line ({@code (default)} for the default rate), as the audit trail keeps them */
    private static Map<String, Object> described(List<CommissionRateDTO> rates) {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        for (CommissionRateDTO r : rates) {
            d.put(r.productLine == null || r.productLine.isEmpty() ? "(default)" : r.productLine, r.rate.toPlainString());
        }
        return d;
    }

    /**
     * The commission of the period {@code from}–{@code to} (both inclusive, by order date).
     *
     * @param rep login of the rep to report on; {@code null} for the caller if a rep, for every rep with orders in
     *            the period if a manager or finance (who pays the commission). A rep may only ask for themselves.
     * @throws ForbiddenException a rep asked for another rep; or ({@code missing_right}) the caller lacks the QUERY
     *                            right over {@link PipelineModule#COMMISSION}
     * @throws ConflictException  the subsidiary has no default rate ({@code commission_rates_missing})
     */
    public CommissionReportDTO report(CallerContext caller, LocalDate from, LocalDate to, String rep) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.COMMISSION, Right.QUERY);
        String who = rep == null || rep.isBlank() ? null : rep.strip();
        if (!Access.seesSubsidiary(caller) && !caller.hasRole(Roles.FINANCE)) {
            if (who != null && !who.equals(caller.login())) {
                throw new ForbiddenException("a rep sees only their own commission; managers and finance see every rep's");
            }
            who = caller.login();
        }
        Checks checks = new Checks();
        checks.require(from != null, "from", "is required: the first day of the period, e.g. 2026-07-01")
                .require(to != null, "to", "is required: the last day of the period, e.g. 2026-09-30");
        if (from != null && to != null) {
            checks.require(!to.isBefore(from), "to", "must not be before from");
            checks.require(ChronoUnit.DAYS.between(from, to) < MAX_PERIOD_DAYS, "to",
                    "the period must not be longer than " + MAX_PERIOD_DAYS + " days");
        }
        if (who != null) {
            checks.optionalText("rep", who, 64);
        }
        checks.done();
        String only = who;
        return db.read((c, e) -> {
            Rates rates = new Rates(readRates(c, subsidiary));
            if (rates.defaultRate == null) {
                throw new ConflictException("commission_rates_missing", "subsidiary " + subsidiary
                        + " has no default commission rate, so commission cannot be computed; a manager sets the"
                        + " rates with PUT /api/v1/pipeline/commission-rates, including one without a product line");
            }
            CommissionReportDTO report = new CommissionReportDTO();
            report.subsidiary = subsidiary;
            report.from = from;
            report.to = to;
            report.reps = orders(c, subsidiary, from, to, only, rates);
            if (only != null && report.reps.isEmpty()) {
                RepCommissionDTO none = new RepCommissionDTO();
                none.rep = only;
                report.reps.add(none);
            }
            return report;
        });
    }

    private static List<RepCommissionDTO> orders(Connection c, String subsidiary, LocalDate from, LocalDate to,
            String rep, Rates rates) throws SQLException {
        Map<String, RepCommissionDTO> reps = new LinkedHashMap<>();
        Map<Long, OrderCommissionDTO> orders = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT o.id, o.rep, o.order_date, o.customer_id,"
                + " o.opportunity_id, o.currency, o.total, l.line_no, l.product_line, l.description, l.amount"
                + " FROM pipeline_order o LEFT JOIN pipeline_order_line l ON l.order_id = o.id"
                + " WHERE o.subsidiary = ? AND o.order_date BETWEEN ? AND ?" + (rep == null ? "" : " AND o.rep = ?")
                + " ORDER BY o.rep, o.order_date, o.id, l.line_no")) {
            p.setString(1, subsidiary);
            p.setDate(2, Date.valueOf(from));
            p.setDate(3, Date.valueOf(to));
            if (rep != null) {
                p.setString(4, rep);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    OrderCommissionDTO order = orders.get(id);
                    if (order == null) {
                        order = new OrderCommissionDTO();
                        order.orderId = id;
                        order.orderDate = rs.getDate(3).toLocalDate();
                        order.customerId = rs.getLong(4);
                        long opportunity = rs.getLong(5);
                        order.opportunityId = rs.wasNull() ? null : opportunity;
                        order.currency = rs.getString(6).strip();
                        order.total = rs.getBigDecimal(7);
                        order.commission = BigDecimal.ZERO.setScale(2);
                        orders.put(id, order);
                        reps.computeIfAbsent(rs.getString(2), r -> {
                            RepCommissionDTO d = new RepCommissionDTO();
                            d.rep = r;
                            return d;
                        }).orders.add(order);
                    }
                    int lineNo = rs.getInt(8);
                    if (rs.wasNull()) {
                        continue; // an order without lines earns nothing
                    }
                    LineCommissionDTO line = new LineCommissionDTO();
                    line.lineNo = lineNo;
                    line.productLine = rs.getString(9);
                    line.description = rs.getString(10);
                    line.amount = rs.getBigDecimal(11);
                    BigDecimal own = rates.forProductLine(line.productLine);
                    line.defaultRate = own == null;
                    line.rate = own == null ? rates.defaultRate : own;
                    line.commission = commission(line.amount, line.rate);
                    order.lines.add(line);
                    order.commission = order.commission.add(line.commission);
                }
            }
        }
        for (RepCommissionDTO r : reps.values()) {
            Map<String, CurrencyTotalDTO> totals = new TreeMap<>();
            for (OrderCommissionDTO o : r.orders) {
                CurrencyTotalDTO t = totals.computeIfAbsent(o.currency, cur -> {
                    CurrencyTotalDTO d = new CurrencyTotalDTO();
                    d.currency = cur;
                    d.orders = 0;
                    d.sales = BigDecimal.ZERO.setScale(2);
                    d.commission = BigDecimal.ZERO.setScale(2);
                    return d;
                });
                t.orders++;
                t.sales = t.sales.add(o.total);
                t.commission = t.commission.add(o.commission);
            }
            r.totals.addAll(totals.values());
        }
        return new ArrayList<>(reps.values());
    }

    /** @return {@code amount} × {@code rate}, rounded half-up to cents */
    static BigDecimal commission(BigDecimal amount, BigDecimal rate) {
        return amount.multiply(rate).setScale(2, RoundingMode.HALF_UP);
    }

    private static List<CommissionRateDTO> readRates(Connection c, String subsidiary) throws SQLException {
        List<CommissionRateDTO> rates = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT product_line, rate FROM pipeline_commission_rate"
                + " WHERE subsidiary = ? ORDER BY product_line")) {
            p.setString(1, subsidiary);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rates.add(CommissionRateDTO.of(rs.getString(1), rs.getBigDecimal(2).stripTrailingZeros()));
                }
            }
        }
        return rates;
    }

    /** The rates by product line (lower case), and the default. */
    private static final class Rates {
        final Map<String, BigDecimal> byLine = new HashMap<>();
        final BigDecimal defaultRate;

        Rates(List<CommissionRateDTO> rates) {
            BigDecimal d = null;
            for (CommissionRateDTO r : rates) {
                if (r.productLine == null) {
                    d = r.rate;
                } else {
                    byLine.put(key(r.productLine), r.rate);
                }
            }
            defaultRate = d;
        }

        /** @return the rate of the product line, or {@code null} when it has none (the default applies) */
        BigDecimal forProductLine(String productLine) {
            return productLine == null || productLine.isBlank() ? null : byLine.get(key(productLine));
        }
    }

    private static String key(String productLine) {
        return productLine.strip().toLowerCase(Locale.ROOT);
    }

    /**
     * @return the rates with their product lines stripped ({@code null} for the default)
     * @throws org.groupcrm.core.api.ValidationException naming each invalid {@code rates[i].field}
     */
    static List<CommissionRateDTO> validate(List<CommissionRateDTO> rates) {
        Checks checks = new Checks();
        if (rates == null) {
            checks.fail("rates", "must be a list of rates, including one without a product line (the default)").done();
            return List.of();
        }
        if (rates.size() > MAX_RATES) {
            checks.fail("rates", "at most " + MAX_RATES + " rates").done();
        }
        List<CommissionRateDTO> valid = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rates.size(); i++) {
            CommissionRateDTO r = rates.get(i);
            String at = "rates[" + i + "]";
            if (r == null) {
                checks.fail(at, "must be a rate");
                continue;
            }
            String line = r.productLine == null ? "" : r.productLine.strip();
            if (line.length() > MAX_PRODUCT_LINE) {
                checks.fail(at + ".productLine", "must be at most " + MAX_PRODUCT_LINE + " characters");
            } else if (line.chars().anyMatch(Character::isISOControl)) {
                checks.fail(at + ".productLine", "must not contain control characters");
            } else {
                Integer first = seen.putIfAbsent(key(line), i);
                if (first != null) {
                    checks.fail(at + ".productLine", (line.isEmpty() ? "the default rate" : "product line '" + line + "'")
                            + " appears twice (also rates[" + first + "])");
                }
            }
            if (r.rate == null) {
                checks.fail(at + ".rate", "is required: a share between 0 and 1, e.g. 0.05 for 5 %");
            } else if (r.rate.signum() < 0 || r.rate.compareTo(ONE) > 0) {
                checks.fail(at + ".rate", "must be between 0 and 1 (0.05 = 5 %), not " + r.rate.toPlainString());
            } else if (r.rate.stripTrailingZeros().scale() > 4) {
                checks.fail(at + ".rate", "must have at most 4 decimals, not " + r.rate.toPlainString());
            }
            valid.add(CommissionRateDTO.of(line, r.rate == null ? null : r.rate.stripTrailingZeros()));
        }
        checks.require(seen.containsKey(""), "rates",
                "a default rate is required: one rate with productLine null or \"\", applied to every other product line");
        checks.done();
        return valid;
    }
}
