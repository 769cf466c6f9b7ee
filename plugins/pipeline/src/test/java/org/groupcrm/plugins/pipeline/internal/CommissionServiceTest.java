package org.groupcrm.plugins.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.plugins.pipeline.internal.CommissionReportDTO.CurrencyTotalDTO;
import org.groupcrm.plugins.pipeline.internal.CommissionReportDTO.LineCommissionDTO;
import org.groupcrm.plugins.pipeline.internal.CommissionReportDTO.OrderCommissionDTO;
import org.groupcrm.plugins.pipeline.internal.CommissionReportDTO.RepCommissionDTO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;


/** Commission rates and the commission report on a real PostgreSQL with the pipeline's changelog. */
class CommissionServiceTest {
    private static final String SUB = "CN01";
    private static final LocalDate FROM = LocalDate.parse("2026-07-01");
    private static final LocalDate TO = LocalDate.parse("2026-09-30");
    private static final CallerContext ALICE = new CallerContext(11, "alice", SUB, Set.of(Roles.USER));
    private static final CallerContext BOB = new CallerContext(12, "bob", SUB, Set.of(Roles.USER));
    private static final CallerContext MANAGER = new CallerContext(10, "mona", SUB, Set.of(Roles.SUBSIDIARY_ADMIN));

    private static DataSource dataSource;
    private ModuleRights rights;
    private CommissionService service;

    @BeforeAll
    static void startDatabase() throws Exception {
        dataSource = TestDatabase.dataSource();
    }

    @BeforeEach
    void emptyTables() throws Exception {
        TestDatabase.truncate();
        rights = new ModuleRights();
        service = new CommissionService(TestAudit.moduleWith(new Db(dataSource, null)), rights);
    }

    // ---- the basis: orders entered in the CRM, and nothing else

    @Test
    void onlyOrdersEnteredInTheCrmEarnCommission() throws SQLException {
        rates(SUB, "", "0.05");
        rates("HK01", "", "0.05");
        long stage = stage(SUB);
        // a won opportunity without an order earns nothing; nor does an order of another subsidiary
        opportunity(SUB, "alice", stage, "WON", "10000.00");
        long withOrder = opportunity(SUB, "alice", stage, "WON", "500.00");
        order("HK01", "alice", "2026-07-10", "CNY", null, line(null, "9000.00"));
        long counted = order(SUB, "alice", "2026-07-10", "CNY", withOrder, line(null, "500.00"));

        CommissionReportDTO report = service.report(ALICE, FROM, TO, null);

        assertEquals("orders entered in the CRM", report.basis);
        assertEquals(SUB, report.subsidiary);
        assertEquals(1, report.reps.size());
        RepCommissionDTO alice = report.reps.get(0);
        assertEquals("alice", alice.rep);
        assertEquals(List.of(counted), alice.orders.stream().map(o -> o.orderId).toList());
        assertEquals(withOrder, alice.orders.get(0).opportunityId);
        assertEquals(new BigDecimal("25.00"), alice.orders.get(0).commission);
        assertEquals(1, alice.totals.size());
        assertEquals(new BigDecimal("500.00"), alice.totals.get(0).sales);
        assertEquals(new BigDecimal("25.00"), alice.totals.get(0).commission);
    }

    @Test
    void eachLineEarnsItsProductLinesRateElseTheDefault() throws SQLException {
        rates(SUB, "", "0.05", "hardware", "0.08", "Services", "0.1");
        long id = order(SUB, "alice", "2026-08-01", "CNY", null, line("hardware", "1000.00"),
                line(" SERVICES ", "200.00"), line(null, "300.00"), line("software", "400.00"));

        OrderCommissionDTO order = service.report(ALICE, FROM, TO, null).reps.get(0).orders.get(0);

        assertEquals(id, order.orderId);
        assertEquals(LocalDate.parse("2026-08-01"), order.orderDate);
        assertEquals(1001L, order.customerId);
        assertEquals("CNY", order.currency);
        assertEquals(new BigDecimal("1900.00"), order.total);
        List<LineCommissionDTO> lines = order.lines;
        assertEquals(List.of(1, 2, 3, 4), lines.stream().map(l -> l.lineNo).toList());
        assertLine(lines.get(0), "hardware", "1000.00", "0.08", false, "80.00");
        assertLine(lines.get(1), " SERVICES ", "200.00", "0.1", false, "20.00");
        assertLine(lines.get(2), null, "300.00", "0.05", true, "15.00");
        assertLine(lines.get(3), "software", "400.00", "0.05", true, "20.00");
        assertEquals(new BigDecimal("135.00"), order.commission);
    }

