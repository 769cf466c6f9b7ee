package org.groupcrm.itests;

import static org.groupcrm.itests.RestClient.obj;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.features.Repository;
import org.groupcrm.itests.RestClient.Response;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access matrix of the whole REST API (OWASP API1, broken object level authorization): every operation against
 * callers without credentials, users of another subsidiary and users of a position that may not do it, each answered
 * as the current rules say, and nothing written by a refused request.
 *
 * <p>The table ({@link #matrix()}) has one row per operation: method, path template, what the path names (a record of
 * the subsidiary, a subsidiary, a list...), the positions that may call it, the status they get, and the wrong callers
 * with the status they must get. New rules (e.g. rights per resource type and position) are new or changed rows.
 * The operations come from the product itself: the core's OpenAPI document, and the JAX-RS resources of every module
 * application (the OpenAPI document covers only the core application; the pipeline plugin's resources in
 * {@code plugins/pipeline/.../internal/rest} are read from the running bundles the same way the document is built).
 * An operation without a row, or a row without an operation, fails {@link #everyOperationHasARowAndEveryRowAnOperation}.
 *
 * <p>Two subsidiaries, each with a subsidiary administrator, a manager, a rep owning the records and a colleague rep;
 * the records (customer, contact, activity, approvals, tokens, opportunities, order, stages, rates, settings) are in
 * S1, and S2 has its own. The refusal tests share one fixture and prove by a fingerprint of every table that they
 * change nothing; {@link #rightCallersSucceedWithTheSameRequests} sends the same requests as the allowed callers on a
 * fixture of its own, so that every refusal is of a request that would otherwise have worked.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SecurityMatrixIT extends CrmTestSupport {
    private static final Logger LOG = LoggerFactory.getLogger(SecurityMatrixIT.class);
    private static final String PASSWORD = "matrix-password-1";
    private static final String PLUGIN = "crm-plugin-pipeline";
    private static final String MODULE = "pipeline";
    private static final String API = "/api/v1";
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    /** Built once per boot (the probe class stays loaded across the methods of a PerClass run). */
    private static World shared;

    @Inject
    BundleContext context;

    @Configuration
    public Option[] config() {
        return crmDistribution();
    }

    // ------------------------------------------------------------------ the matrix

    /** A caller's position in a subsidiary. */
    enum Pos {
        /** The group administrator, acting in the subsidiary through the subsidiary header. */
        GROUP_ADMIN,
        /** {@code subsidiary-admin}. */
        ADMIN,
        /** {@code manager}. */
        MANAGER,
        /** {@code user}: the rep who owns the subsidiary's records. */
        REP,
        /** {@code user}: another rep of the same subsidiary. */
        REP2
    }

    static final Set<Pos> EVERYONE = EnumSet.allOf(Pos.class);
    static final Set<Pos> SEE_ALL = EnumSet.of(Pos.GROUP_ADMIN, Pos.ADMIN, Pos.MANAGER, Pos.REP);
    static final Set<Pos> MANAGERS = EnumSet.of(Pos.GROUP_ADMIN, Pos.ADMIN, Pos.MANAGER);
    static final Set<Pos> ADMINS = EnumSet.of(Pos.GROUP_ADMIN, Pos.ADMIN);
    /** The error of a refusal by rights per resource type and position ({@code RightsService.require}). */
    static final String MISSING_RIGHT = "missing_right";
    /** The grant the rights rows adjust and reset: no caller of the matrix holds the position. */
    static final String GRANT_TYPE = "core.contact";
    static final String GRANT_POSITION = "service-agent";

    /** What an operation's path names, which decides what "another subsidiary" means for it. */
    enum Kind {
        /** Needs no credentials (documented public). */
        PUBLIC,
        /** Group-wide administration: no data of a subsidiary. */
        GROUP,
        /** The path names a subsidiary by code: another subsidiary's administrators are refused. */
        SUBSIDIARY,
        /** Reads a list, search, analysis or setting of the caller's subsidiary: no row of another may show. */
        LIST,
        /** The path names a record (id, login): another subsidiary's is not found. */
        RECORD,
        /** A write without ids in the path: ids of another subsidiary in the body are refused. */
        WRITE
    }

    /** What a case checks. */
    enum Check {
        NO_CREDENTIALS, OTHER_SUBSIDIARY, HEADER, WRONG_POSITION, NARROWER_SCOPE, CONTROL
    }

    /** A check of the answer beyond its status; returns a problem, or null. */
    @FunctionalInterface
    interface AnswerCheck extends BiFunction<World, Response, String> {
    }

    /** An explicit case of a row: a caller, what they send differently, and the answer they must get. */
    record Case(Check check, Pos pos, int status, String error, Function<World, String> query,
            Function<World, Object> body, AnswerCheck answer) {
    }

    /** One operation and how each caller must be answered. */
    static final class Row {
        final String method;
        final String path;
        final Kind kind;
        Function<World, Map<String, Object>> params = w -> Map.of();
        Function<World, String> query = w -> "";
        Function<World, Object> body = w -> null;
        Set<Pos> allowed = EnumSet.noneOf(Pos.class);
        int ok = 200;
        String okError;
        boolean writes;
        /** Positions whose answer shows their own subsidiary's records (its code), proving the list answers. */
        Set<Pos> sees = EnumSet.noneOf(Pos.class);
        /** The colleague rep's answer must show none of the owning rep's records. */
        boolean ownerScoped;
        /** Ids of the subsidiary's records of the type this list answers, none of which may show elsewhere. */
        Function<World, Set<Long>> ids;
        AnswerCheck otherAnswer;
        final List<Case> cases = new ArrayList<>();

        Row(String method, String path, Kind kind) {
            this.method = method;
            this.path = path;
            this.kind = kind;
        }

        String op() {
            return method + " " + path;
        }

        Row params(Function<World, Map<String, Object>> p) {
            params = p;
            return this;
        }

        Row query(Function<World, String> q) {
            query = q;
            return this;
        }

        Row body(Function<World, Object> b) {
            body = b;
            return this;
        }

        Row allowed(Set<Pos> positions) {
            allowed = EnumSet.copyOf(positions);
            return this;
        }

        Row allowed(Pos first, Pos... more) {
            allowed = EnumSet.of(first, more);
            return this;
        }

        Row ok(int status) {
            ok = status;
            return this;
        }

        Row ok(int status, String error) {
            ok = status;
            okError = error;
            return this;
        }

        Row writes() {
            writes = true;
            return this;
        }

        Row sees(Pos first, Pos... more) {
            sees = EnumSet.of(first, more);
            return this;
        }

        Row ownerScoped(Function<World, Set<Long>> repIds) {
            ownerScoped = true;
            ids = repIds;
            return this;
        }

        Row ids(Function<World, Set<Long>> f) {
            ids = f;
            return this;
        }

        /** A check of every answer another subsidiary's users get (e.g. counts of an analysis). */
        Row otherAnswer(AnswerCheck check) {
            otherAnswer = check;
            return this;
        }

        /** These positions of the subsidiary get {@code status} for the row's own request. */
        Row wrong(int status, Pos... positions) {
            return wrong(status, null, positions);
        }

        /** These positions of the subsidiary get {@code status} with error {@code error} for the row's own request. */
        Row wrong(int status, String error, Pos... positions) {
            for (Pos p : positions) {
                cases.add(new Case(Check.WRONG_POSITION, p, status, error, null, null, null));
            }
            return this;
        }

        /** These positions lack the right the operation requires over its resource type: 403 {@code missing_right}. */
        Row lacking(Pos... positions) {
            return wrong(403, MISSING_RIGHT, positions);
        }

        Row wrong(Pos p, int status, String error, Function<World, String> q, Function<World, Object> b) {
            cases.add(new Case(Check.WRONG_POSITION, p, status, error, q, b, null));
            return this;
        }

        /** Another subsidiary's user of position {@code p} sending this (S1's ids in query or body). */
        Row other(Pos p, int status, Function<World, String> q, Function<World, Object> b, AnswerCheck answer) {
            cases.add(new Case(Check.OTHER_SUBSIDIARY, p, status, null, q, b, answer));
            return this;
        }

        /** A position of the subsidiary that is allowed but sees less: its answer must pass {@code answer}. */
        Row narrower(Pos p, Function<World, String> q, AnswerCheck answer) {
            cases.add(new Case(Check.NARROWER_SCOPE, p, 200, null, q, null, answer));
            return this;
        }
    }

    static Row row(String method, String path, Kind kind) {
        return new Row(method, path, kind);
    }

    static Map<String, Object> id(long id) {
        return Map.of("id", id);
    }

    /**
     * The matrix under the current rules (the default grants of {@code CoreResourceTypes} and the pipeline's
     * {@code PipelineModule}, checked through {@code RightsService}; core {@code service.Access},
     * {@code Records.visibleOwners}, {@code Roles}, the resources, and the pipeline's {@code Access} for visibility). Rows are in an order in which the allowed callers' requests
     * can all succeed one after the other (e.g. disable before enable, dedicated records for archive, win, lose).
     */
    static List<Row> matrix() {
        List<Row> rows = new ArrayList<>();
        // --- public, and readable by everyone
        rows.add(row("GET", "/api/v1/health", Kind.PUBLIC));
        rows.add(row("GET", "/api/v1/openapi.json", Kind.LIST).allowed(EVERYONE));
        rows.add(row("GET", "/api/v1/modules", Kind.LIST).allowed(EVERYONE));

        // --- group administration: subsidiaries and plugins
        rows.add(row("GET", "/api/v1/subsidiaries", Kind.GROUP).allowed(Pos.GROUP_ADMIN)
                .wrong(403, Pos.ADMIN, Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("POST", "/api/v1/subsidiaries", Kind.GROUP).writes().ok(201).allowed(Pos.GROUP_ADMIN)
                .body(w -> obj("code", "MN" + w.unique().toUpperCase(Locale.ROOT), "name", "Made by the matrix"))
                .wrong(403, Pos.ADMIN, Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("GET", "/api/v1/subsidiaries/{code}", Kind.SUBSIDIARY).params(w -> Map.of("code", w.s1))
                .allowed(Pos.GROUP_ADMIN).wrong(403, Pos.ADMIN, Pos.MANAGER, Pos.REP, Pos.REP2));
        // a subsidiary's settings (record visibility): its own administrators and group administrators
        rows.add(row("GET", "/api/v1/subsidiaries/{code}/settings", Kind.SUBSIDIARY).params(w -> Map.of("code", w.s1))
                .allowed(ADMINS).wrong(403, Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("PUT", "/api/v1/subsidiaries/{code}/settings", Kind.SUBSIDIARY).writes()
                .params(w -> Map.of("code", w.s1)).body(w -> obj("recordVisibility", "TEAM"))
                .allowed(ADMINS).wrong(403, Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("GET", "/api/v1/admin/plugins", Kind.GROUP).allowed(Pos.GROUP_ADMIN)
                .wrong(403, Pos.ADMIN, Pos.MANAGER, Pos.REP, Pos.REP2));
        // installed already: the group administrator gets past the position check to the plugin logic
        rows.add(row("POST", "/api/v1/admin/plugins/{feature}", Kind.GROUP).params(w -> Map.of("feature", PLUGIN))
                .body(w -> obj()).allowed(Pos.GROUP_ADMIN).ok(409, "plugin_installed")
                .wrong(403, Pos.ADMIN, Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("DELETE", "/api/v1/admin/plugins/{feature}", Kind.GROUP).params(w -> Map.of("feature", PLUGIN))
                .query(w -> "?dryRun=true").allowed(Pos.GROUP_ADMIN)
                .wrong(403, Pos.ADMIN, Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("GET", "/api/v1/admin/plugins/history", Kind.GROUP).allowed(Pos.GROUP_ADMIN)
                .wrong(403, Pos.ADMIN, Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("POST", "/api/v1/admin/plugin-repositories", Kind.GROUP).writes().allowed(Pos.GROUP_ADMIN)
                .body(w -> obj("uri", w.repository)).wrong(403, Pos.ADMIN, Pos.MANAGER, Pos.REP, Pos.REP2));

        // --- module states of a subsidiary (changes: group administrators, unless group IT allows a subsidiary's)
        rows.add(row("GET", "/api/v1/subsidiaries/{code}/modules", Kind.SUBSIDIARY).params(w -> Map.of("code", w.s1))
                .allowed(ADMINS).wrong(403, Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("PUT", "/api/v1/subsidiaries/{code}/modules/{module}", Kind.SUBSIDIARY).writes()
                .params(w -> Map.of("code", w.s1, "module", MODULE)).body(w -> obj("state", "ON"))
                .allowed(Pos.GROUP_ADMIN).wrong(403, Pos.ADMIN, Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("GET", "/api/v1/subsidiaries/{code}/modules/{module}/history", Kind.SUBSIDIARY)
                .params(w -> Map.of("code", w.s1, "module", MODULE)).allowed(ADMINS)
                .wrong(403, Pos.MANAGER, Pos.REP, Pos.REP2));

        // --- rights of a subsidiary's positions: its administrators (and group administrators) see and adjust them;
        // everyone reads their own in the subsidiary they act in
        rows.add(row("GET", "/api/v1/subsidiaries/{code}/rights", Kind.SUBSIDIARY).params(w -> Map.of("code", w.s1))
                .allowed(ADMINS).sees(Pos.ADMIN).wrong(403, Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("GET", "/api/v1/subsidiaries/{code}/rights/mine", Kind.SUBSIDIARY).params(w -> Map.of("code", w.s1))
                .allowed(EVERYONE));
        // adjusted, then reset, by the subsidiary's administrator (who holds every right over contacts)
        rows.add(row("PUT", "/api/v1/subsidiaries/{code}/rights/{resourceType}/{position}", Kind.SUBSIDIARY).writes()
                .params(w -> Map.of("code", w.s1, "resourceType", GRANT_TYPE, "position", GRANT_POSITION))
                .body(w -> obj("rights", List.of("QUERY"))).allowed(ADMINS).wrong(403, Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("DELETE", "/api/v1/subsidiaries/{code}/rights/{resourceType}/{position}", Kind.SUBSIDIARY).writes()
                .params(w -> Map.of("code", w.s1, "resourceType", GRANT_TYPE, "position", GRANT_POSITION))
                .allowed(ADMINS).wrong(403, Pos.MANAGER, Pos.REP, Pos.REP2));

        // --- users: managers list them (QUERY over core.user), administrators administer them (ADMIN)
        rows.add(row("GET", "/api/v1/users", Kind.LIST).allowed(Pos.GROUP_ADMIN, Pos.ADMIN, Pos.MANAGER)
                .sees(Pos.ADMIN, Pos.MANAGER).lacking(Pos.REP, Pos.REP2));
        rows.add(row("POST", "/api/v1/users", Kind.WRITE).writes().ok(201).allowed(Pos.ADMIN, Pos.GROUP_ADMIN)
                .body(w -> w.newUser(w.s1)).lacking(Pos.MANAGER, Pos.REP, Pos.REP2)
                .other(Pos.ADMIN, 403, null, w -> w.newUser(w.s1), null));
        rows.add(row("POST", "/api/v1/users/{login}/disable", Kind.RECORD).writes().allowed(Pos.ADMIN, Pos.GROUP_ADMIN)
                .params(w -> Map.of("login", w.spare)).lacking(Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("POST", "/api/v1/users/{login}/enable", Kind.RECORD).writes().allowed(Pos.ADMIN, Pos.GROUP_ADMIN)
                .params(w -> Map.of("login", w.spare)).lacking(Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("PUT", "/api/v1/users/{login}/team", Kind.RECORD).writes().allowed(Pos.ADMIN, Pos.GROUP_ADMIN)
                .params(w -> Map.of("login", w.spare)).body(w -> obj("team", "east"))
                .lacking(Pos.MANAGER, Pos.REP, Pos.REP2));
        rows.add(row("PUT", "/api/v1/users/{login}/reps", Kind.RECORD).writes().allowed(Pos.ADMIN, Pos.GROUP_ADMIN)
                .params(w -> Map.of("login", w.assistant)).body(w -> obj("reps", List.of(w.login(1, Pos.REP))))
                .lacking(Pos.MANAGER, Pos.REP, Pos.REP2));

        // --- API tokens: a user's own (a group administrator's: everyone's)
        rows.add(row("GET", "/api/v1/tokens", Kind.LIST).allowed(EVERYONE).sees(Pos.REP)
                .ownerScoped(w -> Set.of(w.token, w.revocableToken)));
        rows.add(row("POST", "/api/v1/tokens", Kind.WRITE).writes().ok(201).allowed(EVERYONE)
                .body(w -> obj("name", "Token " + w.s1 + " " + w.unique())));
        rows.add(row("DELETE", "/api/v1/tokens/{id}", Kind.RECORD).writes().allowed(Pos.REP, Pos.GROUP_ADMIN)
                .params(w -> id(w.revocableToken)).wrong(404, Pos.REP2, Pos.MANAGER, Pos.ADMIN));

        // --- the pipeline plugin (its own application at /api/v1/pipeline, listed from its JAX-RS resources)
        // (before anything that counts as activity on the rep's opportunities, so that they are still stalled)
        rows.add(row("GET", "/api/v1/pipeline/stalled", Kind.LIST).query(w -> "?days=2").allowed(EVERYONE)
                .sees(Pos.REP, Pos.MANAGER).ownerScoped(w -> Set.of(w.opportunity)));
        rows.add(row("GET", "/api/v1/pipeline/stages", Kind.LIST).allowed(EVERYONE).sees(Pos.REP));
        rows.add(row("GET", "/api/v1/pipeline/stages/reference", Kind.LIST).allowed(EVERYONE));
        rows.add(row("GET", "/api/v1/pipeline/stages/differences", Kind.LIST).allowed(EVERYONE));
        rows.add(row("PUT", "/api/v1/pipeline/stages", Kind.WRITE).writes().allowed(MANAGERS)
                .body(w -> stages(w.s1 + " edited " + w.unique())).lacking(Pos.REP, Pos.REP2));
        rows.add(row("GET", "/api/v1/pipeline/commission-rates", Kind.LIST).allowed(EVERYONE).sees(Pos.REP));
        rows.add(row("PUT", "/api/v1/pipeline/commission-rates", Kind.WRITE).writes().allowed(MANAGERS)
                .body(w -> rates(w.s1, "0.03")).lacking(Pos.REP, Pos.REP2));
        rows.add(row("GET", "/api/v1/pipeline/settings", Kind.LIST).allowed(EVERYONE)
                .otherAnswer((w, r) -> r.json().path("stalledDays").asInt() == World.S2_STALLED_DAYS ? null
                        : "stalledDays is not S2's " + World.S2_STALLED_DAYS));
        rows.add(row("PUT", "/api/v1/pipeline/settings", Kind.WRITE).writes().allowed(MANAGERS)
                .body(w -> obj("stalledDays", 22)).lacking(Pos.REP, Pos.REP2));
        rows.add(row("POST", "/api/v1/pipeline/opportunities", Kind.WRITE).writes().ok(201).allowed(SEE_ALL)
                .body(w -> w.opportunity("created", w.customer))
                // the colleague does not see the rep's customer; and may not enter for the rep (REVIEW)
                .wrong(404, Pos.REP2)
                .wrong(Pos.REP2, 403, MISSING_RIGHT, null,
                        w -> withOwner(w.opportunity("for rep", w.colleagueCustomer), w.login(1, Pos.REP)))
                .other(Pos.REP, 404, null, null, null).other(Pos.MANAGER, 404, null, null, null));
        rows.add(row("GET", "/api/v1/pipeline/opportunities", Kind.LIST).allowed(EVERYONE).sees(Pos.REP, Pos.MANAGER)
                .ownerScoped(w -> Set.of(w.opportunity, w.oppMove, w.oppWin, w.oppLose, w.oppArchive))
                .wrong(Pos.REP2, 403, null, w -> "?owner=" + w.login(1, Pos.REP), null)
                .other(Pos.MANAGER, 200, w -> "?customer=" + w.customer, null, null)
                .other(Pos.MANAGER, 200, w -> "?owner=" + w.login(1, Pos.REP), null, null));
        rows.add(row("GET", "/api/v1/pipeline/opportunities/{id}", Kind.RECORD).allowed(SEE_ALL)
                .params(w -> id(w.opportunity)).wrong(404, Pos.REP2));
        rows.add(row("PUT", "/api/v1/pipeline/opportunities/{id}", Kind.RECORD).writes().allowed(SEE_ALL)
                .params(w -> id(w.opportunity))
                .body(w -> obj("title", "Deal " + w.s1 + " main edited " + w.unique(), "amount", "1500.00", "currency", "CNY",
                        "version", w.version("/pipeline/opportunities/" + w.opportunity)))
                .wrong(404, Pos.REP2));
        rows.add(row("GET", "/api/v1/pipeline/opportunities/{id}/history", Kind.RECORD).allowed(SEE_ALL)
                .params(w -> id(w.opportunity)).wrong(404, Pos.REP2));
        rows.add(row("GET", "/api/v1/pipeline/opportunities/{id}/comments", Kind.RECORD).allowed(SEE_ALL)
                .params(w -> id(w.opportunity)).wrong(404, Pos.REP2));
        rows.add(row("POST", "/api/v1/pipeline/opportunities/{id}/comments", Kind.RECORD).writes().ok(201)
                .allowed(SEE_ALL).params(w -> id(w.opportunity)).body(w -> obj("text", "Comment " + w.s1))
                .wrong(404, Pos.REP2));
        rows.add(row("POST", "/api/v1/pipeline/opportunities/{id}/stage", Kind.RECORD).writes().allowed(SEE_ALL)
                .params(w -> id(w.oppMove)).body(w -> obj("stage", "qualified")).wrong(404, Pos.REP2));
        rows.add(row("POST", "/api/v1/pipeline/opportunities/{id}/win", Kind.RECORD).writes().allowed(SEE_ALL)
                .params(w -> id(w.oppWin)).body(w -> obj("reason", "best service terms")).wrong(404, Pos.REP2));
        rows.add(row("POST", "/api/v1/pipeline/opportunities/{id}/lose", Kind.RECORD).writes().allowed(SEE_ALL)
                .params(w -> id(w.oppLose)).body(w -> obj("reason", "price")).wrong(404, Pos.REP2));
        rows.add(row("DELETE", "/api/v1/pipeline/opportunities/{id}", Kind.RECORD).writes().ok(204).allowed(SEE_ALL)
                .params(w -> id(w.oppArchive)).wrong(404, Pos.REP2));
        rows.add(row("POST", "/api/v1/pipeline/orders", Kind.WRITE).writes().ok(201).allowed(SEE_ALL)
                .body(w -> w.order(obj("customerId", w.customer)))
                .wrong(404, Pos.REP2)
                .wrong(Pos.REP2, 404, null, null, w -> w.order(obj("opportunityId", w.opportunity)))
                .other(Pos.REP, 404, null, null, null).other(Pos.MANAGER, 404, null, null, null)
                .other(Pos.MANAGER, 404, null, w -> w.order(obj("opportunityId", w.opportunity)), null));
        rows.add(row("GET", "/api/v1/pipeline/orders", Kind.LIST).allowed(EVERYONE).sees(Pos.REP, Pos.MANAGER)
                .ownerScoped(w -> Set.of(w.order))
                .wrong(Pos.REP2, 403, null, w -> "?rep=" + w.login(1, Pos.REP), null)
                .other(Pos.MANAGER, 200, w -> "?customer=" + w.customer, null, null));
        rows.add(row("GET", "/api/v1/pipeline/orders/{id}", Kind.RECORD).allowed(SEE_ALL).params(w -> id(w.order))
                .wrong(404, Pos.REP2));
        rows.add(row("GET", "/api/v1/pipeline/funnel", Kind.LIST).query(World::period).allowed(EVERYONE)
                .ownerScoped(w -> Set.of())
                .narrower(Pos.REP2, World::period, (w, r) -> count(r, "created", 0))
                .wrong(Pos.REP2, 403, null, w -> w.period() + "&owner=" + w.login(1, Pos.REP), null)
                // S2's own figures only: its one opportunity, for the positions that see it
                .otherAnswer((w, r) -> {
                    JsonNode scope = r.json().path("scope");
                    if (!w.s2.equals(scope.path("subsidiary").asText())) {
                        return "the funnel is of " + scope;
                    }
                    String owner = scope.path("owner").asText(null);
                    return count(r, "created", owner == null || owner.equals(w.login(2, Pos.REP)) ? w.s2Opportunities : 0);
                })
                .other(Pos.MANAGER, 200, w -> w.period() + "&owner=" + w.login(1, Pos.REP), null,
                        (w, r) -> count(r, "created", 0)));
        rows.add(row("GET", "/api/v1/pipeline/commission", Kind.LIST).query(World::period).allowed(EVERYONE)
                .sees(Pos.REP, Pos.MANAGER).ownerScoped(w -> Set.of(w.order))
                .wrong(Pos.REP2, 403, null, w -> w.period() + "&rep=" + w.login(1, Pos.REP), null)
                // the report names the rep asked for; it must hold none of their orders
                .other(Pos.MANAGER, 200, w -> w.period() + "&rep=" + w.login(1, Pos.REP), null,
                        (w, r) -> r.text().contains("\"orderId\"") ? "lists orders of another subsidiary's rep" : null));

        // --- customers and what hangs off them: a rep sees their own, the other positions the subsidiary's
        rows.add(row("GET", "/api/v1/customers", Kind.LIST).allowed(EVERYONE).sees(Pos.REP, Pos.MANAGER)
                .ownerScoped(w -> Set.of(w.customer, w.archivable, w.reassignable))
                .other(Pos.MANAGER, 200, w -> "?q=" + w.s1, null, null)
                .other(Pos.MANAGER, 200, w -> "?owner=" + w.login(1, Pos.REP), null, null)
                .other(Pos.MANAGER, 200, w -> "?archived=true", null, null));
        rows.add(row("POST", "/api/v1/customers", Kind.WRITE).writes().ok(201).allowed(EVERYONE)
                .body(w -> obj("name", "Owned " + w.s1 + " created " + w.unique()))
                .wrong(Pos.REP2, 403, null, null, w -> obj("name", "For " + w.s1, "owner", w.login(1, Pos.REP)))
                .other(Pos.MANAGER, 400, null, w -> obj("name", "For " + w.s1, "owner", w.login(1, Pos.REP)), null));
        rows.add(row("POST", "/api/v1/customers/import", Kind.WRITE).writes().ok(201).allowed(EVERYONE)
                .body(w -> List.of(obj("name", "Imported " + w.s1 + " " + w.unique())))
                .wrong(Pos.REP2, 403, null, null, w -> List.of(obj("name", "For " + w.s1, "owner", w.login(1, Pos.REP))))
                .other(Pos.MANAGER, 400, null, w -> List.of(obj("name", "For " + w.s1, "owner", w.login(1, Pos.REP))), null));
        rows.add(row("POST", "/api/v1/customers/reassign", Kind.WRITE).writes().allowed(ADMINS)
                .body(w -> obj("from", w.login(1, Pos.REP), "to", w.login(1, Pos.REP2),
                        "customerIds", List.of(w.reassignable), "reason", "matrix"))
                .lacking(Pos.MANAGER, Pos.REP, Pos.REP2)
                // S1's users and customers, named by S2's administrator: unknown there, like a login that does not exist
                .other(Pos.ADMIN, 400, null, w -> obj("from", w.login(1, Pos.REP), "to", w.login(1, Pos.REP2),
                        "customerIds", List.of(w.reassignable)), null)
                .other(Pos.ADMIN, 400, null, w -> obj("from", w.login(2, Pos.REP), "to", w.login(2, Pos.REP2),
                        "customerIds", List.of(w.reassignable)), null)
                .other(Pos.ADMIN, 400, null, w -> obj("from", w.login(1, Pos.REP), "to", w.login(2, Pos.REP2)), null));
        rows.add(row("GET", "/api/v1/customers/{id}", Kind.RECORD).allowed(SEE_ALL).params(w -> id(w.customer))
                .wrong(404, Pos.REP2));
        rows.add(row("PUT", "/api/v1/customers/{id}", Kind.RECORD).writes().allowed(SEE_ALL).params(w -> id(w.customer))
                .body(w -> obj("name", "Owned " + w.s1 + " main edited " + w.unique(),
                        "version", w.version("/customers/" + w.customer)))
                .wrong(404, Pos.REP2));
        rows.add(row("GET", "/api/v1/customers/{id}/owners", Kind.RECORD).allowed(SEE_ALL).params(w -> id(w.customer))
                .wrong(404, Pos.REP2));
        rows.add(row("GET", "/api/v1/customers/{id}/contacts", Kind.RECORD).allowed(SEE_ALL).params(w -> id(w.customer))
                .wrong(404, Pos.REP2));
        rows.add(row("POST", "/api/v1/customers/{id}/contacts", Kind.RECORD).writes().ok(201).allowed(SEE_ALL)
                .params(w -> id(w.customer)).body(w -> obj("name", "Contact " + w.s1 + " " + w.unique()))
                .wrong(404, Pos.REP2));
        rows.add(row("PUT", "/api/v1/customers/{id}/contacts/{contactId}", Kind.RECORD).writes().allowed(SEE_ALL)
                .params(w -> Map.of("id", w.customer, "contactId", w.contact))
                .body(w -> obj("name", "Contact " + w.s1 + " edited " + w.unique(), "version", w.contactVersion()))
                .wrong(404, Pos.REP2));
        rows.add(row("DELETE", "/api/v1/customers/{id}/contacts/{contactId}", Kind.RECORD).writes().allowed(SEE_ALL)
                .params(w -> Map.of("id", w.customer, "contactId", w.archivableContact)).wrong(404, Pos.REP2));
        rows.add(row("GET", "/api/v1/customers/{id}/activities", Kind.RECORD).allowed(SEE_ALL).params(w -> id(w.customer))
                .wrong(404, Pos.REP2));
        rows.add(row("POST", "/api/v1/customers/{id}/activities", Kind.RECORD).writes().ok(201).allowed(SEE_ALL)
                .params(w -> id(w.customer)).body(w -> obj("type", "CALL", "subject", "Call " + w.s1 + " " + w.unique()))
                .wrong(404, Pos.REP2));
        rows.add(row("DELETE", "/api/v1/customers/{id}", Kind.RECORD).writes().allowed(SEE_ALL)
                .params(w -> id(w.archivable)).wrong(404, Pos.REP2));

        // --- activities: reminders are the caller's own unless administrators, managers or assistants name another
        rows.add(row("GET", "/api/v1/activities", Kind.LIST).allowed(EVERYONE).sees(Pos.REP)
                .ownerScoped(w -> Set.of(w.activity, w.archivableActivity))
                .wrong(Pos.REP2, 403, null, w -> "?owner=" + w.login(1, Pos.REP), null)
                .other(Pos.MANAGER, 200, w -> "?owner=" + w.login(1, Pos.REP), null, null)
                .other(Pos.ADMIN, 200, w -> "?owner=" + w.login(1, Pos.REP) + "&due=upcoming", null, null)
                .other(Pos.REP, 403, w -> "?owner=" + w.login(1, Pos.REP), null, null));
        rows.add(row("GET", "/api/v1/activities/{id}", Kind.RECORD).allowed(SEE_ALL).params(w -> id(w.activity))
                .wrong(404, Pos.REP2));
        rows.add(row("PUT", "/api/v1/activities/{id}", Kind.RECORD).writes().allowed(SEE_ALL).params(w -> id(w.activity))
                .body(w -> obj("type", "CALL", "subject", "Call " + w.s1 + " main edited " + w.unique(),
                        "dueAt", w.due.toString(), "version", w.version("/activities/" + w.activity)))
                .wrong(404, Pos.REP2));
        rows.add(row("POST", "/api/v1/activities/{id}/complete", Kind.RECORD).writes().allowed(SEE_ALL)
                .params(w -> id(w.activity)).wrong(404, Pos.REP2));
        rows.add(row("DELETE", "/api/v1/activities/{id}", Kind.RECORD).writes().allowed(SEE_ALL)
                .params(w -> id(w.archivableActivity)).wrong(404, Pos.REP2));

        // --- approvals: seen by the submitter, the positions of the steps reached and administrators (else 404);
        // decided by the step's position, never by the submitter; about a customer the submitter sees
        rows.add(row("POST", "/api/v1/approvals", Kind.WRITE).writes().ok(201).allowed(EVERYONE)
                .body(w -> w.approvalAbout(w.colleagueCustomer, "created"))
                // a customer the caller does not see (the other rep's, another subsidiary's) is no subject of theirs
                .wrong(Pos.REP2, 400, "validation_failed", null, w -> w.approvalAbout(w.customer, "not theirs"))
                .other(Pos.MANAGER, 400, null, null, null));
        rows.add(row("GET", "/api/v1/approvals", Kind.LIST).allowed(ADMINS).sees(Pos.ADMIN)
                .ids(w -> Set.of(w.toApprove, w.toReject, w.toWithdraw))
                .wrong(403, Pos.MANAGER, Pos.REP, Pos.REP2)
                .other(Pos.MANAGER, 200, w -> "?mine=pending", null, null)
                .other(Pos.REP, 200, w -> "?mine=submitted", null, null)
                .other(Pos.REP2, 200, w -> "?mine=pending", null, null));
        rows.add(row("GET", "/api/v1/approvals/{id}", Kind.RECORD).allowed(SEE_ALL).params(w -> id(w.toApprove))
                .wrong(404, Pos.REP2));
        rows.add(row("POST", "/api/v1/approvals/{id}/approve", Kind.RECORD).writes()
                .allowed(Pos.MANAGER, Pos.GROUP_ADMIN).params(w -> id(w.toApprove))
                .body(w -> obj("version", w.version("/approvals/" + w.toApprove)))
                .wrong(Pos.REP, 403, "separation_of_duties", null, null).wrong(403, Pos.ADMIN).wrong(404, Pos.REP2));
        rows.add(row("POST", "/api/v1/approvals/{id}/reject", Kind.RECORD).writes()
                .allowed(Pos.MANAGER, Pos.GROUP_ADMIN).params(w -> id(w.toReject))
                .body(w -> obj("comment", "not this quarter", "version", w.version("/approvals/" + w.toReject)))
                .wrong(Pos.REP, 403, "separation_of_duties", null, null).wrong(403, Pos.ADMIN).wrong(404, Pos.REP2));
        rows.add(row("POST", "/api/v1/approvals/{id}/withdraw", Kind.RECORD).writes().allowed(Pos.REP)
                .params(w -> id(w.toWithdraw)).body(w -> obj("version", w.version("/approvals/" + w.toWithdraw)))
                .wrong(403, Pos.MANAGER, Pos.ADMIN, Pos.GROUP_ADMIN).wrong(404, Pos.REP2));

        // --- audit trail: administrators, a subsidiary's only its own rows
        rows.add(row("GET", "/api/v1/audit", Kind.LIST).allowed(ADMINS).sees(Pos.ADMIN)
                .lacking(Pos.MANAGER, Pos.REP, Pos.REP2)
                .other(Pos.ADMIN, 200, w -> "?entity=customer&id=" + w.customer, null, null)
                .other(Pos.ADMIN, 200, w -> "?entity=user&id=" + w.login(1, Pos.REP), null, null));

        return rows;
    }

    static Map<String, Object> withOwner(Map<String, Object> body, String owner) {
        body.put("owner", owner);
        return body;
    }

    static String count(Response r, String field, int expected) {
        int actual = r.json().path(field).asInt(-1);
        return actual == expected ? null : field + " is " + actual + ", expected " + expected;
    }

    static List<Object> stages(String label) {
        return List.of(obj("code", "lead", "name", "Lead", "probability", 10, "outcome", "OPEN"),
                obj("code", "qualified", "name", "Qualified", "probability", 25, "outcome", "OPEN"),
                obj("code", "demo", "name", "Demo " + label, "probability", 40, "outcome", "OPEN"),
                obj("code", "won", "name", "Won", "probability", 100, "outcome", "WON"),
                obj("code", "lost", "name", "Lost", "probability", 0, "outcome", "LOST"));
    }

    static List<Object> rates(String code, String rate) {
        return List.of(obj("productLine", null, "rate", 0.02),
                obj("productLine", "line-" + code.toLowerCase(Locale.ROOT), "rate", Double.valueOf(rate)));
    }

    // ------------------------------------------------------------------ the fixture

    /** Two subsidiaries with their users and records; S1's ids are what the other callers aim at. */
    final class World {
        static final int S1_STALLED_DAYS = 21;
        static final int S2_STALLED_DAYS = 9;
        final RestClient anonymous = rest();
        final RestClient admin = anonymous.as(ADMIN, adminPassword());
        final String s1 = "MX" + hex8().toUpperCase(Locale.ROOT);
        final String s2 = "MY" + hex8().toUpperCase(Locale.ROOT);
        final Map<Pos, String> logins1 = new EnumMap<>(Pos.class);
        final Map<Pos, String> logins2 = new EnumMap<>(Pos.class);
        final Instant due = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        String spare;
        String assistant;
        long customer;
        long archivable;
        long reassignable;
        long colleagueCustomer;
        long contact;
        long archivableContact;
        long activity;
        long archivableActivity;
        long toApprove;
        long toReject;
        long toWithdraw;
        long token;
        long revocableToken;
        long opportunity;
        long oppMove;
        long oppWin;
        long oppLose;
        long oppArchive;
        long order;
        int s2Opportunities;
        String repository;
        private int counter;

        String unique() {
            return (++counter) + "-" + hex8();
        }

        String login(int subsidiary, Pos p) {
            return p == Pos.GROUP_ADMIN ? ADMIN : (subsidiary == 1 ? logins1 : logins2).get(p);
        }

        /** The caller of that position in subsidiary 1 or 2 (the group administrator acts there by the header). */
        RestClient client(int subsidiary, Pos p) {
            String code = subsidiary == 1 ? s1 : s2;
            return p == Pos.GROUP_ADMIN ? admin.in(code) : anonymous.as(login(subsidiary, p), PASSWORD);
        }

        String period() {
            LocalDate today = LocalDate.now();
            return "?from=" + today.minusDays(30) + "&to=" + today.plusDays(1);
        }

        Map<String, Object> newUser(String home) {
            return obj("login", "new-" + unique() + "-" + s1.toLowerCase(Locale.ROOT), "displayName", "New " + s1,
                    "password", PASSWORD, "homeSubsidiary", home);
        }

        Map<String, Object> approvalRequest(String what) {
            return approvalAbout(customer, what);
        }

        Map<String, Object> approvalAbout(long customerId, String what) {
            return obj("type", "discount", "subjectType", "customer", "subjectId", String.valueOf(customerId),
                    "summary", "Discount " + s1 + " " + what, "steps", List.of(obj("role", "manager")));
        }

        Map<String, Object> opportunity(String what, long customerId) {
            return obj("customerId", customerId, "title", "Deal " + s1 + " " + what, "amount", "1000.00", "currency", "CNY");
        }

        Map<String, Object> order(Map<String, Object> ref) {
            Map<String, Object> o = new LinkedHashMap<>(ref);
            o.put("currency", "CNY");
            o.put("lines", List.of(obj("productLine", "line-" + s1.toLowerCase(Locale.ROOT),
                    "description", "Forklift " + s1, "quantity", 1, "unitPrice", "1000.00")));
            return o;
        }

        long version(String path) {
            Response r = admin.in(s1).get(path);
            assertEquals(path + ": " + r, 200, r.status());
            return r.json().path("version").asLong();
        }

        long contactVersion() {
            for (JsonNode c : admin.in(s1).get("/customers/" + customer + "/contacts").json()) {
                if (c.path("id").asLong() == contact) {
                    return c.path("version").asLong();
                }
            }
            throw new AssertionError("contact " + contact + " not found");
        }

        World build() throws Exception {
            assertTrue("health did not report UP", await(120, TimeUnit.SECONDS,
                    () -> anonymous.get("/health").status() == 200));
            assertTrue(await(30, TimeUnit.SECONDS, () -> admin.get("/subsidiaries").status() == 200));
            for (String code : List.of(s1, s2)) {
                created(admin.post("/subsidiaries", obj("code", code, "name", "Matrix " + code)));
            }
            Map<Pos, String> roles = Map.of(Pos.ADMIN, "subsidiary-admin", Pos.MANAGER, "manager", Pos.REP, "user",
                    Pos.REP2, "user");
            Map<Pos, String> prefixes = Map.of(Pos.ADMIN, "admin", Pos.MANAGER, "manager", Pos.REP, "owner",
                    Pos.REP2, "colleague");
            for (Pos p : List.of(Pos.ADMIN, Pos.MANAGER, Pos.REP, Pos.REP2)) {
                logins1.put(p, user(s1, prefixes.get(p), roles.get(p)));
                logins2.put(p, user(s2, prefixes.get(p), roles.get(p)));
            }
            spare = user(s1, "spare", "user");
            assistant = user(s1, "assistant", "sales-assistant");
            enablePipeline();

            // S1: the rep's records, one of each for every operation that uses one up
            RestClient rep = client(1, Pos.REP);
            customer = idOf(rep.post("/customers", obj("name", "Owned " + s1 + " main")));
            archivable = idOf(rep.post("/customers", obj("name", "Owned " + s1 + " archivable")));
            reassignable = idOf(rep.post("/customers", obj("name", "Owned " + s1 + " reassignable")));
            colleagueCustomer = idOf(client(1, Pos.REP2).post("/customers", obj("name", "Colleague's " + s1)));
            contact = idOf(rep.post("/customers/" + customer + "/contacts", obj("name", "Contact " + s1 + " main")));
            archivableContact = idOf(rep.post("/customers/" + customer + "/contacts", obj("name", "Contact " + s1 + " gone")));
            activity = idOf(rep.post("/customers/" + customer + "/activities", obj("type", "CALL",
                    "subject", "Call " + s1 + " main", "dueAt", due.toString())));
            archivableActivity = idOf(rep.post("/customers/" + customer + "/activities", obj("type", "NOTE",
                    "subject", "Note " + s1 + " gone", "dueAt", due.toString())));
            toApprove = idOf(rep.post("/approvals", approvalRequest("to approve")));
            toReject = idOf(rep.post("/approvals", approvalRequest("to reject")));
            toWithdraw = idOf(rep.post("/approvals", approvalRequest("to withdraw")));
            token = idOf(rep.post("/tokens", obj("name", "Token " + s1 + " main")));
            revocableToken = idOf(rep.post("/tokens", obj("name", "Token " + s1 + " revocable")));
            RestClient manager = client(1, Pos.MANAGER);
            ok(manager.put("/pipeline/stages", stages(s1)));
            ok(manager.put("/pipeline/commission-rates", rates(s1, "0.1")));
            ok(manager.put("/pipeline/settings", obj("stalledDays", S1_STALLED_DAYS)));
            opportunity = idOf(rep.post("/pipeline/opportunities", opportunity("main", customer)));
            oppMove = idOf(rep.post("/pipeline/opportunities", opportunity("to move", customer)));
            oppWin = idOf(rep.post("/pipeline/opportunities", opportunity("to win", customer)));
            oppLose = idOf(rep.post("/pipeline/opportunities", opportunity("to lose", customer)));
            oppArchive = idOf(rep.post("/pipeline/opportunities", opportunity("to archive", customer)));
            order = idOf(rep.post("/pipeline/orders", order(obj("customerId", customer))));
            created(manager.post("/pipeline/opportunities/" + opportunity + "/comments", obj("text", "Comment " + s1)));

            // S2: records of its own, so that its lists answer something
            RestClient rep2 = client(2, Pos.REP);
            long customer2 = idOf(rep2.post("/customers", obj("name", "Owned " + s2 + " main")));
            idOf(rep2.post("/customers/" + customer2 + "/contacts", obj("name", "Contact " + s2)));
            idOf(rep2.post("/customers/" + customer2 + "/activities", obj("type", "CALL", "subject", "Call " + s2,
                    "dueAt", due.toString())));
            idOf(rep2.post("/approvals", obj("type", "discount", "subjectType", "customer", "subjectId", String.valueOf(customer2),
                    "summary", "Discount " + s2, "steps", List.of(obj("role", "manager")))));
            idOf(rep2.post("/tokens", obj("name", "Token " + s2)));
            RestClient manager2 = client(2, Pos.MANAGER);
            ok(manager2.put("/pipeline/stages", stages(s2)));
            ok(manager2.put("/pipeline/commission-rates", rates(s2, "0.1")));
            ok(manager2.put("/pipeline/settings", obj("stalledDays", S2_STALLED_DAYS)));
            long opportunity2 = idOf(rep2.post("/pipeline/opportunities", obj("customerId", customer2,
                    "title", "Deal " + s2, "amount", "500.00", "currency", "CNY")));
            s2Opportunities = 1;
            idOf(rep2.post("/pipeline/orders", obj("customerId", customer2, "currency", "CNY", "lines",
                    List.of(obj("productLine", "line-" + s2.toLowerCase(Locale.ROOT), "description", "Forklift " + s2,
                            "quantity", 1, "unitPrice", "500.00")))));

            repository = pluginRepository();
            settle();
            // the main opportunities have been without activity for 3 days: stalled for ?days=2, not for the
            // subsidiaries' own settings, so the reminder job leaves them alone
            assertTrue("the main opportunities did not become stalled", await(20, TimeUnit.SECONDS, () -> {
                backdate(List.of(opportunity, opportunity2));
                return rep.get("/pipeline/stalled?days=2").text().contains("\"id\":" + opportunity)
                        && rep2.get("/pipeline/stalled?days=2").text().contains("\"id\":" + opportunity2);
            }));
            settle();
            return this;
        }

        private void enablePipeline() {
            Response installed = admin.post("/admin/plugins/" + PLUGIN, obj());
            assertTrue(installed.toString(), installed.status() == 200
                    || (installed.status() == 409 && installed.text().contains("plugin_installed")));
            for (String code : List.of(s1, s2)) {
                assertTrue("pipeline not ON in " + code, await(90, TimeUnit.SECONDS,
                        () -> admin.put("/subsidiaries/" + code + "/modules/" + MODULE, obj("state", "ON")).status() == 200));
            }
            RestClient rep = client(1, Pos.REP);
            assertTrue("pipeline application not live", await(60, TimeUnit.SECONDS,
                    () -> rep.get("/pipeline/stages").status() == 200));
        }

        private String user(String code, String prefix, String role) {
            String login = prefix + "-" + code.toLowerCase(Locale.ROOT);
            created(admin.post("/users", obj("login", login, "displayName", prefix + " of " + code, "password", PASSWORD,
                    "homeSubsidiary", code, "roles", List.of(role))));
            return login;
        }

        private void backdate(List<Long> opportunities) {
            try (Connection c = dataSource().getConnection();
                    PreparedStatement p = c.prepareStatement("UPDATE pipeline_opportunity SET last_activity_at ="
                            + " now() - interval '3 days' WHERE id = ?")) {
                for (long id : opportunities) {
                    p.setLong(1, id);
                    p.executeUpdate();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        private String pluginRepository() {
            ServiceReference<FeaturesService> ref = context.getServiceReference(FeaturesService.class);
            try {
                FeaturesService features = context.getService(ref);
                for (Repository r : features.listRepositories()) {
                    for (Feature f : r.getFeatures()) {
                        if (PLUGIN.equals(f.getName())) {
                            return r.getURI().toString();
                        }
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                context.ungetService(ref);
            }
            throw new AssertionError("no features repository offers " + PLUGIN);
        }
    }

    private static String hex8() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    private static void created(Response r) {
        assertEquals(r.text(), 201, r.status());
    }

    private static void ok(Response r) {
        assertEquals(r.text(), 200, r.status());
    }

    private static long idOf(Response r) {
        created(r);
        return r.json().path("id").asLong();
    }

    private synchronized World world() throws Exception {
        if (shared == null) {
            shared = new World().build();
        }
        return shared;
    }

    // ------------------------------------------------------------------ the tests

    @Test
    public void everyOperationHasARowAndEveryRowAnOperation() throws Exception {
        World w = world();
        Response doc = w.admin.get("/openapi.json");
        assertEquals(doc.text(), 200, doc.status());
        Set<String> operations = new TreeSet<>();
        Set<String> documentedPublic = new TreeSet<>();
        doc.json().path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (HTTP_METHODS.contains(op.getKey())) {
                String key = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
                operations.add(key);
                JsonNode security = op.getValue().path("security");
                if (security.isArray() && security.isEmpty()) {
                    documentedPublic.add(key);
                }
            }
        }));
        Set<String> moduleOperations = moduleOperations();
        assertTrue("no operation of the pipeline's application was found: " + moduleOperations,
                moduleOperations.stream().anyMatch(o -> o.contains(API + "/" + MODULE + "/")));
        operations.addAll(moduleOperations);

        Set<String> rows = new TreeSet<>();
        Set<String> duplicates = new TreeSet<>();
        Set<String> tablePublic = new TreeSet<>();
        for (Row r : matrix()) {
            if (!rows.add(r.op())) {
                duplicates.add(r.op());
            }
            if (r.kind == Kind.PUBLIC) {
                tablePublic.add(r.op());
            }
        }
        Set<String> missing = new TreeSet<>(operations);
        missing.removeAll(rows);
        Set<String> stale = new TreeSet<>(rows);
        stale.removeAll(operations);
        assertTrue("operations of the API without a row in the security matrix: " + missing, missing.isEmpty());
        assertTrue("rows of the security matrix for operations the API does not have: " + stale, stale.isEmpty());
        assertTrue("operations with two rows: " + duplicates, duplicates.isEmpty());
        assertEquals("public operations: the matrix and the OpenAPI document disagree", documentedPublic, tablePublic);
        assertEquals(Set.of("GET /api/v1/health"), tablePublic);

        // every position is classified in every row: allowed, or refused with a status
        List<String> unclassified = new ArrayList<>();
        for (Row r : matrix()) {
            if (r.kind == Kind.PUBLIC) {
                continue;
            }
            Set<Pos> classified = EnumSet.noneOf(Pos.class);
            classified.addAll(r.allowed);
            r.cases.stream().filter(c -> c.check() == Check.WRONG_POSITION).forEach(c -> classified.add(c.pos()));
            if (!classified.equals(EVERYONE)) {
                Set<Pos> open = EnumSet.allOf(Pos.class);
                open.removeAll(classified);
                unclassified.add(r.op() + ": " + open);
            }
        }
        assertTrue("positions neither allowed nor refused: " + unclassified, unclassified.isEmpty());
        LOG.info("security matrix: {} operations ({} of module applications)", operations.size(), moduleOperations.size());
    }

    @Test
    public void withoutCredentialsEveryOperationIs401AndWritesNothing() throws Exception {
        World w = world();
        settle();
        Matrix m = new Matrix(w, Check.NO_CREDENTIALS);
        for (Row r : matrix()) {
            m.row(r, () -> {
                Response a = m.send(r, w.anonymous, null, null, "no credentials");
                if (r.kind == Kind.PUBLIC) {
                    m.expect(r, "no credentials", a, r.ok, null);
                    return;
                }
                if (m.expect(r, "no credentials", a, 401, "unauthorized")) {
                    String challenge = a.header("WWW-Authenticate");
                    m.require(r, "no credentials", challenge != null && challenge.startsWith("Basic"),
                            "no Basic challenge: " + challenge);
                }
            });
        }
        m.done();
    }

    @Test
    public void anotherSubsidiarysUsersFindNoneOfItsRecords() throws Exception {
        World w = world();
        settle();
        Matrix m = new Matrix(w, Check.OTHER_SUBSIDIARY);
        String s1 = w.s1.toLowerCase(Locale.ROOT);
        for (Row r : matrix()) {
            m.row(r, () -> {
                Set<Pos> counterparts = EnumSet.copyOf(r.allowed.isEmpty() ? EnumSet.of(Pos.ADMIN) : r.allowed);
                counterparts.remove(Pos.GROUP_ADMIN);
                switch (r.kind) {
                    case RECORD -> {
                        for (Pos p : counterparts) {
                            String who = "S2 " + p;
                            Response a = m.send(r, w.client(2, p), null, null, who);
                            if (m.expect(r, who, a, 404, "not_found")) {
                                m.require(r, who, !"no such resource".equals(a.json().path("message").asText()),
                                        "the path was not matched: " + a);
                            }
                        }
                    }
                    case LIST -> {
                        for (Pos p : counterparts) {
                            String who = "S2 " + p;
                            Response a = m.send(r, w.client(2, p), null, null, who);
                            if (m.expect(r, who, a, r.ok, null)) {
                                m.noneOf(r, who, a, s1, r.ids == null ? Set.of() : r.ids.apply(w));
                                if (r.sees.contains(p)) {
                                    m.require(r, who, a.text().toLowerCase(Locale.ROOT)
                                            .contains(w.s2.toLowerCase(Locale.ROOT)), "shows none of S2's own: " + a);
                                }
                                if (r.otherAnswer != null) {
                                    m.require(r, who, r.otherAnswer.apply(w, a) == null, r.otherAnswer.apply(w, a));
                                }
                            }
                        }
                    }
                    case SUBSIDIARY -> {
                        // a subsidiary's code names the subsidiary itself: another one's administrators are refused,
                        // exactly as for a code that does not exist, so the answer tells nothing about S1
                        String who = "S2 ADMIN";
                        Response a = m.send(r, w.client(2, Pos.ADMIN), null, null, who);
                        if (m.expect(r, who, a, 403, "forbidden")) {
                            Map<String, Object> nowhere = new LinkedHashMap<>(r.params.apply(w));
                            nowhere.put("code", "NOPE" + hex8());
                            Response none = w.client(2, Pos.ADMIN).call(r.method, m.url(r, nowhere, r.query.apply(w)),
                                    r.body.apply(w));
                            m.require(r, who, none.status() == a.status(), "S1's code is answered " + a.status()
                                    + ", a code that does not exist " + none.status());
                        }
                    }
                    default -> { }
                }
                for (Case c : r.cases) {
                    if (c.check() != Check.OTHER_SUBSIDIARY) {
                        continue;
                    }
                    String who = "S2 " + c.pos() + m.variant(c);
                    Response a = m.send(r, w.client(2, c.pos()), c.query(), c.body(), who);
                    if (m.expect(r, who, a, c.status(), c.status() == 404 ? "not_found" : c.error()) && c.status() < 300) {
                        if (c.answer() != null) {
                            String problem = c.answer().apply(w, a);
                            m.require(r, who, problem == null, problem);
                        } else {
                            m.noneOf(r, who, a, s1, r.ids == null ? Set.of() : r.ids.apply(w));
                        }
                    }
                }
            });
        }
        m.done();
    }

    @Test
    public void theSubsidiaryHeaderCannotNameAnotherSubsidiary() throws Exception {
        World w = world();
        settle();
        Matrix m = new Matrix(w, Check.HEADER);
        for (Row r : matrix()) {
            if (r.kind == Kind.PUBLIC) {
                continue;
            }
            m.row(r, () -> {
                for (Pos p : List.of(Pos.ADMIN, Pos.MANAGER, Pos.REP)) {
                    String who = "S2 " + p + " with X-Subsidiary " + w.s1;
                    m.expect(r, who, m.send(r, w.client(2, p).in(w.s1), null, null, who), 403,
                            "subsidiary_not_allowed");
                }
            });
        }
        // the header is compared as sent: no case or blank folding lets S1 through; the own code works
        Row customers = matrix().stream().filter(r -> r.op().equals("GET /api/v1/customers")).findFirst().orElseThrow();
        m.row(customers, () -> {
            for (String header : List.of(w.s1.toLowerCase(Locale.ROOT), " " + w.s1 + " ", w.s1 + "," + w.s2)) {
                String who = "S2 ADMIN with X-Subsidiary '" + header + "'";
                m.expect(customers, who, m.send(customers, w.client(2, Pos.ADMIN).in(header), null, null, who),
                        403, "subsidiary_not_allowed");
            }
            Response own = m.send(customers, w.client(2, Pos.ADMIN).in(w.s2), null, null, "S2 ADMIN in S2");
            if (m.expect(customers, "S2 ADMIN with X-Subsidiary " + w.s2, own, 200, null)) {
                m.noneOf(customers, "S2 ADMIN in S2", own, w.s1.toLowerCase(Locale.ROOT), Set.of(w.customer));
            }
        });
        m.done();
    }

    @Test
    public void wrongPositionsAreRefusedUnderTheCurrentRules() throws Exception {
        World w = world();
        settle();
        Matrix m = new Matrix(w, Check.WRONG_POSITION);
        String rep = w.login(1, Pos.REP).toLowerCase(Locale.ROOT);
        for (Row r : matrix()) {
            m.row(r, () -> {
                for (Case c : r.cases) {
                    if (c.check() == Check.WRONG_POSITION) {
                        String who = "S1 " + c.pos() + m.variant(c);
                        Response a = m.send(r, w.client(1, c.pos()), c.query(), c.body(), who);
                        String error = c.error() != null ? c.error() : c.status() == 404 ? "not_found" : "forbidden";
                        m.expect(r, who, a, c.status(), error);
                    } else if (c.check() == Check.NARROWER_SCOPE) {
                        String who = "S1 " + c.pos() + m.variant(c);
                        Response a = m.send(r, w.client(1, c.pos()), c.query(), c.body(), who);
                        if (m.expect(r, who, a, 200, null)) {
                            String problem = c.answer().apply(w, a);
                            m.require(r, who, problem == null, problem);
                        }
                    }
                }
                if (r.ownerScoped && r.allowed.contains(Pos.REP2)) {
                    // the colleague's own answer: none of the owning rep's records, by login or id
                    Response a = m.send(r, w.client(1, Pos.REP2), null, null, "S1 REP2");
                    if (m.expect(r, "S1 REP2", a, r.ok, null)) {
                        m.noneOf(r, "S1 REP2", a, rep, r.ids.apply(w));
                    }
                }
            });
        }
        m.done();
    }

    @Test
    public void rightCallersSucceedWithTheSameRequests() throws Exception {
        World w = new World().build();
        Matrix m = new Matrix(w, Check.CONTROL);
        for (Row r : matrix()) {
            Map<String, String> before = r.writes ? fingerprint() : null;
            m.row(r, () -> {
                List<Pos> callers = new ArrayList<>();
                if (r.kind == Kind.PUBLIC) {
                    callers.add(null);
                } else if (r.writes) {
                    // the narrowest position allowed, e.g. the owning rep rather than an administrator
                    callers.add(List.copyOf(r.allowed).get(r.allowed.size() - 1));
                } else {
                    callers.addAll(r.allowed);
                }
                for (Pos p : callers) {
                    String who = p == null ? "no credentials" : "S1 " + p;
                    Response a = m.send(r, p == null ? w.anonymous : w.client(1, p), null, null, who);
                    if (m.expect(r, who, a, r.ok, r.okError) && r.sees.contains(p)) {
                        m.require(r, who, a.text().toLowerCase(Locale.ROOT).contains(w.s1.toLowerCase(Locale.ROOT)),
                                "shows none of the subsidiary's records: " + a);
                    }
                }
            });
            if (before != null) {
                m.require(r, "write", !before.equals(fingerprint()), "the allowed request wrote nothing");
            }
        }
        settle();
        m.done();
    }

    // ------------------------------------------------------------------ running the cases

    /** Runs one kind of check over the rows, collecting every failure, and proves refusals wrote nothing. */
    final class Matrix {
        private final World w;
        private final Check check;
        private final List<String> failures = new ArrayList<>();
        private final long start = System.nanoTime();
        private int checks;
        private int operations;

        Matrix(World w, Check check) {
            this.w = w;
            this.check = check;
        }

        void row(Row r, Runnable cases) {
            operations++;
            Map<String, String> before = check != Check.CONTROL && r.writes ? fingerprint() : null;
            try {
                cases.run();
            } catch (RuntimeException | AssertionError e) {
                failures.add(check + " " + r.op() + ": " + e);
            }
            if (before != null) {
                Map<String, String> after = fingerprint();
                if (!before.equals(after)) {
                    Set<String> changed = new TreeSet<>();
                    after.forEach((t, f) -> {
                        if (!f.equals(before.get(t))) {
                            changed.add(t);
                        }
                    });
                    failures.add(check + " " + r.op() + ": refused requests wrote to " + changed);
                }
            }
        }

        String url(Row r, Map<String, Object> params, String query) {
            String path = r.path.substring(API.length());
            Matcher names = Pattern.compile("\\{([^}]+)}").matcher(path);
            StringBuilder url = new StringBuilder();
            while (names.find()) {
                Object value = params.get(names.group(1));
                if (value == null) {
                    throw new AssertionError(r.op() + ": no value for {" + names.group(1) + "}");
                }
                names.appendReplacement(url, Matcher.quoteReplacement(
                        URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8)));
            }
            names.appendTail(url);
            return url + query;
        }

        Response send(Row r, RestClient client, Function<World, String> query, Function<World, Object> body,
                String who) {
            checks++;
            String q = query != null ? query.apply(w) : r.query.apply(w);
            Object b = body != null ? body.apply(w) : r.body.apply(w);
            return client.call(r.method, url(r, r.params.apply(w), q), b);
        }

        String variant(Case c) {
            StringBuilder v = new StringBuilder();
            if (c.query() != null) {
                v.append(" with ").append(c.query().apply(w));
            }
            if (c.body() != null) {
                v.append(" with body ").append(truncate(String.valueOf(c.body().apply(w))));
            }
            return v.toString();
        }

        /** @return whether the answer had the status (and error code, unless null) */
        boolean expect(Row r, String who, Response a, int status, String error) {
            if (a.status() != status) {
                failures.add(check + " " + r.op() + " as " + who + ": expected " + status
                        + (error == null ? "" : " " + error) + ", got " + a.status() + " " + truncate(a.text()));
                return false;
            }
            if (status >= 400) {
                JsonNode body = parse(a);
                String contentType = String.valueOf(a.header("Content-Type"));
                if (body == null || !body.path("error").isTextual() || !body.path("message").isTextual()
                        || !contentType.startsWith("application/json")) {
                    failures.add(check + " " + r.op() + " as " + who + ": " + status + " without the JSON error shape: "
                            + contentType + " " + truncate(a.text()));
                    return false;
                }
                if (error != null && !error.equals(body.path("error").asText())) {
                    failures.add(check + " " + r.op() + " as " + who + ": expected error " + error + ", got "
                            + truncate(a.text()));
                    return false;
                }
            } else if (error != null && !a.text().contains(error)) {
                failures.add(check + " " + r.op() + " as " + who + ": " + status + " without " + error);
                return false;
            }
            return true;
        }

        void require(Row r, String who, boolean condition, String problem) {
            checks++;
            if (!condition) {
                failures.add(check + " " + r.op() + " as " + who + ": " + problem);
            }
        }

        /** The answer names no record of the marker's (by code or login) and holds none of the ids. */
        void noneOf(Row r, String who, Response a, String marker, Collection<Long> ids) {
            String text = a.text().toLowerCase(Locale.ROOT);
            require(r, who, !text.contains(marker), "shows rows of " + marker + ": " + truncate(a.text()));
            JsonNode body = parse(a);
            if (body == null || ids.isEmpty()) {
                return;
            }
            JsonNode items = body.isArray() ? body : body.path("items");
            Set<Long> shown = new HashSet<>();
            items.forEach(i -> {
                shown.add(i.path("id").asLong(-1));
                if (i.has("orderId")) {
                    shown.add(i.path("orderId").asLong(-1));
                }
            });
            body.path("reps").forEach(rep -> rep.path("orders").forEach(o -> shown.add(o.path("orderId").asLong(-1))));
            shown.retainAll(ids);
            require(r, who, shown.isEmpty(), "shows ids " + shown + " of another owner or subsidiary");
        }

        void done() {
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            LOG.info("security matrix, {}: {} operations, {} checks, {} failures, {} s", check, operations, checks,
                    failures.size(), seconds);
            assertTrue(failures.size() + " failures:\n" + String.join("\n", failures), failures.isEmpty());
        }
    }

    private static JsonNode parse(Response a) {
        try {
            return a.json();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String truncate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    // ------------------------------------------------------------------ the product's own list of operations

    /**
     * The operations of every module application ({@code /api/v1/<module>}), read from the JAX-RS annotations of the
     * resources registered with it, as the core's OpenAPI document is built for the core application (which it alone
     * covers). Annotations are matched by name, so the test needs no JAX-RS API of its own.
     */
    private Set<String> moduleOperations() throws Exception {
        Set<String> operations = new TreeSet<>();
        Pattern moduleApp = Pattern.compile("\\(osgi\\.jaxrs\\.name=crm-module-([a-z0-9-]+)\\)");
        ServiceReference<?>[] refs = context.getAllServiceReferences(null, "(osgi.jaxrs.resource=true)");
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            Object select = ref.getProperty("osgi.jaxrs.application.select");
            String filter = select instanceof String[] a ? String.join(" ", a) : String.valueOf(select);
            Matcher m = moduleApp.matcher(filter);
            if (!m.find()) {
                continue;
            }
            Class<?> type = ref.getBundle().loadClass(((String[]) ref.getProperty(Constants.OBJECTCLASS))[0]);
            String classPath = annotationValue(type.getAnnotations(), "javax.ws.rs.Path");
            if (classPath == null) {
                continue;
            }
            for (Method method : type.getMethods()) {
                String http = httpMethod(method.getAnnotations());
                if (http == null) {
                    continue;
                }
                String methodPath = annotationValue(method.getAnnotations(), "javax.ws.rs.Path");
                String path = (API + "/" + m.group(1) + "/" + classPath + "/" + (methodPath == null ? "" : methodPath))
                        .replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}").replaceAll("/{2,}", "/");
                operations.add(http + " " + (path.endsWith("/") ? path.substring(0, path.length() - 1) : path));
            }
        }
        return operations;
    }

    private static String httpMethod(Annotation[] annotations) {
        for (Annotation a : annotations) {
            String verb = annotationValue(a.annotationType().getAnnotations(), "javax.ws.rs.HttpMethod");
            if (verb != null) {
                return verb;
            }
        }
        return null;
    }

    private static String annotationValue(Annotation[] annotations, String type) {
        for (Annotation a : annotations) {
            if (a.annotationType().getName().equals(type)) {
                try {
                    return String.valueOf(a.annotationType().getMethod("value").invoke(a));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ nothing written

    private DataSource dataSource() {
        try {
            Collection<ServiceReference<DataSource>> refs = context.getServiceReferences(DataSource.class,
                    "(osgi.jndi.service.name=crm)");
            return context.getService(refs.iterator().next());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A digest of every row of every table of the CRM's schema, by table. */
    private Map<String, String> fingerprint() {
        Map<String, String> digest = new TreeMap<>();
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg(md5(t::text), ','"
                        + " ORDER BY md5(t::text))), '') FROM \"" + t.replace("\"", "\"\"") + "\" t")) {
                    rs.next();
                    digest.put(t, rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return digest;
    }

    /** Waits until the events of the fixture's writes have been handled: two fingerprints half a second apart agree. */
    private void settle() throws InterruptedException {
        Map<String, String> last = fingerprint();
        for (int i = 0; i < 40; i++) {
            TimeUnit.MILLISECONDS.sleep(500);
            Map<String, String> now = fingerprint();
            if (now.equals(last)) {
                return;
            }
            last = now;
        }
    }
}
