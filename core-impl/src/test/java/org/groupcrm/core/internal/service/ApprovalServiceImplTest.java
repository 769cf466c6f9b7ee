package org.groupcrm.core.internal.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.sql.DataSource;

import org.apache.aries.jpa.template.EmConsumer;
import org.apache.aries.jpa.template.EmFunction;
import org.apache.aries.jpa.template.JpaTemplate;
import org.apache.aries.jpa.template.TransactionType;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ConflictException;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.core.api.NotFoundException;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.PageRequest;
import org.groupcrm.core.api.approval.ApprovalDTO;
import org.groupcrm.core.api.approval.ApprovalDecisionDTO;
import org.groupcrm.core.api.approval.ApprovalQuery;
import org.groupcrm.core.api.approval.ApprovalStatus;
import org.groupcrm.core.api.approval.ApprovalStepDTO;
import org.groupcrm.core.api.event.CrmTopics;
import org.groupcrm.core.api.user.Roles;
import org.groupcrm.core.internal.persistence.Migrations;
import org.groupcrm.core.internal.persistence.Tx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import liquibase.resource.ClassLoaderResourceAccessor;

/**
 * {@link ApprovalServiceImpl} on the real mappings and queries: EclipseLink in Java SE on an embedded PostgreSQL
 * migrated by the core's changelog.
 */
class ApprovalServiceImplTest {
    private static EmbeddedPostgres pg;
    private static DataSource dataSource;
    private static EntityManagerFactory emf;
    private static final List<Event> EVENTS = new CopyOnWriteArrayList<>();
    private static ApprovalServiceImpl service;
    private static InputValidator validator;

