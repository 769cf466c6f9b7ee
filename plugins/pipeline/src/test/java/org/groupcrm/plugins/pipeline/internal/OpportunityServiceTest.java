package org.groupcrm.plugins.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.PageRequest;
import org.groupcrm.core.api.ValidationException;
import org.groupcrm.core.api.ValidationException.FieldError;
import org.groupcrm.core.api.customer.CustomerDTO;
import org.groupcrm.core.api.customer.CustomerService;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.api.user.UserDTO;
import org.groupcrm.core.api.user.UserService;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** Opportunities and orders on a real PostgreSQL: stages, wins with orders, losses, visibility, locking, events. */
class OpportunityServiceTest {
    private static final CallerContext RITA = new CallerContext(2, "rita", "S1", Set.of(Roles.USER));
    private static final CallerContext RAY = new CallerContext(3, "ray", "S1", Set.of(Roles.USER));
    private static final CallerContext MONA = new CallerContext(1, "mona", "S1", Set.of(Roles.SUBSIDIARY_ADMIN));
    private static final CallerContext OTTO = new CallerContext(4, "otto", "S2", Set.of(Roles.SUBSIDIARY_ADMIN));
    private static final List<Event> EVENTS = new ArrayList<>();
    private static final CallerContext FIONA = new CallerContext(5, "fiona", "S1", Set.of(Roles.FINANCE));
    private static final CallerContext SAM = new CallerContext(6, "sam", "S1", Set.of(Roles.SALES_ASSISTANT));
    private static Db db;
    private ModuleRights rights;
    private OpportunityService opportunities;

    @BeforeAll
    static void database() throws Exception {
        EventAdmin events = (EventAdmin) Proxy.newProxyInstance(EventAdmin.class.getClassLoader(),
                new Class<?>[] {EventAdmin.class}, (proxy, method, args) -> {
                    EVENTS.add((Event) args[0]);
                    return null;
                });
        db = new Db(TestDatabase.dataSource(), events);
    }

    @BeforeEach
    void setUp() throws Exception {
        TestDatabase.truncate();
        EVENTS.clear();
        StageRepository.seedReference(db, "S1");
        StageRepository.seedReference(db, "S2");
        PipelineModule module = TestAudit.moduleWith(db);
        CustomerService customers = (CustomerService) Proxy.newProxyInstance(CustomerService.class.getClassLoader(),
                new Class<?>[] {CustomerService.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("get")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    CallerContext caller = (CallerContext) args[0];
                    long id = (Long) args[1];
                    // customers 1..9 belong to S1, 10.. to S2
                    if ((id < 10) != "S1".equals(caller.subsidiary())) {
                        throw new NotFoundException("customer", id);
                    }
                    CustomerDTO c = new CustomerDTO();
                    c.id = id;
                    c.subsidiary = caller.subsidiary();
                    return c;
                });
        UserService users = (UserService) Proxy.newProxyInstance(UserService.class.getClassLoader(),
                new Class<?>[] {UserService.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("findByLogin")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Map<String, String> homes = Map.of("rita", "S1", "ray", "S1", "mona", "S1", "otto", "S2");
                    String home = homes.get((String) args[0]);
                    if (home == null) {
                        return Optional.empty();
                    }
                    UserDTO u = new UserDTO();
                    u.login = (String) args[0];
                    u.homeSubsidiary = home;
                    u.enabled = true;
                    return Optional.of(u);
                });
        rights = new ModuleRights();
        OrderService orders = new OrderService();
        orders.module = module;
        orders.rights = rights;
        orders.customers = customers;
        orders.users = users;
        opportunities = new OpportunityService();
        opportunities.module = module;
        opportunities.rights = rights;
        opportunities.customers = customers;
        opportunities.users = users;
        opportunities.orders = orders;
    }