    @Test
    void commissionIsRoundedHalfUpToCentsPerLine() throws SQLException {
        rates(SUB, "", "0.05", "a", "0.0125", "b", "0.0333");
        order(SUB, "alice", "2026-07-15", "CNY", null, line(null, "0.10"), line("a", "10.10"), line("b", "33.33"));

        OrderCommissionDTO order = service.report(ALICE, FROM, TO, null).reps.get(0).orders.get(0);

        // 0.10 × 0.05 = 0.005 → 0.01 (half-even would give 0.00); 10.10 × 0.0125 = 0.12625 → 0.13;
        // 33.33 × 0.0333 = 1.109889 → 1.11
        assertEquals(List.of(new BigDecimal("0.01"), new BigDecimal("0.13"), new BigDecimal("1.11")),
                order.lines.stream().map(l -> l.commission).toList());
        assertEquals(new BigDecimal("1.25"), order.commission);
        assertEquals(new BigDecimal("0.01"), CommissionService.commission(new BigDecimal("0.10"), new BigDecimal("0.05")));
        assertEquals(new BigDecimal("-0.01"), CommissionService.commission(new BigDecimal("-0.10"), new BigDecimal("0.05")));
    }

    @Test
    void totalsArePerRepAndCurrency() throws SQLException {
        rates(SUB, "", "0.1");
        order(SUB, "alice", "2026-07-02", "USD", null, line(null, "100.00"));
        order(SUB, "alice", "2026-07-03", "CNY", null, line(null, "200.00"));
        order(SUB, "alice", "2026-07-04", "CNY", null, line(null, "50.05"));
        order(SUB, "alice", "2026-07-05", "CNY", null); // no lines: counted, earns nothing

        RepCommissionDTO alice = service.report(ALICE, FROM, TO, null).reps.get(0);

        assertEquals(4, alice.orders.size());
        assertEquals(new BigDecimal("0.00"), alice.orders.get(3).commission);
        assertEquals(List.of("CNY", "USD"), alice.totals.stream().map(t -> t.currency).toList());
        CurrencyTotalDTO cny = alice.totals.get(0);
        assertEquals(3, cny.orders);
        assertEquals(new BigDecimal("250.05"), cny.sales);
        assertEquals(new BigDecimal("25.01"), cny.commission); // 20.00 + 5.01 (5.005 half-up)
        CurrencyTotalDTO usd = alice.totals.get(1);
        assertEquals(1, usd.orders);
        assertEquals(new BigDecimal("10.00"), usd.commission);
    }

    // ---- who sees what

    @Test
    void aRepSeesOnlyTheirOwnCommission() throws SQLException {
        rates(SUB, "", "0.05");
        order(SUB, "alice", "2026-07-10", "CNY", null, line(null, "100.00"));
        order(SUB, "bob", "2026-07-11", "CNY", null, line(null, "200.00"));

        assertEquals(List.of("alice"), reps(service.report(ALICE, FROM, TO, null)));
        assertEquals(List.of("alice"), reps(service.report(ALICE, FROM, TO, "alice")));
        assertThrows(ForbiddenException.class, () -> service.report(ALICE, FROM, TO, "bob"));
        // a rep without orders gets an empty report of their own, not someone else's
        CommissionReportDTO carol = service.report(new CallerContext(13, "carol", SUB, Set.of(Roles.USER)), FROM, TO, null);
        assertEquals(List.of("carol"), reps(carol));
        assertTrue(carol.reps.get(0).orders.isEmpty());
        assertTrue(carol.reps.get(0).totals.isEmpty());
    }

    @Test
    void managersSeeEveryRepOrOne() throws SQLException {
        rates(SUB, "", "0.05");
        order(SUB, "bob", "2026-07-11", "CNY", null, line(null, "200.00"));
        order(SUB, "alice", "2026-07-10", "CNY", null, line(null, "100.00"));
        order("HK01", "hank", "2026-07-10", "CNY", null, line(null, "100.00"));

        assertEquals(List.of("alice", "bob"), reps(service.report(MANAGER, FROM, TO, null)));
        CommissionReportDTO bob = service.report(MANAGER, FROM, TO, "bob");
        assertEquals(List.of("bob"), reps(bob));
        assertEquals(new BigDecimal("10.00"), bob.reps.get(0).totals.get(0).commission);
        assertEquals(List.of("hank"), reps(service.report(MANAGER, FROM, TO, "hank")));
        assertTrue(service.report(MANAGER, FROM, TO, "hank").reps.get(0).orders.isEmpty(), "another subsidiary's orders");
    }