    private String code;
    private CallerContext rep;
    private CallerContext colleague;
    private CallerContext manager;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        dataSource = pg.getPostgresDatabase();
        new Migrations(dataSource).apply(new ClassLoaderResourceAccessor(ApprovalServiceImplTest.class.getClassLoader()),
                "crm/core/changelog.sql", "core-impl test");
        emf = new PersistenceProvider().createEntityManagerFactory("crm-core",
                Map.of("javax.persistence.nonJtaDataSource", dataSource));
        Tx tx = new Tx();
        set(tx, "jpa", new SeTemplate());
        set(tx, "eventAdmin", new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                EVENTS.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                EVENTS.add(event);
            }
        });
        validator = new InputValidator();
        SubsidiaryServiceImpl subsidiaries = new SubsidiaryServiceImpl();
        subsidiaries.tx = tx;
        subsidiaries.validator = validator;
        service = new ApprovalServiceImpl();
        service.tx = tx;
        service.validator = validator;
        service.subsidiaries = subsidiaries;
    }

    @AfterAll
    static void stop() throws Exception {
        if (emf != null) {
            emf.close();
        }
        if (validator != null) {
            validator.close();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @BeforeEach
    void subsidiaryWithReviewers() throws SQLException {
        code = "S" + UUID.randomUUID().toString().substring(0, 8);
        long sid = insert("INSERT INTO crm_subsidiary (code, name) VALUES (?, ?) RETURNING id", code, code);
        rep = user("rep", sid, Roles.USER);
        colleague = user("colleague", sid, Roles.USER);
        manager = user("manager", sid, Roles.SUBSIDIARY_ADMIN);
        EVENTS.clear();
    }

    private CallerContext user(String name, long sid, String role) throws SQLException {
        String login = name + "-" + code.toLowerCase();
        long id = insert("INSERT INTO crm_user (login, display_name, password_hash, home_subsidiary_id)"
                + " VALUES (?, ?, 'x', ?) RETURNING id", login, login, sid);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO crm_user_role (user_id, role) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, role);
            ps.executeUpdate();
        }
        return new CallerContext(id, login, code, Set.of(role));
    }

    private static ApprovalDTO request(String type, String... roles) {
        ApprovalDTO d = new ApprovalDTO();
        d.type = type;
        // a plugin's own subject type: the core checks only subjects that name its records (ApprovalVisibilityTest)
        d.subjectType = "opportunity";
        d.subjectId = "42";
        d.summary = "15% discount";
        d.steps = new ArrayList<>();
        for (String r : roles) {
            d.steps.add(new ApprovalStepDTO(r));
        }
        return d;
    }

    private static List<Long> ids(Page<ApprovalDTO> page) {
        return page.items().stream().map(a -> a.id).toList();
    }

    private Page<ApprovalDTO> list(CallerContext who, ApprovalQuery.Mine mine, String type, ApprovalStatus status) {
        return service.list(who, new ApprovalQuery(mine, type, status, PageRequest.of(0, 20)));
    }

    @Test
    void aTwoStepRequestGoesThroughTheQueuesOfItsPositions() throws SQLException {
        ApprovalDTO a = service.submit(rep, request("credit-limit", Roles.USER, Roles.SUBSIDIARY_ADMIN));
        assertEquals(ApprovalStatus.PENDING, a.status);
        assertEquals(1L, a.version);
        assertEquals(code, a.subsidiary);
        assertEquals(List.of(a.id), ids(list(colleague, ApprovalQuery.Mine.PENDING, null, null)));
        assertEquals(List.of(), ids(list(manager, ApprovalQuery.Mine.PENDING, null, null)));
        assertEquals(List.of(), ids(list(rep, ApprovalQuery.Mine.PENDING, null, null)));
        assertEquals(List.of(a.id), ids(list(rep, ApprovalQuery.Mine.SUBMITTED, "credit-limit", ApprovalStatus.PENDING)));
        assertEquals(List.of(), ids(list(rep, ApprovalQuery.Mine.SUBMITTED, "discount", null)));

        ApprovalDTO first = service.approve(colleague, a.id, new ApprovalDecisionDTO("pays on time", a.version));
        assertEquals(1, first.currentStep);
        assertEquals(colleague.login(), first.steps.get(0).decidedBy);
        assertEquals(List.of(a.id), ids(list(manager, ApprovalQuery.Mine.PENDING, null, null)));
        assertEquals(List.of(), ids(list(colleague, ApprovalQuery.Mine.PENDING, null, null)));

        ApprovalDTO done = service.approve(manager, a.id, new ApprovalDecisionDTO(null, first.version));
        assertEquals(ApprovalStatus.APPROVED, done.status);
        ApprovalDTO read = service.get(rep, a.id);
        assertEquals(ApprovalStatus.APPROVED, read.status);
        assertEquals(List.of(ApprovalStatus.APPROVED, ApprovalStatus.APPROVED), read.steps.stream().map(s -> s.status).toList());
        assertEquals("pays on time", read.steps.get(0).comment);
        assertEquals(List.of(a.id), ids(list(manager, null, null, ApprovalStatus.APPROVED)));

        assertEquals(List.of(CrmTopics.APPROVAL_SUBMITTED, CrmTopics.APPROVAL_STEP_DECIDED, CrmTopics.APPROVAL_STEP_DECIDED,
                CrmTopics.APPROVAL_APPROVED), EVENTS.stream().map(Event::getTopic).toList());
        Event approved = EVENTS.get(3);
        assertEquals(code, approved.getProperty("subsidiary"));
        assertEquals(a.id, approved.getProperty("id"));
        assertEquals("credit-limit", approved.getProperty("type"));
        assertEquals("APPROVED", approved.getProperty("decision"));
        assertEquals(1, approved.getProperty("step"));
        assertEquals(List.of("SUBMIT", "APPROVE", "APPROVE"), auditActions(a.id));
    }

    @Test
    void refusalsWriteNothing() throws SQLException {
        ApprovalDTO a = service.submit(rep, request("discount", Roles.SUBSIDIARY_ADMIN));
        EVENTS.clear();
        assertEquals("separation_of_duties", assertThrows(ForbiddenException.class,
                () -> service.approve(rep, a.id, new ApprovalDecisionDTO(null, a.version))).code());
        // the colleague holds no position of the request's steps: for them it does not exist
        assertThrows(NotFoundException.class, () -> service.approve(colleague, a.id, new ApprovalDecisionDTO(null, a.version)));
        assertEquals("stale_version", assertThrows(ConflictException.class,
                () -> service.reject(manager, a.id, new ApprovalDecisionDTO("no", a.version + 1))).code());
        assertThrows(ForbiddenException.class, () -> service.withdraw(manager, a.id, new ApprovalDecisionDTO(null, a.version)));
        CallerContext elsewhere = new CallerContext(manager.userId(), manager.login(), "NOPE", manager.roles());
        assertThrows(NotFoundException.class, () -> service.get(elsewhere, a.id));
        assertEquals(List.of(), EVENTS);
        assertEquals(List.of("SUBMIT"), auditActions(a.id));
        assertEquals(ApprovalStatus.PENDING, service.get(rep, a.id).status);

        ApprovalDTO withdrawn = service.withdraw(rep, a.id, new ApprovalDecisionDTO("changed my mind", a.version));
        assertEquals(ApprovalStatus.WITHDRAWN, withdrawn.status);
        assertEquals("approval_closed", assertThrows(ConflictException.class,
                () -> service.approve(manager, a.id, new ApprovalDecisionDTO(null, withdrawn.version))).code());
        assertEquals(List.of(), ids(list(manager, ApprovalQuery.Mine.PENDING, null, null)));
        assertEquals(List.of(CrmTopics.APPROVAL_WITHDRAWN), EVENTS.stream().map(Event::getTopic).toList());
        assertEquals(List.of("SUBMIT", "WITHDRAW"), auditActions(a.id));
    }

    @Test
    void aRejectionClosesTheRequest() throws SQLException {
        ApprovalDTO a = service.submit(rep, request("discount", Roles.USER, Roles.SUBSIDIARY_ADMIN));
        ApprovalDTO r = service.reject(colleague, a.id, new ApprovalDecisionDTO("margin too low", a.version));
        assertEquals(ApprovalStatus.REJECTED, r.status);
        assertEquals(List.of(ApprovalStatus.REJECTED, ApprovalStatus.PENDING), r.steps.stream().map(s -> s.status).toList());
        assertEquals(List.of(), ids(list(manager, ApprovalQuery.Mine.PENDING, null, null)));
        assertEquals(CrmTopics.APPROVAL_REJECTED, EVENTS.get(EVENTS.size() - 1).getTopic());
        assertTrue(auditActions(a.id).contains("REJECT"));
    }

    @Test
    void groupAdministratorsSeeAndDecideEveryPendingRequestOfTheSubsidiary() {
        ApprovalDTO a = service.submit(rep, request("discount", Roles.SUBSIDIARY_ADMIN));
        CallerContext groupAdmin = new CallerContext(colleague.userId(), colleague.login(), code, Set.of(Roles.GROUP_ADMIN));
        assertEquals(List.of(a.id), ids(list(groupAdmin, ApprovalQuery.Mine.PENDING, "discount", null)));
        assertThrows(ForbiddenException.class, () -> list(colleague, null, null, null));
        assertEquals(ApprovalStatus.APPROVED, service.approve(groupAdmin, a.id, new ApprovalDecisionDTO(null, a.version)).status);
    }

    private List<String> auditActions(long id) throws SQLException {
        List<String> actions = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT action FROM crm_audit WHERE entity = 'approval' AND entity_id = ? ORDER BY id")) {
            ps.setString(1, String.valueOf(id));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    actions.add(rs.getString(1));
                }
            }
        }
        return actions;
    }

    private static long insert(String sql, Object... params) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void set(Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    /** Aries JPA's template in Java SE: one resource-local transaction per call. */
    private static final class SeTemplate implements JpaTemplate {
        @Override
        public <R> R txExpr(TransactionType type, EmFunction<R> code) {
            EntityManager em = emf.createEntityManager();
            try {
                em.getTransaction().begin();
                R result = code.apply(em);
                em.getTransaction().commit();
                return result;
            } catch (RuntimeException e) {
                if (em.getTransaction().isActive()) {
                    em.getTransaction().rollback();
                }
                throw e;
            } finally {
                em.close();
            }
        }

        @Override
        public void tx(TransactionType type, EmConsumer code) {
            txExpr(type, em -> {
                code.accept(em);
                return null;
            });
        }

        @Override
        public <R> R txExpr(EmFunction<R> code) {
            return txExpr(TransactionType.Required, code);
        }

        @Override
        public void tx(EmConsumer code) {
            tx(TransactionType.Required, code);
        }
    }
}
