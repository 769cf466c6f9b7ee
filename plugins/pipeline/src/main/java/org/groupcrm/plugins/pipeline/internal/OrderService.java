package org.groupcrm.plugins.pipeline.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.PageRequest;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.customer.CustomerService;
import org.groupcrm.core.api.event.CrmEventProperties;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.RightsService;
import org.groupcrm.core.api.user.UserService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Sales orders entered in the CRM — the only basis of commission. An order belongs to a customer of the caller's
 * subsidiary and a rep, optionally to one opportunity (at most one order each); its total is the sum of its lines.
 * Entering one needs the ENTER right over {@link PipelineModule#ORDER} (and REVIEW for another rep's), reading QUERY.
 */
@Component(service = OrderService.class)
public class OrderService {
    static final int MAX_LINES = 200;

    @Reference
    PipelineModule module;

    @Reference
    RightsService rights;

    @Reference
    CustomerService customers;

    @Reference
    UserService users;

    public OrderDTO create(CallerContext caller, OrderDTO in) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.ORDER, Right.ENTER);
        if (in == null) {
            throw new ValidationException("body", "a JSON object is required");
        }
        return module.db().tx((c, events) -> {
            if (in.opportunityId != null) {
                OpportunityDTO o = OpportunityService.visible(caller, OpportunityService.load(c, subsidiary, in.opportunityId));
                if (in.customerId != null && !in.customerId.equals(o.customerId)) {
                    throw new ValidationException("customerId", "must be the customer of opportunity " + o.id);
                }
                if (in.rep == null) {
                    in.rep = o.owner;
                }
            }
            return insert(c, events, caller, subsidiary, in, "");
        });
    }

    /**
     * Validates and inserts an order within the caller's transaction; posts {@code order/ENTERED} after commit. The
     * caller has checked the ENTER right; this checks REVIEW when the order is another rep's.
     *
     * @param field prefix of field names in errors (e.g. {@code order.} when nested in a win)
     */
    OrderDTO insert(Connection c, Db.Events events, CallerContext caller, String subsidiary, OrderDTO in, String field)
            throws SQLException {
        Checks checks = new Checks();
        checks.require(in.customerId != null, field + "customerId", "is required").currency(field + "currency", in.currency)
                .require(in.id == null, field + "id", "is kept by the server")
                .require(in.total == null, field + "total", "is the sum of the lines, kept by the server")
                .require(in.enteredBy == null, field + "enteredBy", "is kept by the server")
                .require(in.enteredAt == null, field + "enteredAt", "is kept by the server");
        if (in.lines == null || in.lines.isEmpty()) {
            checks.fail(field + "lines", "at least one line is required");
        } else if (in.lines.size() > MAX_LINES) {
            checks.fail(field + "lines", "at most " + MAX_LINES + " lines");
        } else {
            for (int i = 0; i < in.lines.size(); i++) {
                OrderDTO.OrderLineDTO l = in.lines.get(i);
                String at = field + "lines[" + i + "].";
                if (l == null) {
                    checks.fail(field + "lines[" + i + "]", "must be a line");
                    continue;
                }
                checks.text(at + "description", l.description, 200).optionalText(at + "productLine", l.productLine, 64)
                        .amount(at + "unitPrice", l.unitPrice, true)
                        .require(l.amount == null, at + "amount", "is quantity × unit price, kept by the server");
                if (l.quantity == null || l.quantity.signum() <= 0 || l.quantity.scale() > 3) {
                    checks.fail(at + "quantity", "must be greater than 0, with at most 3 decimals");
                }
            }
        }
        checks.done();
        String rep = Access.rep(rights, users, caller, PipelineModule.ORDER, in.rep, subsidiary, field + "rep");
        customers.get(caller, in.customerId); // 404 unless the subsidiary's
        LocalDate date = in.orderDate != null ? in.orderDate : LocalDate.now();
        BigDecimal total = BigDecimal.ZERO;
        List<BigDecimal> amounts = new ArrayList<>();
        for (OrderDTO.OrderLineDTO l : in.lines) {
            BigDecimal amount = l.quantity.multiply(l.unitPrice).setScale(2, RoundingMode.HALF_UP);
            amounts.add(amount);
            total = total.add(amount);
        }
        if (total.precision() - total.scale() > 16) {
            throw new ValidationException(field + "lines", "the total is too large");
        }
        if (in.opportunityId != null && Rows.count(c, "SELECT count(*) FROM pipeline_order WHERE opportunity_id = ?",
                List.of(in.opportunityId)) > 0) {
            throw new ConflictException("order_exists", "opportunity " + in.opportunityId + " has an order already");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        long id;
        try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_order (subsidiary, customer_id, rep,"
                + " opportunity_id, order_date, currency, total, entered_by, entered_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " RETURNING id")) {
            p.setString(1, subsidiary);
            p.setLong(2, in.customerId);
            p.setString(3, rep);
            p.setObject(4, in.opportunityId);
            p.setDate(5, Date.valueOf(date));
            p.setString(6, in.currency);
            p.setBigDecimal(7, total);
            p.setString(8, caller.login());
            p.setTimestamp(9, Rows.ts(now));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_order_line (order_id, line_no, product_line,"
                + " description, quantity, unit_price, amount) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < in.lines.size(); i++) {
                OrderDTO.OrderLineDTO l = in.lines.get(i);
                p.setLong(1, id);
                p.setInt(2, i + 1);
                p.setString(3, l.productLine == null || l.productLine.isBlank() ? null : l.productLine.strip());
                p.setString(4, l.description.strip());
                p.setBigDecimal(5, l.quantity);
                p.setBigDecimal(6, l.unitPrice);
                p.setBigDecimal(7, amounts.get(i));
                p.addBatch();
            }
            p.executeBatch();
        }
        OrderDTO created = load(c, subsidiary, id);
        module.audit(c, caller, "order", id, "CREATE", null, created);
        Map<String, Object> props = new HashMap<>();
        props.put(CrmEventProperties.SUBSIDIARY, subsidiary);
        props.put(CrmEventProperties.ACTOR, caller.login());
        props.put(CrmEventProperties.ENTITY, "order");
        props.put(CrmEventProperties.ID, id);
        props.put(CrmEventProperties.CUSTOMER_ID, created.customerId);
        props.put(CrmEventProperties.OWNER, rep);
        props.put(CrmEventProperties.TIMESTAMP, now.toEpochMilli());
        props.put("rep", rep);
        props.put("amount", total.toPlainString());
        props.put("currency", in.currency);
        if (in.opportunityId != null) {
            props.put("opportunityId", in.opportunityId);
        }
        events.add(PipelineTopics.ORDER_ENTERED, props);
        return created;
    }

    public OrderDTO get(CallerContext caller, long id) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.ORDER, Right.QUERY);
        return module.db().read((c, e) -> {
            OrderDTO o = load(c, subsidiary, id);
            if (!Access.mayAccess(caller, o.rep)) {
                throw new NotFoundException("order", id);
            }
            return o;
        });
    }

    public Page<OrderDTO> list(CallerContext caller, String rep, Long customer, LocalDate from, LocalDate to,
            PageRequest page) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.ORDER, Right.QUERY);
        if (rep != null && !Access.seesSubsidiary(caller) && !rep.equals(caller.login())) {
            throw new ForbiddenException("a rep sees only their own orders");
        }
        String scopeRep = rep != null ? rep : Access.seesSubsidiary(caller) ? null : caller.login();
        StringBuilder where = new StringBuilder(" WHERE subsidiary = ?");
        List<Object> params = new ArrayList<>(List.of(subsidiary));
        if (scopeRep != null) {
            where.append(" AND rep = ?");
            params.add(scopeRep);
        }
        if (customer != null) {
            where.append(" AND customer_id = ?");
            params.add(customer);
        }
        if (from != null) {
            where.append(" AND order_date >= ?");
            params.add(Date.valueOf(from));
        }
        if (to != null) {
            where.append(" AND order_date <= ?");
            params.add(Date.valueOf(to));
        }
        return module.db().read((c, e) -> {
            long total = Rows.count(c, "SELECT count(*) FROM pipeline_order" + where, params);
            List<Object> paged = new ArrayList<>(params);
            paged.add(page.size());
            paged.add(page.offset());
            List<Long> ids = Rows.list(c, "SELECT id FROM pipeline_order" + where
                    + " ORDER BY order_date DESC, id DESC LIMIT ? OFFSET ?", paged, rs -> rs.getLong(1));
            List<OrderDTO> items = new ArrayList<>();
            for (long id : ids) {
                items.add(load(c, subsidiary, id));
            }
            return new Page<>(items, total, page.page(), page.size());
        });
    }

    static OrderDTO load(Connection c, String subsidiary, long id) throws SQLException {
        List<OrderDTO> found = Rows.list(c, "SELECT id, customer_id, rep, opportunity_id, order_date, currency, total,"
                + " entered_by, entered_at FROM pipeline_order WHERE id = ? AND subsidiary = ?", List.of(id, subsidiary),
                rs -> {
                    OrderDTO d = new OrderDTO();
                    d.id = rs.getLong("id");
                    d.customerId = rs.getLong("customer_id");
                    d.rep = rs.getString("rep");
                    long opp = rs.getLong("opportunity_id");
                    d.opportunityId = rs.wasNull() ? null : opp;
                    d.orderDate = rs.getDate("order_date").toLocalDate();
                    d.currency = rs.getString("currency");
                    d.total = rs.getBigDecimal("total");
                    d.enteredBy = rs.getString("entered_by");
                    d.enteredAt = Rows.instant(rs, "entered_at");
                    return d;
                });
        if (found.isEmpty()) {
            throw new NotFoundException("order", id);
        }
        OrderDTO order = found.get(0);
        order.lines = Rows.list(c, "SELECT product_line, description, quantity, unit_price, amount FROM pipeline_order_line"
                + " WHERE order_id = ? ORDER BY line_no", List.of(id), rs -> {
                    OrderDTO.OrderLineDTO l = new OrderDTO.OrderLineDTO();
                    l.productLine = rs.getString(1);
                    l.description = rs.getString(2);
                    l.quantity = rs.getBigDecimal(3);
                    l.unitPrice = rs.getBigDecimal(4);
                    l.amount = rs.getBigDecimal(5);
                    return l;
                });
        return order;
    }
}