    @Test
    void financeSeesEveryRepsCommissionUnlessTheSubsidiaryTakesItsRightAway() throws SQLException {
        rates(SUB, "", "0.05");
        order(SUB, "bob", "2026-07-11", "CNY", null, line(null, "200.00"));
        order(SUB, "alice", "2026-07-10", "CNY", null, line(null, "100.00"));
        CallerContext finance = new CallerContext(14, "fiona", SUB, Set.of(Roles.FINANCE));

        // finance pays the commission: it sees every rep's, or one rep's, as managers do
        assertEquals(List.of("alice", "bob"), reps(service.report(finance, FROM, TO, null)));
        assertEquals(List.of("bob"), reps(service.report(finance, FROM, TO, "bob")));
        rights.adjust(SUB, PipelineModule.COMMISSION, Roles.FINANCE);
        assertEquals("missing_right", assertThrows(ForbiddenException.class,
                () -> service.report(finance, FROM, TO, null)).code());
    }

    // ---- the period

    @Test
    void thePeriodIncludesBothEnds() throws SQLException {
        rates(SUB, "", "0.05");
        order(SUB, "alice", "2026-06-30", "CNY", null, line(null, "1.00"));
        long first = order(SUB, "alice", "2026-07-01", "CNY", null, line(null, "2.00"));
        long last = order(SUB, "alice", "2026-09-30", "CNY", null, line(null, "3.00"));
        order(SUB, "alice", "2026-10-01", "CNY", null, line(null, "4.00"));

        List<OrderCommissionDTO> orders = service.report(ALICE, FROM, TO, null).reps.get(0).orders;

        assertEquals(List.of(first, last), orders.stream().map(o -> o.orderId).toList());
        // a one-day period
        assertEquals(List.of(last), service.report(ALICE, TO, TO, null).reps.get(0).orders.stream()
                .map(o -> o.orderId).toList());
    }

    @Test
    void aMissingOrInvertedPeriodIsRefusedNamingTheParameter() throws SQLException {
        rates(SUB, "", "0.05");
        assertEquals(Set.of("from", "to"), fields(() -> service.report(ALICE, null, null, null)));
        assertEquals(Set.of("to"), fields(() -> service.report(ALICE, TO, FROM, null)));
        assertEquals(Set.of("to"), fields(() -> service.report(ALICE, FROM, FROM.plusDays(366), null)));
        assertEquals(366, service.report(ALICE, FROM, FROM.plusDays(365), null).to.toEpochDay() - FROM.toEpochDay() + 1);
    }

    // ---- rates

    @Test
    void withoutADefaultRateTheReportIsAConflict() throws SQLException {
        order(SUB, "alice", "2026-07-10", "CNY", null, line("hardware", "100.00"));
        ConflictException none = assertThrows(ConflictException.class, () -> service.report(ALICE, FROM, TO, null));
        assertEquals("commission_rates_missing", none.code());
        assertTrue(none.getMessage().contains("default commission rate"), none.getMessage());

        rates(SUB, "hardware", "0.08");
        ConflictException noDefault = assertThrows(ConflictException.class, () -> service.report(MANAGER, FROM, TO, null));
        assertEquals("commission_rates_missing", noDefault.code());
    }

    @Test
    void managersReplaceTheRatesAndEveryoneReadsThem() {
        List<CommissionRateDTO> saved = service.replaceRates(MANAGER, List.of(rate("hardware", "0.08"),
                rate(null, "0.05000"), rate(" services ", "0.1")));
        assertEquals(List.of("default=0.05", "hardware=0.08", "services=0.1"), describe(saved));
        assertEquals(describe(saved), describe(service.rates(ALICE)));

        service.replaceRates(MANAGER, List.of(rate("", "0.04")));
        assertEquals(List.of("default=0.04"), describe(service.rates(BOB)));
        assertTrue(service.rates(new CallerContext(20, "hank", "HK01", Set.of(Roles.USER))).isEmpty(),
                "rates are the subsidiary's");
        assertEquals("missing_right", assertThrows(ForbiddenException.class,
                () -> service.replaceRates(ALICE, List.of(rate(null, "0.5")))).code());
        assertEquals(List.of("default=0.04"), describe(service.rates(BOB)));
    }

