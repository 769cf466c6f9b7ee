package org.groupcrm.plugins.pipeline.internal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
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
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.customer.CustomerService;
import org.groupcrm.core.api.event.CrmEventProperties;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.RightsService;
import org.groupcrm.core.api.user.UserService;
import org.groupcrm.plugins.pipeline.internal.StageRepository.Stage;
import org.groupcrm.plugins.pipeline.internal.Stages.Outcome;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Opportunities: create, update, move through the subsidiary's stages (each move kept in the stage history), win
 * (optionally entering the order) or lose with a reason, archive; comments. Scoped to the caller's subsidiary; a rep
 * works on their own opportunities, managers on the subsidiary's ({@link Access}). Each operation requires its right
 * over {@link PipelineModule#OPPORTUNITY} first (see there), so a refused request reads and writes nothing. Events
 * after commit ({@link PipelineTopics}).
 */
@Component(service = OpportunityService.class)
public class OpportunityService {
    static final String COLUMNS = "o.id, o.customer_id, o.title, o.owner, o.amount, o.currency, o.expected_close,"
            + " s.code AS stage_code, o.probability, o.source, o.next_step, o.status, o.close_reason, o.closed_at,"
            + " o.stage_entered_at, o.last_activity_at, o.created_by, o.created_at, o.updated_at, o.version, o.archived";
    static final String FROM = " FROM pipeline_opportunity o JOIN pipeline_stage s ON s.id = o.stage_id";

    @Reference
    PipelineModule module;

    @Reference
    RightsService rights;

    @Reference
    CustomerService customers;

    @Reference
    UserService users;

    @Reference
    OrderService orders;

    public OpportunityDTO create(CallerContext caller, OpportunityDTO in) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.OPPORTUNITY, Right.ENTER);
        Checks checks = new Checks();
        if (in == null) {
            throw new ValidationException("body", "a JSON object is required");
        }
        serverKept(checks, in, true);
        checks.require(in.customerId != null, "customerId", "is required")
                .text("title", in.title, 200).amount("amount", in.amount, true).currency("currency", in.currency)
                .probability("probability", in.probability).optionalText("source", in.source, 100)
                .optionalText("nextStep", in.nextStep, 500).done();
        String owner = Access.rep(rights, users, caller, PipelineModule.OPPORTUNITY, in.owner, subsidiary, "owner");
        CustomerDTO customer = customers.get(caller, in.customerId); // 404 unless the subsidiary's
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return module.db().tx((c, events) -> {
            Stage stage = in.stage == null ? StageRepository.first(c, subsidiary, Outcome.OPEN)
                    : StageRepository.byCode(c, subsidiary, in.stage)
                            .orElseThrow(() -> StageRepository.unknownStage("stage", in.stage));
            if (stage.outcome() != Outcome.OPEN) {
                throw new ValidationException("stage", "a new opportunity starts in an OPEN stage; win or lose it afterwards");
            }
            int probability = in.probability != null ? in.probability : stage.probability();
            long id;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_opportunity (subsidiary, customer_id,"
                    + " title, owner, amount, currency, expected_close, stage_id, probability, source, next_step, status,"
                    + " stage_entered_at, last_activity_at, created_by, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?, ?, ?, ?, ?) RETURNING id")) {
                p.setString(1, subsidiary);
                p.setLong(2, customer.id);
                p.setString(3, in.title.strip());
                p.setString(4, owner);
                p.setBigDecimal(5, in.amount);
                p.setString(6, in.currency);
                p.setDate(7, in.expectedClose == null ? null : Date.valueOf(in.expectedClose));
                p.setLong(8, stage.id());
                p.setInt(9, probability);
                p.setString(10, blankToNull(in.source));
                p.setString(11, blankToNull(in.nextStep));
                p.setTimestamp(12, Rows.ts(now));
                p.setTimestamp(13, Rows.ts(now));
                p.setString(14, caller.login());
                p.setTimestamp(15, Rows.ts(now));
                p.setTimestamp(16, Rows.ts(now));
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            history(c, id, subsidiary, null, stage.id(), caller.login(), now);
            OpportunityDTO created = load(c, subsidiary, id);
            module.audit(c, caller, "opportunity", id, "CREATE", null, created);
            events.add(PipelineTopics.OPPORTUNITY_CREATED, event(caller, created, null));
            return created;
        });
    }

    public OpportunityDTO get(CallerContext caller, long id) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.OPPORTUNITY, Right.QUERY);
        return module.db().read((c, e) -> visible(caller, load(c, subsidiary, id)));
    }

    public Page<OpportunityDTO> list(CallerContext caller, String status, String stage, String owner, Long customer,
            boolean archived, PageRequest page) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.OPPORTUNITY, Right.QUERY);
        if (status != null && !List.of("OPEN", "WON", "LOST").contains(status)) {
            throw new ValidationException("status", "must be OPEN, WON or LOST");
        }
        if (owner != null && !Access.seesSubsidiary(caller) && !owner.equals(caller.login())) {
            throw new ForbiddenException("a rep sees only their own opportunities");
        }
        String scopeOwner = owner != null ? owner : Access.seesSubsidiary(caller) ? null : caller.login();
        StringBuilder where = new StringBuilder(" WHERE o.subsidiary = ? AND o.archived = ?");
        List<Object> params = new ArrayList<>(List.of(subsidiary, archived));
        if (scopeOwner != null) {
            where.append(" AND o.owner = ?");
            params.add(scopeOwner);
        }
        if (status != null) {
            where.append(" AND o.status = ?");
            params.add(status);
        }
        if (stage != null) {
            where.append(" AND s.code = ?");
            params.add(stage);
        }
        if (customer != null) {
            where.append(" AND o.customer_id = ?");
            params.add(customer);
        }
        return module.db().read((c, e) -> {
            long total = Rows.count(c, "SELECT count(*)" + FROM + where, params);
            List<Object> paged = new ArrayList<>(params);
            paged.add(page.size());
            paged.add(page.offset());
            List<OpportunityDTO> items = Rows.list(c, "SELECT " + COLUMNS + FROM + where
                    + " ORDER BY o.created_at DESC, o.id DESC LIMIT ? OFFSET ?", paged, OpportunityService::map);
            return new Page<>(items, total, page.page(), page.size());
        });
    }

    public OpportunityDTO update(CallerContext caller, long id, OpportunityDTO in) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.OPPORTUNITY, Right.MODIFY);
        if (in == null) {
            throw new ValidationException("body", "a JSON object is required");
        }
        Checks checks = new Checks();
        serverKept(checks, in, false);
        checks.require(in.version != null, "version", "is required: send the version you read")
                .require(in.customerId == null, "customerId", "cannot be changed")
                .require(in.stage == null, "stage", "is changed with POST /opportunities/{id}/stage, /win or /lose")
                .text("title", in.title, 200).amount("amount", in.amount, true).currency("currency", in.currency)
                .probability("probability", in.probability).optionalText("source", in.source, 100)
                .optionalText("nextStep", in.nextStep, 500).done();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return module.db().tx((c, events) -> {
            OpportunityDTO current = visible(caller, load(c, subsidiary, id));
            String owner = in.owner == null || in.owner.equals(current.owner) ? current.owner
                    : Access.rep(rights, users, caller, PipelineModule.OPPORTUNITY, in.owner, subsidiary, "owner");
            try (PreparedStatement p = c.prepareStatement("UPDATE pipeline_opportunity SET title = ?, owner = ?,"
                    + " amount = ?, currency = ?, expected_close = ?, probability = ?, source = ?, next_step = ?,"
                    + " last_activity_at = ?, updated_at = ?, version = version + 1"
                    + " WHERE id = ? AND subsidiary = ? AND version = ?")) {
                p.setString(1, in.title.strip());
                p.setString(2, owner);
                p.setBigDecimal(3, in.amount);
                p.setString(4, in.currency);
                p.setDate(5, in.expectedClose == null ? null : Date.valueOf(in.expectedClose));
                p.setInt(6, in.probability != null ? in.probability : current.probability);
                p.setString(7, blankToNull(in.source));
                p.setString(8, blankToNull(in.nextStep));
                p.setTimestamp(9, Rows.ts(now));
                p.setTimestamp(10, Rows.ts(now));
                p.setLong(11, id);
                p.setString(12, subsidiary);
                p.setLong(13, in.version);
                if (p.executeUpdate() == 0) {
                    throw stale(id, current.version);
                }
            }
            OpportunityDTO updated = load(c, subsidiary, id);
            module.audit(c, caller, "opportunity", id, "UPDATE", current, updated);
            return updated;
        });
    }

    /** Moves an OPEN opportunity to another OPEN stage. */
    public OpportunityDTO move(CallerContext caller, long id, MoveDTO in) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.OPPORTUNITY, Right.MODIFY);
        if (in == null) {
            throw new ValidationException("body", "a JSON object is required");
        }
        new Checks().require(in.stage != null && !in.stage.isBlank(), "stage", "is required")
                .probability("probability", in.probability).require(in.order == null, "order", "only a win enters an order")
                .require(in.reason == null, "reason", "only a win or a loss has a reason").done();
        return transition(caller, id, in, (c, current) -> {
            Stage target = StageRepository.byCode(c, subsidiary, in.stage)
                    .orElseThrow(() -> StageRepository.unknownStage("stage", in.stage));
            if (target.outcome() != Outcome.OPEN) {
                throw new ValidationException("stage", "use POST /opportunities/{id}/" + (target.outcome() == Outcome.WON
                        ? "win" : "lose") + " to close an opportunity");
            }
            if (target.code().equals(current.stage)) {
                throw new ConflictException("same_stage", "the opportunity is in stage " + target.code() + " already");
            }
            return new Transition(target, in.probability != null ? in.probability : target.probability(), "OPEN", null,
                    PipelineTopics.OPPORTUNITY_STAGE_CHANGED);
        });
    }

    /** Wins an OPEN opportunity; with {@code order}, enters the order for it in the same transaction. */
    public OpportunityDTO win(CallerContext caller, long id, MoveDTO in) {
        caller.requireSubsidiary();
        rights.require(caller, PipelineModule.OPPORTUNITY, Right.MODIFY);
        MoveDTO body = in == null ? new MoveDTO() : in;
        if (body.order != null) {
            rights.require(caller, PipelineModule.ORDER, Right.ENTER);
        }
        new Checks().require(body.stage == null, "stage", "a win moves to the WON stage")
                .require(body.probability == null, "probability", "a won opportunity has probability 100")
                .optionalText("reason", body.reason, 500).done();
        return transition(caller, id, body, (c, current) -> new Transition(
                StageRepository.first(c, caller.requireSubsidiary(), Outcome.WON), 100, "WON", blankToNull(body.reason),
                PipelineTopics.OPPORTUNITY_WON));
    }

    /** Loses an OPEN opportunity; the reason is required. */
    public OpportunityDTO lose(CallerContext caller, long id, MoveDTO in) {
        caller.requireSubsidiary();
        rights.require(caller, PipelineModule.OPPORTUNITY, Right.MODIFY);
        MoveDTO body = in == null ? new MoveDTO() : in;
        new Checks().text("reason", body.reason, 500).require(body.stage == null, "stage", "a loss moves to the LOST stage")
                .require(body.probability == null, "probability", "a lost opportunity has probability 0")
                .require(body.order == null, "order", "only a win enters an order").done();
        return transition(caller, id, body, (c, current) -> new Transition(
                StageRepository.first(c, caller.requireSubsidiary(), Outcome.LOST), 0, "LOST", body.reason.strip(),
                PipelineTopics.OPPORTUNITY_LOST));
    }

    /** Archives an opportunity (kept for history and analysis of the past, hidden from lists). */
    public void archive(CallerContext caller, long id) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.OPPORTUNITY, Right.MODIFY);
        module.db().tx((c, events) -> {
            OpportunityDTO current = visible(caller, load(c, subsidiary, id));
            try (PreparedStatement p = c.prepareStatement("UPDATE pipeline_opportunity SET archived = TRUE,"
                    + " updated_at = now(), version = version + 1 WHERE id = ? AND subsidiary = ?")) {
                p.setLong(1, id);
                p.setString(2, subsidiary);
                p.executeUpdate();
            }
            module.audit(c, caller, "opportunity", id, "ARCHIVE", current, load(c, subsidiary, id));
            return null;
        });
    }

    public List<StageChangeDTO> history(CallerContext caller, long id) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.OPPORTUNITY, Right.QUERY);
        return module.db().read((c, e) -> {
            visible(caller, load(c, subsidiary, id));
            return Rows.list(c, "SELECT f.code AS from_code, t.code AS to_code, h.changed_by, h.changed_at"
                    + " FROM pipeline_stage_history h LEFT JOIN pipeline_stage f ON f.id = h.from_stage_id"
                    + " JOIN pipeline_stage t ON t.id = h.to_stage_id WHERE h.opportunity_id = ? AND h.subsidiary = ?"
                    + " ORDER BY h.changed_at, h.id", List.of(id, subsidiary), rs -> {
                        StageChangeDTO d = new StageChangeDTO();
                        d.fromStage = rs.getString("from_code");
                        d.toStage = rs.getString("to_code");
                        d.changedBy = rs.getString("changed_by");
                        d.changedAt = Rows.instant(rs, "changed_at");
                        return d;
                    });
        });
    }

    /** Adds a comment; it counts as activity on the opportunity (ends a stall), so it needs the MODIFY right. */
    public CommentDTO comment(CallerContext caller, long id, CommentDTO in) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.OPPORTUNITY, Right.MODIFY);
        new Checks().require(in != null, "body", "a JSON object is required").done();
        new Checks().text("text", in.text, 4000).require(in.id == null, "id", "is kept by the server")
                .require(in.author == null, "author", "is kept by the server")
                .require(in.createdAt == null, "createdAt", "is kept by the server").done();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return module.db().tx((c, events) -> {
            visible(caller, load(c, subsidiary, id));
            CommentDTO d = new CommentDTO();
            try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_comment (opportunity_id, subsidiary,"
                    + " author, text, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
                p.setLong(1, id);
                p.setString(2, subsidiary);
                p.setString(3, caller.login());
                p.setString(4, in.text.strip());
                p.setTimestamp(5, Rows.ts(now));
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    d.id = rs.getLong(1);
                }
            }
            touch(c, id, now);
            d.text = in.text.strip();
            d.author = caller.login();
            d.createdAt = now;
            module.audit(c, caller, "comment", d.id, "CREATE", null,
                    Map.of("opportunity", id, "author", d.author, "text", d.text));
            return d;
        });
    }

    public List<CommentDTO> comments(CallerContext caller, long id) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.OPPORTUNITY, Right.QUERY);
        return module.db().read((c, e) -> {
            visible(caller, load(c, subsidiary, id));
            return Rows.list(c, "SELECT id, text, author, created_at FROM pipeline_comment WHERE opportunity_id = ?"
                    + " AND subsidiary = ? ORDER BY created_at, id", List.of(id, subsidiary), rs -> {
                        CommentDTO d = new CommentDTO();
                        d.id = rs.getLong("id");
                        d.text = rs.getString("text");
                        d.author = rs.getString("author");
                        d.createdAt = Rows.instant(rs, "created_at");
                        return d;
                    });
        });
    }

    /** What a stage transition does. */
    private record Transition(Stage target, int probability, String status, String reason, String topic) {
    }

    @FunctionalInterface
    private interface TransitionRule {
        Transition decide(Connection c, OpportunityDTO current) throws SQLException;
    }

    private OpportunityDTO transition(CallerContext caller, long id, MoveDTO in, TransitionRule rule) {
        String subsidiary = caller.requireSubsidiary();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        return module.db().tx((c, events) -> {
            OpportunityDTO current = visible(caller, loadForUpdate(c, subsidiary, id));
            if (in.version != null && !in.version.equals(current.version)) {
                throw stale(id, current.version);
            }
            if (!"OPEN".equals(current.status)) {
                throw new ConflictException("opportunity_closed", "opportunity " + id + " is " + current.status
                        + " already");
            }
            Transition t = rule.decide(c, current);
            long fromStage = stageIdOf(c, id);
            boolean closing = !"OPEN".equals(t.status());
            try (PreparedStatement p = c.prepareStatement("UPDATE pipeline_opportunity SET stage_id = ?, probability = ?,"
                    + " status = ?, close_reason = ?, closed_at = ?, stage_entered_at = ?, last_activity_at = ?,"
                    + " updated_at = ?, version = version + 1 WHERE id = ?")) {
                p.setLong(1, t.target().id());
                p.setInt(2, t.probability());
                p.setString(3, t.status());
                p.setString(4, t.reason());
                p.setTimestamp(5, closing ? Rows.ts(now) : null);
                p.setTimestamp(6, Rows.ts(now));
                p.setTimestamp(7, Rows.ts(now));
                p.setTimestamp(8, Rows.ts(now));
                p.setLong(9, id);
                p.executeUpdate();
            }
            history(c, id, subsidiary, fromStage, t.target().id(), caller.login(), now);
            OpportunityDTO after = load(c, subsidiary, id);
            module.audit(c, caller, "opportunity", id, "WON".equals(t.status()) ? "WIN"
                    : "LOST".equals(t.status()) ? "LOSE" : "STAGE", current, after);
            Map<String, Object> props = event(caller, after, current.stage);
            events.add(t.topic(), props);
            if ("WON".equals(t.status()) && in.order != null) {
                OrderDTO order = in.order;
                if (order.customerId != null && !order.customerId.equals(after.customerId)) {
                    throw new ValidationException("order.customerId", "must be the opportunity's customer");
                }
                if (order.opportunityId != null && order.opportunityId != id) {
                    throw new ValidationException("order.opportunityId", "must be this opportunity");
                }
                order.customerId = after.customerId;
                order.opportunityId = id;
                if (order.rep == null) {
                    order.rep = after.owner;
                }
                if (order.currency == null) {
                    order.currency = after.currency;
                }
                orders.insert(c, events, caller, subsidiary, order, "order.");
            }
            return after;
        });
    }

    private static long stageIdOf(Connection c, long id) {
        try (PreparedStatement p = c.prepareStatement("SELECT stage_id FROM pipeline_opportunity WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw Db.translate(e);
        }
    }

    private static void serverKept(Checks checks, OpportunityDTO in, boolean create) {
        if (create && in.version != null) {
            checks.fail("version", "is kept by the server");
        }
        Object[][] kept = {{"id", in.id}, {"status", in.status}, {"closeReason", in.closeReason},
                {"closedAt", in.closedAt}, {"stageEnteredAt", in.stageEnteredAt}, {"lastActivityAt", in.lastActivityAt},
                {"createdBy", in.createdBy}, {"createdAt", in.createdAt}, {"updatedAt", in.updatedAt},
                {"archived", in.archived}};
        for (Object[] k : kept) {
            if (k[1] != null) {
                checks.fail((String) k[0], "is kept by the server");
            }
        }
    }

    static OpportunityDTO visible(CallerContext caller, OpportunityDTO o) {
        if (!Access.mayAccess(caller, o.owner)) {
            // another rep's opportunity is reported like one of another subsidiary: not found
            throw new NotFoundException("opportunity", o.id);
        }
        return o;
    }

    static OpportunityDTO load(Connection c, String subsidiary, long id) throws SQLException {
        List<OpportunityDTO> found = Rows.list(c, "SELECT " + COLUMNS + FROM + " WHERE o.id = ? AND o.subsidiary = ?",
                List.of(id, subsidiary), OpportunityService::map);
        if (found.isEmpty()) {
            throw new NotFoundException("opportunity", id);
        }
        return found.get(0);
    }

    private static OpportunityDTO loadForUpdate(Connection c, String subsidiary, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM pipeline_opportunity WHERE id = ? AND subsidiary = ?"
                + " FOR UPDATE")) {
            p.setLong(1, id);
            p.setString(2, subsidiary);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("opportunity", id);
                }
            }
        }
        return load(c, subsidiary, id);
    }

    static OpportunityDTO map(ResultSet rs) throws SQLException {
        OpportunityDTO d = new OpportunityDTO();
        d.id = rs.getLong("id");
        d.customerId = rs.getLong("customer_id");
        d.title = rs.getString("title");
        d.owner = rs.getString("owner");
        d.amount = rs.getBigDecimal("amount");
        d.currency = rs.getString("currency");
        Date close = rs.getDate("expected_close");
        d.expectedClose = close == null ? null : close.toLocalDate();
        d.stage = rs.getString("stage_code");
        d.probability = rs.getInt("probability");
        d.source = rs.getString("source");
        d.nextStep = rs.getString("next_step");
        d.status = rs.getString("status");
        d.closeReason = rs.getString("close_reason");
        d.closedAt = Rows.instant(rs, "closed_at");
        d.stageEnteredAt = Rows.instant(rs, "stage_entered_at");
        d.lastActivityAt = Rows.instant(rs, "last_activity_at");
        d.createdBy = rs.getString("created_by");
        d.createdAt = Rows.instant(rs, "created_at");
        d.updatedAt = Rows.instant(rs, "updated_at");
        d.version = rs.getLong("version");
        d.archived = rs.getBoolean("archived");
        return d;
    }

    private static void history(Connection c, long id, String subsidiary, Long from, long to, String login, Instant at)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_stage_history (opportunity_id, subsidiary,"
                + " from_stage_id, to_stage_id, changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setLong(1, id);
            p.setString(2, subsidiary);
            p.setObject(3, from);
            p.setLong(4, to);
            p.setString(5, login);
            p.setTimestamp(6, Rows.ts(at));
            p.executeUpdate();
        }
    }

    private static void touch(Connection c, long id, Instant now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE pipeline_opportunity SET last_activity_at = ? WHERE id = ?")) {
            p.setTimestamp(1, Rows.ts(now));
            p.setLong(2, id);
            p.executeUpdate();
        }
    }

    private static Map<String, Object> event(CallerContext caller, OpportunityDTO o, String fromStage) {
        Map<String, Object> p = new HashMap<>();
        p.put(CrmEventProperties.SUBSIDIARY, caller.subsidiary());
        p.put(CrmEventProperties.ACTOR, caller.login());
        p.put(CrmEventProperties.ENTITY, "opportunity");
        p.put(CrmEventProperties.ID, o.id);
        p.put(CrmEventProperties.CUSTOMER_ID, o.customerId);
        p.put(CrmEventProperties.OWNER, o.owner);
        p.put(CrmEventProperties.TIMESTAMP, o.updatedAt.toEpochMilli());
        p.put("amount", o.amount.toPlainString());
        p.put("currency", o.currency);
        p.put("status", o.status);
        p.put("toStage", o.stage);
        if (fromStage != null) {
            p.put("fromStage", fromStage);
        }
        return p;
    }

    private static ConflictException stale(long id, long current) {
        return ConflictException.staleVersion("opportunity", id, current);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

}