    @Test
    void everyWriteLeavesOneAuditEntryInItsOwnTransaction() throws Exception {
        OpportunityDTO o = create(RITA, 1, "500.00");
        opportunities.move(RITA, o.id, to("qualified"));
        MoveDTO win = new MoveDTO();
        win.order = new OrderDTO();
        OrderDTO.OrderLineDTO line = new OrderDTO.OrderLineDTO();
        line.description = "Pallet";
        line.quantity = new BigDecimal("1");
        line.unitPrice = new BigDecimal("1.005"); // refused inside the win: the whole win rolls back, its entry too
        win.order.lines = List.of(line);
        assertThrows(ValidationException.class, () -> opportunities.win(RITA, o.id, win));
        line.unitPrice = new BigDecimal("500.00");
        opportunities.win(RITA, o.id, win);
        long order = opportunities.orders.list(RITA, null, null, null, null, PageRequest.of(null, null)).items().get(0).id;
        List<String> trail = TestAudit.trail();
        assertEquals(4, trail.size(), trail.toString());
        assertTrue(trail.get(0).startsWith("pipeline.opportunity " + o.id + " CREATE rita ["), trail.get(0));
        assertTrue(trail.get(0).contains("amount") && trail.get(0).contains("title"), trail.get(0));
        assertEquals("pipeline.opportunity " + o.id + " STAGE rita [probability,stage]", trail.get(1));
        assertEquals("pipeline.opportunity " + o.id + " WIN rita [closedAt,probability,stage,status]", trail.get(2));
        assertTrue(trail.get(3).startsWith("pipeline.order " + order + " CREATE rita ["), trail.get(3));
    }