    @Test
    void eachChangeOfTheRatesIsOneAuditEntryWithTheRatesBeforeAndAfter() throws Exception {
        service.replaceRates(MANAGER, List.of(rate(null, "0.05"), rate("hardware", "0.08")));
        service.replaceRates(MANAGER, List.of(rate(null, "0.05000"), rate("hardware", "0.08")));
        assertThrows(ForbiddenException.class, () -> service.replaceRates(ALICE, List.of(rate(null, "0.5"))));
        assertThrows(ValidationException.class, () -> service.replaceRates(MANAGER, List.of(rate("x", "0.1"))));
        service.replaceRates(MANAGER, List.of(rate(null, "0.06"), rate("services", "0.1")));

        // the same rates again and the refused replacements left nothing
        assertEquals(List.of("pipeline.commission_rates " + SUB + " CONFIGURE mona [(default),hardware]",
                "pipeline.commission_rates " + SUB + " CONFIGURE mona [(default),hardware,services]"), TestAudit.trail());
        assertEquals(List.of("(default): null -> 0.05; hardware: null -> 0.08",
                "(default): 0.05 -> 0.06; hardware: 0.08 -> null; services: null -> 0.1"), TestAudit.diffs());
    }

    @Test
    void ratesAndTheReportFollowTheRightsNotThePositions() throws SQLException {
        CallerContext finance = new CallerContext(13, "fiona", SUB, Set.of(Roles.FINANCE));
        CallerContext assistant = new CallerContext(14, "sam", SUB, Set.of(Roles.SALES_ASSISTANT));
        CallerContext manager = new CallerContext(15, "max", SUB, Set.of(Roles.MANAGER));
        // finance sets the rates by default, as managers do
        service.replaceRates(finance, List.of(rate(null, "0.05")));
        assertEquals(List.of("default=0.05"), describe(service.rates(manager)));
        service.replaceRates(manager, List.of(rate(null, "0.06")));
        // an assistant holds nothing over commission: neither the rates nor the report, and changes nothing
        assertEquals("missing_right", assertThrows(ForbiddenException.class, () -> service.rates(assistant)).code());
        assertEquals("missing_right", assertThrows(ForbiddenException.class,
                () -> service.report(assistant, FROM, TO, null)).code());
        assertEquals("missing_right", assertThrows(ForbiddenException.class,
                () -> service.replaceRates(assistant, List.of(rate(null, "0.5")))).code());
        assertEquals(List.of("default=0.06"), describe(service.rates(ALICE)));
        // a subsidiary that takes MODIFY from finance: refused, the rates stay
        rights.adjust(SUB, PipelineModule.COMMISSION, Roles.FINANCE, Right.QUERY);
        assertEquals("missing_right", assertThrows(ForbiddenException.class,
                () -> service.replaceRates(finance, List.of(rate(null, "0.5")))).code());
        assertEquals(List.of("default=0.06"), describe(service.rates(finance)));
        // and one that takes QUERY from its reps: no report for them
        rights.adjust(SUB, PipelineModule.COMMISSION, Roles.USER);
        assertThrows(ForbiddenException.class, () -> service.report(ALICE, FROM, TO, null));
        assertEquals(SUB, service.report(manager, FROM, TO, null).subsidiary);
    }

    @Test
    void invalidRatesAreRefusedNamingEachField() {
        List<CommissionRateDTO> rates = new ArrayList<>(Arrays.asList(
                rate("hardware", "1.5"),
                rate("x".repeat(65), "0.1"),
                rate("HARDWARE ", "0.00001"),
                rate("a", null),
                null,
                rate("b", "-0.01"),
                rate("c\u0000", "0.1")));
        ValidationException e = assertThrows(ValidationException.class, () -> service.replaceRates(MANAGER, rates));
        assertEquals(Set.of("rates", "rates[0].rate", "rates[1].productLine", "rates[2].productLine", "rates[2].rate",
                "rates[3].rate", "rates[4]", "rates[5].rate", "rates[6].productLine"), fieldsOf(e));
        assertTrue(e.getMessage().contains("default rate is required"), e.getMessage());
        assertTrue(e.getMessage().contains("appears twice (also rates[0])"), e.getMessage());

        assertEquals(Set.of("rates[1].productLine"),
                fields(() -> service.replaceRates(MANAGER, List.of(rate(null, "0.05"), rate("", "0.06")))));
        assertEquals(Set.of("rates"), fields(() -> service.replaceRates(MANAGER, null)));
        assertEquals(Set.of("rates"), fields(() -> service.replaceRates(MANAGER, List.of())));
        // exactly 64 characters, 4 decimals, 0 and 1 are fine
        assertEquals(4, service.replaceRates(MANAGER, List.of(rate(null, "1"), rate("y".repeat(64), "0.1234"),
                rate("z", "0"), rate("w", "0.12340"))).size());
        assertTrue(service.rates(MANAGER).stream().anyMatch(r -> "y".repeat(64).equals(r.productLine)));
    }

    // ---- helpers

    private static void assertLine(LineCommissionDTO line, String productLine, String amount, String rate,
            boolean defaultRate, String commission) {
        assertEquals(productLine, line.productLine);
        assertEquals(new BigDecimal(amount), line.amount);
        assertEquals(0, new BigDecimal(rate).compareTo(line.rate), "rate " + line.rate);
        assertEquals(defaultRate, line.defaultRate);
        assertEquals(new BigDecimal(commission), line.commission);
        if (productLine == null) {
            assertNull(line.productLine);
        } else {
            assertFalse(line.productLine.isEmpty());
        }
    }

    private static List<String> reps(CommissionReportDTO report) {
        return report.reps.stream().map(r -> r.rep).toList();
    }

    private static List<String> describe(List<CommissionRateDTO> rates) {
        return rates.stream().map(r -> (r.productLine == null ? "default" : r.productLine) + "="
                + r.rate.toPlainString()).toList();
    }

    private static Set<String> fields(Runnable call) {
        return fieldsOf(assertThrows(ValidationException.class, call::run));
    }

    private static Set<String> fieldsOf(ValidationException e) {
        Set<String> fields = new TreeSet<>();
        e.fields().forEach(f -> fields.add(f.field()));
        return fields;
    }

    private static CommissionRateDTO rate(String productLine, String rate) {
        CommissionRateDTO r = new CommissionRateDTO();
        r.productLine = productLine;
        r.rate = rate == null ? null : new BigDecimal(rate);
        return r;
    }

    private record Line(String productLine, String amount) {
    }

    private static Line line(String productLine, String amount) {
        return new Line(productLine, amount);
    }

    /** Inserts rates: product line, rate, product line, rate... */
    private static void rates(String subsidiary, String... lineAndRate) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO pipeline_commission_rate (subsidiary, product_line, rate) VALUES (?, ?, ?)")) {
            for (int i = 0; i < lineAndRate.length; i += 2) {
                p.setString(1, subsidiary);
                p.setString(2, lineAndRate[i]);
                p.setBigDecimal(3, new BigDecimal(lineAndRate[i + 1]));
                p.executeUpdate();
            }
        }
    }

    private static long stage(String subsidiary) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO pipeline_stage (subsidiary, code, name, position, probability, outcome)"
                        + " VALUES (?, 'won', 'Won', 1, 100, 'WON') RETURNING id")) {
            p.setString(1, subsidiary);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long opportunity(String subsidiary, String owner, long stage, String status, String amount)
            throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "INSERT INTO pipeline_opportunity (subsidiary, customer_id, title, owner, amount, currency, stage_id,"
                        + " probability, status, stage_entered_at, last_activity_at, created_by, created_at, updated_at)"
                        + " VALUES (?, 1001, 'Deal', ?, ?, 'CNY', ?, 100, ?, now(), now(), ?, now(), now()) RETURNING id")) {
            p.setString(1, subsidiary);
            p.setString(2, owner);
            p.setBigDecimal(3, new BigDecimal(amount));
            p.setLong(4, stage);
            p.setString(5, status);
            p.setString(6, owner);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long order(String subsidiary, String rep, String date, String currency, Long opportunity,
            Line... lines) throws SQLException {
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        for (Line l : lines) {
            total = total.add(new BigDecimal(l.amount()));
        }
        try (Connection c = dataSource.getConnection()) {
            long id;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_order (subsidiary, customer_id, rep,"
                    + " opportunity_id, order_date, currency, total, entered_by, entered_at)"
                    + " VALUES (?, 1001, ?, ?, ?, ?, ?, ?, now()) RETURNING id")) {
                p.setString(1, subsidiary);
                p.setString(2, rep);
                p.setObject(3, opportunity);
                p.setDate(4, Date.valueOf(date));
                p.setString(5, currency);
                p.setBigDecimal(6, total);
                p.setString(7, rep);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_order_line (order_id, line_no,"
                    + " product_line, description, quantity, unit_price, amount) VALUES (?, ?, ?, 'item', 1, ?, ?)")) {
                int no = 1;
                for (Line l : lines) {
                    p.setLong(1, id);
                    p.setInt(2, no++);
                    p.setString(3, l.productLine());
                    p.setBigDecimal(4, new BigDecimal(l.amount()).abs());
                    p.setBigDecimal(5, new BigDecimal(l.amount()));
                    p.executeUpdate();
                }
            }
            return id;
        }
    }
}