    /** @return the rows of every table a refused request might have written, and the audit entries and events */
    private static Map<String, Long> written() throws Exception {
        Map<String, Long> counts = new java.util.TreeMap<>();
        try (Connection c = TestDatabase.dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String table : List.of("pipeline_opportunity", "pipeline_stage_history", "pipeline_comment",
                    "pipeline_order", "pipeline_order_line", "test_audit")) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT coalesce(sum(version), 0) FROM pipeline_opportunity")) {
                rs.next();
                counts.put("versions", rs.getLong(1));
            }
        }
        counts.put("events", (long) EVENTS.size());
        return counts;
    }

    private static String missingRight(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(ForbiddenException.class, call).code();
    }

    @Test
    void aPositionWithoutTheRightIsRefusedAndNothingIsWritten() throws Exception {
        OpportunityDTO ritas = create(RITA, 1, "100");
        Map<String, Long> before = written();
        // finance holds no right over opportunities or orders by default
        assertEquals("missing_right", missingRight(() -> create(FIONA, 1, "10")));
        assertEquals("missing_right", missingRight(() -> opportunities.get(FIONA, ritas.id)));
        assertEquals("missing_right", missingRight(
                () -> opportunities.list(FIONA, null, null, null, null, false, PageRequest.of(null, null))));
        assertEquals("missing_right", missingRight(() -> opportunities.history(FIONA, ritas.id)));
        OrderDTO order = new OrderDTO();
        order.customerId = 1L;
        order.currency = "CNY";
        OrderDTO.OrderLineDTO line = new OrderDTO.OrderLineDTO();
        line.description = "Pallet";
        line.quantity = BigDecimal.ONE;
        line.unitPrice = BigDecimal.TEN;
        order.lines = List.of(line);
        assertEquals("missing_right", missingRight(() -> opportunities.orders.create(FIONA, order)));
        assertEquals(before, written());

        // an assistant enters and reads (their own), but does not change, move, close, comment or archive
        OpportunityDTO sams = create(SAM, 2, "50");
        assertEquals("sam", opportunities.get(SAM, sams.id).owner);
        before = written();
        OpportunityDTO change = new OpportunityDTO();
        change.title = "Changed";
        change.amount = BigDecimal.ONE;
        change.currency = "CNY";
        change.version = sams.version;
        MoveDTO lose = new MoveDTO();
        lose.reason = "price";
        CommentDTO comment = new CommentDTO();
        comment.text = "Call back";
        assertEquals("missing_right", missingRight(() -> opportunities.update(SAM, sams.id, change)));
        assertEquals("missing_right", missingRight(() -> opportunities.move(SAM, sams.id, to("qualified"))));
        assertEquals("missing_right", missingRight(() -> opportunities.win(SAM, sams.id, new MoveDTO())));
        assertEquals("missing_right", missingRight(() -> opportunities.lose(SAM, sams.id, lose)));
        assertEquals("missing_right", missingRight(() -> opportunities.comment(SAM, sams.id, comment)));
        assertEquals("missing_right", missingRight(() -> opportunities.archive(SAM, sams.id)));
        assertEquals(before, written());
        assertEquals("lead", opportunities.get(SAM, sams.id).stage);
        // the rep names another rep as the owner: that needs REVIEW, which reps do not hold
        OpportunityDTO forRay = new OpportunityDTO();
        forRay.customerId = 1L;
        forRay.title = "For Ray";
        forRay.amount = BigDecimal.ONE;
        forRay.currency = "CNY";
        forRay.owner = "ray";
        assertEquals("missing_right", missingRight(() -> opportunities.create(RITA, forRay)));
        order.rep = "ray";
        assertEquals("missing_right", missingRight(() -> opportunities.orders.create(RITA, order)));
        assertEquals(before, written());
    }

    @Test
    void aSubsidiarysAdjustedGrantsDecideAndVisibilityStaysAsItIs() throws Exception {
        OpportunityDTO o = create(RITA, 1, "100");
        // S1 takes MODIFY from its reps: Rita can no longer move her opportunity; S2's reps are not affected
        rights.adjust("S1", PipelineModule.OPPORTUNITY, Roles.USER, Right.ENTER, Right.QUERY);
        Map<String, Long> before = written();
        assertEquals("missing_right", missingRight(() -> opportunities.move(RITA, o.id, to("qualified"))));
        assertEquals(before, written());
        assertEquals("lead", opportunities.get(RITA, o.id).stage);
        CallerContext s2Rep = new CallerContext(7, "sue", "S2", Set.of(Roles.USER));
        assertTrue(rights.has(s2Rep, PipelineModule.OPPORTUNITY, Right.MODIFY));

        // S1 gives MODIFY back but takes ENTER over orders: a win with its order is refused as a whole
        rights.adjust("S1", PipelineModule.OPPORTUNITY, Roles.USER, Right.ENTER, Right.QUERY, Right.MODIFY);
        rights.adjust("S1", PipelineModule.ORDER, Roles.USER, Right.QUERY);
        MoveDTO win = new MoveDTO();
        win.order = new OrderDTO();
        OrderDTO.OrderLineDTO line = new OrderDTO.OrderLineDTO();
        line.description = "Pallet";
        line.quantity = BigDecimal.ONE;
        line.unitPrice = new BigDecimal("100");
        win.order.lines = List.of(line);
        before = written();
        assertEquals("missing_right", missingRight(() -> opportunities.win(RITA, o.id, win)));
        assertEquals(before, written());
        assertEquals("OPEN", opportunities.get(RITA, o.id).status);
        assertEquals("WON", opportunities.win(RITA, o.id, new MoveDTO()).status, "a win without an order needs no more");

        // without REVIEW an administrator no longer gives opportunities to reps, but still sees every rep's
        rights.adjust("S1", PipelineModule.OPPORTUNITY, Roles.SUBSIDIARY_ADMIN, Right.ENTER, Right.QUERY, Right.MODIFY);
        OpportunityDTO forRay = new OpportunityDTO();
        forRay.customerId = 2L;
        forRay.title = "For Ray";
        forRay.amount = BigDecimal.ONE;
        forRay.currency = "CNY";
        forRay.owner = "ray";
        assertEquals("missing_right", missingRight(() -> opportunities.create(MONA, forRay)));
        assertEquals(1, opportunities.list(MONA, null, null, null, null, false, PageRequest.of(null, null)).total());
        assertEquals(o.id, opportunities.get(MONA, o.id).id);
        // and a rep given REVIEW enters one for a colleague, which they then do not see (visibility is not a right)
        rights.adjust("S1", PipelineModule.OPPORTUNITY, Roles.USER, Right.ENTER, Right.QUERY, Right.MODIFY, Right.REVIEW);
        OpportunityDTO given = opportunities.create(RITA, forRay);
        assertEquals("ray", given.owner);
        assertEquals("rita", given.createdBy);
        assertThrows(NotFoundException.class, () -> opportunities.get(RITA, given.id));
    }

    private OpportunityDTO create(CallerContext caller, long customer, String amount) {
        OpportunityDTO in = new OpportunityDTO();
        in.customerId = customer;
        in.title = "Forklifts";
        in.amount = new BigDecimal(amount);
        in.currency = "CNY";
        return opportunities.create(caller, in);
    }

    private static MoveDTO to(String stage) {
        MoveDTO m = new MoveDTO();
        m.stage = stage;
        return m;
    }

    private static List<String> fields(ValidationException e) {
        return e.fields().stream().map(FieldError::field).toList();
    }

    @Test
    void anOpportunityGoesThroughTheStagesAndIsWonWithItsOrder() {
        OpportunityDTO o = create(RITA, 1, "120000.00");
        assertEquals("lead", o.stage);
        assertEquals(10, o.probability);
        assertEquals("rita", o.owner);
        assertEquals("OPEN", o.status);
        opportunities.move(RITA, o.id, to("qualified"));
        OpportunityDTO moved = opportunities.move(RITA, o.id, to("proposal"));
        assertEquals(50, moved.probability);
        MoveDTO win = new MoveDTO();
        win.reason = "service terms";
        win.order = new OrderDTO();
        OrderDTO.OrderLineDTO line = new OrderDTO.OrderLineDTO();
        line.description = "Forklift";
        line.quantity = new BigDecimal("3");
        line.unitPrice = new BigDecimal("33333.335");
        line.productLine = "hardware";
        win.order.lines = List.of(line);
        // a price with three decimals is refused, naming the field inside the order
        ValidationException bad = assertThrows(ValidationException.class, () -> opportunities.win(RITA, o.id, win));
        assertEquals(List.of("order.lines[0].unitPrice"), fields(bad));
        assertEquals("OPEN", opportunities.get(RITA, o.id).status);
        line.unitPrice = new BigDecimal("40000.00");
        OpportunityDTO won = opportunities.win(RITA, o.id, win);
        assertEquals("WON", won.status);
        assertEquals("won", won.stage);
        assertEquals(100, won.probability);
        assertEquals("service terms", won.closeReason);
        List<String> history = opportunities.history(RITA, o.id).stream().map(h -> h.fromStage + ">" + h.toStage).toList();
        assertEquals(List.of("null>lead", "lead>qualified", "qualified>proposal", "proposal>won"), history);
        OrderDTO order = opportunities.orders.list(RITA, null, null, null, null, PageRequest.of(null, null)).items().get(0);
        assertEquals(0, new BigDecimal("120000.00").compareTo(order.total));
        assertEquals(o.id, order.opportunityId);
        assertEquals("rita", order.rep);
        assertEquals(List.of("opportunity/CREATED", "opportunity/STAGE_CHANGED", "opportunity/STAGE_CHANGED",
                "opportunity/WON", "order/ENTERED"), EVENTS.stream().map(e -> e.getTopic().substring(
                        PipelineTopics.PREFIX.length())).toList());
        Event wonEvent = EVENTS.get(3);
        assertEquals("S1", wonEvent.getProperty("subsidiary"));
        assertEquals("proposal", wonEvent.getProperty("fromStage"));
        assertEquals("120000.00", wonEvent.getProperty("amount"));
        // closed: no more moves, no second order
        assertEquals("opportunity_closed", assertThrows(ConflictException.class,
                () -> opportunities.move(RITA, o.id, to("lead"))).code());
        OrderDTO second = new OrderDTO();
        second.customerId = 1L;
        second.opportunityId = o.id;
        second.currency = "CNY";
        second.lines = List.of(line);
        assertEquals("order_exists", assertThrows(ConflictException.class,
                () -> opportunities.orders.create(RITA, second)).code());
    }

    @Test
    void aLossNeedsAReasonAndMovesCannotClose() {
        OpportunityDTO o = create(RITA, 1, "10");
        assertEquals(List.of("reason"), fields(assertThrows(ValidationException.class,
                () -> opportunities.lose(RITA, o.id, new MoveDTO()))));
        assertEquals(List.of("stage"), fields(assertThrows(ValidationException.class,
                () -> opportunities.move(RITA, o.id, to("won")))));
        assertEquals(List.of("stage"), fields(assertThrows(ValidationException.class,
                () -> opportunities.move(RITA, o.id, to("nowhere")))));
        MoveDTO lose = new MoveDTO();
        lose.reason = " price ";
        OpportunityDTO lost = opportunities.lose(RITA, o.id, lose);
        assertEquals("LOST", lost.status);
        assertEquals("price", lost.closeReason);
        assertEquals(0, lost.probability);
        assertEquals(0, EVENTS.stream().filter(e -> e.getTopic().endsWith("order/ENTERED")).count());
    }

    @Test
    void repsSeeTheirOwnManagersTheSubsidiaryOtherSubsidiariesNothing() {
        OpportunityDTO ritas = create(RITA, 1, "10");
        create(RAY, 2, "20");
        assertThrows(NotFoundException.class, () -> opportunities.get(RAY, ritas.id));
        assertThrows(NotFoundException.class, () -> opportunities.move(RAY, ritas.id, to("qualified")));
        assertThrows(NotFoundException.class, () -> opportunities.get(OTTO, ritas.id));
        assertEquals(1, opportunities.list(RITA, null, null, null, null, false, PageRequest.of(null, null)).total());
        assertEquals(2, opportunities.list(MONA, null, null, null, null, false, PageRequest.of(null, null)).total());
        assertEquals(0, opportunities.list(OTTO, null, null, null, null, false, PageRequest.of(null, null)).total());
        assertThrows(ForbiddenException.class,
                () -> opportunities.list(RAY, null, null, "rita", null, false, PageRequest.of(null, null)));
        // an S2 customer from S1 is not found
        assertThrows(NotFoundException.class, () -> create(RITA, 10, "1"));
    }

    @Test
    void ownersAreTheCallerUnlessAManagerGivesItToAnActiveRepOfTheSubsidiary() {
        OpportunityDTO in = new OpportunityDTO();
        in.customerId = 1L;
        in.title = "x";
        in.amount = BigDecimal.ONE;
        in.currency = "CNY";
        in.owner = "ray";
        assertThrows(ForbiddenException.class, () -> opportunities.create(RITA, in));
        assertEquals("ray", opportunities.create(MONA, in).owner);
        in.owner = "otto";
        assertEquals(List.of("owner"), fields(assertThrows(ValidationException.class, () -> opportunities.create(MONA, in))));
    }

    @Test
    void updatesNeedTheCurrentVersionAndLeaveServerFieldsAlone() {
        OpportunityDTO o = create(RITA, 1, "10");
        OpportunityDTO change = new OpportunityDTO();
        change.title = "Bigger deal";
        change.amount = new BigDecimal("99.50");
        change.currency = "EUR";
        assertEquals(List.of("version"), fields(assertThrows(ValidationException.class,
                () -> opportunities.update(RITA, o.id, change))));
        change.version = o.version;
        OpportunityDTO updated = opportunities.update(RITA, o.id, change);
        assertEquals("Bigger deal", updated.title);
        assertEquals(o.version + 1, updated.version);
        assertEquals("stale_version", assertThrows(ConflictException.class,
                () -> opportunities.update(RITA, o.id, change)).code());
        change.version = updated.version;
        change.status = "WON";
        change.stage = "won";
        assertEquals(List.of("stage", "status"), fields(assertThrows(ValidationException.class,
                () -> opportunities.update(RITA, o.id, change))));
    }

    @Test
    void badInputNamesEveryField() {
        OpportunityDTO in = new OpportunityDTO();
        in.title = " ";
        in.amount = new BigDecimal("-1");
        in.currency = "cny";
        in.probability = 101;
        in.id = 5L;
        assertEquals(List.of("amount", "currency", "customerId", "id", "probability", "title"),
                fields(assertThrows(ValidationException.class, () -> opportunities.create(RITA, in))));
        assertNull(opportunities.list(MONA, null, null, null, null, false, PageRequest.of(null, null)).items()
                .stream().findFirst().orElse(null));
    }

    @Test
    void commentsAreKeptInOrderAndCountAsActivity() throws Exception {
        OpportunityDTO o = create(RITA, 1, "10");
        CommentDTO c = new CommentDTO();
        c.text = "Bring the service contract";
        opportunities.comment(MONA, o.id, c);
        c.text = "Will do";
        opportunities.comment(RITA, o.id, c);
        assertEquals(List.of("mona", "rita"), opportunities.comments(RITA, o.id).stream().map(x -> x.author).toList());
        assertThrows(NotFoundException.class, () -> opportunities.comment(RAY, o.id, c));
        c.text = "";
        assertEquals(List.of("text"), fields(assertThrows(ValidationException.class, () -> opportunities.comment(RITA, o.id, c))));
        // one audit entry per comment, naming its opportunity; the refused ones left none
        List<String> comments = TestAudit.trail().stream().filter(t -> t.startsWith("pipeline.comment ")).toList();
        assertEquals(2, comments.size(), comments.toString());
        assertTrue(comments.get(0).endsWith(" CREATE mona [author,opportunity,text]"), comments.get(0));
        assertTrue(TestAudit.diffs().stream().anyMatch(d -> d.equals("author: null -> rita; opportunity: null -> " + o.id
                + "; text: null -> Will do")), TestAudit.diffs().toString());
    }
}
