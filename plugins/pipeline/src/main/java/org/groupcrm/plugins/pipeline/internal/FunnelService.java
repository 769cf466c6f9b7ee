package org.groupcrm.plugins.pipeline.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.ForbiddenException;
import org.groupcrm.plugins.pipeline.internal.StageRepository.Stage;
import org.groupcrm.plugins.pipeline.internal.Stages.Outcome;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.RightsService;
import org.groupcrm.core.api.user.UserDTO;
import org.groupcrm.core.api.user.UserService;
import org.groupcrm.core.api.ValidationException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Funnel analysis of a scope for a period (see {@link FunnelDTO} for the definition of every figure). Read only.
 * <p>
 * Everything but the stage list comes from one SQL statement, so all figures are taken from one snapshot. Each part of
 * it is an index-only range scan on a covering index of the change set pipeline-3: the cohort and the ids of the
 * scope ({@code ix_pipeline_opp_funnel_cohort}), open now ({@code ix_pipeline_opp_funnel_open}), closed within the
 * period ({@code ix_pipeline_opp_funnel_closed}), the stages the cohort entered ({@code
 * ix_pipeline_history_funnel_cohort}, by the history rows' derived {@code opportunity_created_at}) and the stays ended
 * within the period ({@code ix_pipeline_history_funnel_stay}, by the rows' derived {@code stay_stage_id} and {@code
 * stay_started_at}). The derived columns are kept by triggers of the same change set under every write, so nothing
 * here looks rows up one opportunity at a time. Measured by {@code FunnelBench} (bench/README.md).
 */
@Component(service = FunnelService.class)
public class FunnelService {
    /** Longest period that may be analysed, in days (both ends included): a leap year. */
    public static final int MAX_DAYS = 366;
    private static final Pattern ISO_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final BigDecimal SECONDS_PER_DAY = BigDecimal.valueOf(86_400);
    private static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);

    @Reference
    PipelineModule module;

    @Reference
    RightsService rights;

    @Reference
    UserService users;

    private final Db db;

    public FunnelService() {
        this.db = null;
    }

    /**
     * Without OSGi (tests, benchmarks), checking {@code rights}; {@code users} answers team questions (may be null
     * where no team is asked).
     */
    FunnelService(Db db, RightsService rights, UserService users) {
        this(db, rights);
        this.users = users;
    }

    /** Without OSGi (tests, benchmarks), checking {@code rights}. */
    FunnelService(Db db, RightsService rights) {
        this.db = db;
        this.rights = rights;
    }

    private Db db() {
        return db != null ? db : module.db();
    }

    /** The validated query parameters; at most one of {@code owner} and {@code team}. */
    public record Query(LocalDate from, LocalDate to, String owner, String team) {
    }

    /** Whose opportunities are analysed: everyone's of the subsidiary ({@code owners == null}), one rep's, or a team's. */
    record Scope(String owner, String team, List<String> owners) {
        static final Scope SUBSIDIARY = new Scope(null, null, null);

        static Scope of(String owner) {
            return owner == null ? SUBSIDIARY : new Scope(owner, null, List.of(owner));
        }
    }

    /**
     * Converts the query parameters as the client sent them.
     *
     * @throws org.groupcrm.core.api.ValidationException naming {@code from}, {@code to} or {@code owner}: dates that
     *         are missing or not ISO dates ({@code 2026-07-01}), {@code to} before {@code from}, a period longer than
     *         {@value #MAX_DAYS} days, a blank or over-long owner
     */
    public static Query parse(String from, String to, String owner) {
        return parse(from, to, owner, null);
    }

    /**
     * As {@link #parse(String, String, String)}, with a team code.
     *
     * @throws org.groupcrm.core.api.ValidationException also naming {@code team}: malformed, or given with an owner
     */
    public static Query parse(String from, String to, String owner, String team) {
        Checks checks = new Checks();
        LocalDate f = date(checks, "from", from);
        LocalDate t = date(checks, "to", to);
        if (f != null && t != null) {
            if (t.isBefore(f)) {
                checks.fail("to", "must not be before from");
            } else if (ChronoUnit.DAYS.between(f, t) + 1 > MAX_DAYS) {
                checks.fail("to", "the period must be at most " + MAX_DAYS + " days, both ends included");
            }
        }
        if (owner != null) {
            checks.text("owner", owner, 64);
        }
        if (team != null) {
            if (owner != null) {
                checks.fail("team", "give either owner or team, not both");
            } else if (team.isBlank() || team.strip().length() > 64) {
                checks.fail("team", team.isBlank() ? "must not be blank" : "must be at most 64 characters");
            } else if (!team.strip().matches(UserDTO.TEAM_PATTERN)) {
                checks.fail("team", UserDTO.TEAM_RULE);
            }
        }
        checks.done();
        return new Query(f, t, owner == null ? null : owner.strip(), team == null ? null : team.strip());
    }

    private static LocalDate date(Checks checks, String field, String value) {
        if (value == null || value.isBlank()) {
            checks.fail(field, "is required, an ISO date such as 2026-07-01");
            return null;
        }
        String v = value.strip();
        if (ISO_DATE.matcher(v).matches()) {
            try {
                return LocalDate.parse(v);
            } catch (DateTimeParseException e) {
                // falls through: e.g. 2026-02-30
            }
        }
        checks.fail(field, "must be an ISO date such as 2026-07-01");
        return null;
    }

    /**
     * The funnel of the caller's subsidiary for the period. Scope: {@code owner} given → that rep's opportunities (a
     * rep may only ask for themselves unless they see the whole subsidiary); no owner → the whole subsidiary for
     * managers, the caller's own opportunities for a rep.
     *
     * @throws org.groupcrm.core.api.ValidationException bad parameters (see {@link #parse})
     * @throws ForbiddenException a rep asking for somebody else's funnel
     */
    public FunnelDTO funnel(CallerContext caller, String from, String to, String owner) {
        return funnel(caller, from, to, owner, null);
    }

    /**
     * As {@link #funnel(CallerContext, String, String, String)}, or for a sales team of the subsidiary: the
     * opportunities owned by the team's members (users whose home is the subsidiary and whose team it is). Managers may
     * analyse any team; a rep only their own team, whose figures are aggregates.
     *
     * @throws org.groupcrm.core.api.ValidationException {@code team}: malformed, given with an owner, or no user of the
     *         subsidiary is in it
     * @throws ForbiddenException a rep asking for somebody else's funnel or another team's; or ({@code missing_right})
     *                            the caller lacks the QUERY right over {@link PipelineModule#OPPORTUNITY}
     */
    public FunnelDTO funnel(CallerContext caller, String from, String to, String owner, String team) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.OPPORTUNITY, Right.QUERY);
        Query q = parse(from, to, owner, team);
        Scope scope;
        if (q.team() != null) {
            if (!Access.seesSubsidiary(caller) && !q.team().equals(teamOf(caller.login()))) {
                throw new ForbiddenException("only managers of the subsidiary may analyse a team they are not in");
            }
            List<String> members = users.teamMembers(subsidiary, q.team());
            if (members.isEmpty()) {
                throw new ValidationException("team", "no user of subsidiary " + subsidiary + " is in team '" + q.team() + "'");
            }
            scope = new Scope(null, q.team(), members);
        } else if (Access.seesSubsidiary(caller)) {
            scope = Scope.of(q.owner());
        } else if (q.owner() == null || q.owner().equals(caller.login())) {
            scope = Scope.of(caller.login());
        } else {
            throw new ForbiddenException("only managers of the subsidiary may analyse another rep's funnel");
        }
        return db().read((c, e) -> compute(c, subsidiary, scope, q.from(), q.to()));
    }

    private String teamOf(String login) {
        return users.findByLogin(login).map(u -> u.team).orElse(null);
    }

    /** The funnel statement with its parameters. */
    record Sql(String text, List<Object> params) {
    }

    /**
     * One statement, one row per (figure, key): {@code kind} is cohort (key = status), reached, current and stay (key =
     * stage id) or closed (key = status); {@code n} the count, {@code amount} the sum of amounts, {@code extra} the
     * weighted amount (current) or the summed seconds (stay).
     */
    static Sql sql(String subsidiary, String owner, LocalDate from, LocalDate to) {
        return sql(subsidiary, Scope.of(owner), from, to);
    }

    /** As {@link #sql(String, String, LocalDate, LocalDate)}; a team's owners are one array parameter. */
    static Sql sql(String subsidiary, Scope scope, LocalDate from, LocalDate to) {
        OffsetDateTime start = from.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime end = to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        Object owner = scope.owners() == null ? null
                : scope.team() == null ? scope.owner() : scope.owners().toArray(new String[0]);
        String byOwner = owner == null ? "" : owner instanceof String ? " AND o.owner = ?" : " AND o.owner = ANY (?)";
        List<Object> params = new ArrayList<>();
        StringBuilder s = new StringBuilder();
        // the cohort: created within the period
        s.append("WITH cohort AS MATERIALIZED (SELECT o.id, o.amount, o.currency, o.status FROM pipeline_opportunity o"
                + " WHERE o.subsidiary = ? AND o.created_at >= ? AND o.created_at < ? AND NOT o.archived").append(byOwner)
                .append(")");
        add(params, owner, subsidiary, start, end);
        s.append(" SELECT 'cohort' AS kind, k.status::text AS key, k.currency::text AS currency, count(*) AS n,"
                + " sum(k.amount) AS amount, NULL::numeric AS extra FROM cohort k GROUP BY k.status, k.currency");
        // each stage a cohort opportunity entered, once: history rows carry their opportunity's creation time
        s.append(" UNION ALL SELECT 'reached', e.to_stage_id::text, NULL, count(*), sum(k.amount), NULL"
                + " FROM (SELECT DISTINCT h.opportunity_id, h.to_stage_id FROM pipeline_stage_history h"
                + " WHERE h.subsidiary = ? AND h.opportunity_created_at >= ? AND h.opportunity_created_at < ?) e"
                + " JOIN cohort k ON k.id = e.opportunity_id GROUP BY e.to_stage_id");
        params.add(subsidiary);
        params.add(start);
        params.add(end);
        // open now, whenever created
        s.append(" UNION ALL SELECT 'current', o.stage_id::text, o.currency::text, count(*), sum(o.amount),"
                + " sum(o.amount * o.probability) / 100 FROM pipeline_opportunity o"
                + " WHERE o.subsidiary = ? AND o.status = 'OPEN' AND NOT o.archived").append(byOwner)
                .append(" GROUP BY o.stage_id, o.currency");
        add(params, owner, subsidiary);
        // closed within the period, whenever created
        s.append(" UNION ALL SELECT 'closed', o.status::text, o.currency::text, count(*), sum(o.amount), NULL"
                + " FROM pipeline_opportunity o WHERE o.subsidiary = ? AND o.closed_at >= ? AND o.closed_at < ?"
                + " AND o.status IN ('WON', 'LOST') AND NOT o.archived").append(byOwner)
                .append(" GROUP BY o.status, o.currency");
        add(params, owner, subsidiary, start, end);
        // stays ended within the period: each history row ends the stay begun by the row before it, which the row
        // carries (stay_stage_id, stay_started_at; NULL for the creation); the opportunity must be in the scope (it
        // was created before the period's end)
        s.append(" UNION ALL SELECT 'stay', n.stay_stage_id::text, NULL, count(*), NULL,"
                + " sum(EXTRACT(EPOCH FROM n.changed_at - n.stay_started_at))"
                + " FROM pipeline_stage_history n WHERE n.subsidiary = ? AND n.changed_at >= ? AND n.changed_at < ?"
                + " AND n.stay_started_at IS NOT NULL AND n.opportunity_id IN (SELECT o.id FROM pipeline_opportunity o"
                + " WHERE o.subsidiary = ? AND o.created_at < ? AND NOT o.archived").append(byOwner).append(")"
                + " GROUP BY n.stay_stage_id");
        params.add(subsidiary);
        params.add(start);
        params.add(end);
        add(params, owner, subsidiary, end);
        return new Sql(s.toString(), params);
    }

    private static void add(List<Object> params, Object owner, Object... values) {
        params.addAll(List.of(values));
        if (owner != null) {
            params.add(owner);
        }
    }

    /** One row of the funnel statement. */
    private record Row(String kind, String key, String currency, long n, BigDecimal amount, BigDecimal extra) {
    }

    static FunnelDTO compute(Connection c, String subsidiary, String owner, LocalDate from, LocalDate to)
            throws SQLException {
        return compute(c, subsidiary, Scope.of(owner), from, to);
    }

    static FunnelDTO compute(Connection c, String subsidiary, Scope scope, LocalDate from, LocalDate to)
            throws SQLException {
        List<Stage> active = StageRepository.active(c, subsidiary);
        Sql sql = sql(subsidiary, scope, from, to);
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(sql.text())) {
            for (int i = 0; i < sql.params().size(); i++) {
                Object param = sql.params().get(i);
                if (param instanceof String[] texts) {
                    p.setArray(i + 1, c.createArrayOf("text", texts));
                } else {
                    p.setObject(i + 1, param);
                }
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getBigDecimal(5), rs.getBigDecimal(6)));
                }
            }
        }
        return assemble(subsidiary, scope, from, to, active, rows);
    }

    private static FunnelDTO assemble(String subsidiary, Scope scope, LocalDate from, LocalDate to,
            List<Stage> active, List<Row> rows) {
        FunnelDTO f = new FunnelDTO();
        f.from = from;
        f.to = to;
        f.scope = new FunnelDTO.Scope();
        f.scope.subsidiary = subsidiary;
        f.scope.owner = scope.owner();
        f.scope.team = scope.team();
        f.scope.members = scope.team() == null ? null : scope.owners();
        f.createdAmount = ZERO;
        f.wonAmount = ZERO;
        f.lostAmount = ZERO;
        f.openAmount = ZERO;
        f.weightedPipelineValue = ZERO;

        Map<String, FunnelDTO.Stage> byId = new HashMap<>();
        f.stages = new ArrayList<>();
        for (Outcome outcome : Outcome.values()) { // OPEN, WON, LOST: the order of the answer
            for (Stage s : active) {
                if (s.outcome() == outcome) {
                    FunnelDTO.Stage d = new FunnelDTO.Stage();
                    d.code = s.code();
                    d.name = s.name();
                    d.position = f.stages.size() + 1;
                    d.outcome = s.outcome();
                    d.probability = s.probability();
                    d.reachedAmount = ZERO;
                    d.currentAmount = ZERO;
                    f.stages.add(d);
                    byId.put(Long.toString(s.id()), d);
                }
            }
        }

        TreeSet<String> currencies = new TreeSet<>();
        for (Row r : rows) {
            if (r.currency() != null) {
                currencies.add(r.currency().strip());
            }
            FunnelDTO.Stage stage = byId.get(r.key());
            switch (r.kind()) {
                case "cohort" -> {
                    f.created += r.n();
                    f.createdAmount = f.createdAmount.add(r.amount());
                    switch (r.key()) {
                        case "WON" -> f.createdWon += r.n();
                        case "LOST" -> f.createdLost += r.n();
                        default -> f.createdOpen += r.n();
                    }
                }
                case "closed" -> {
                    if ("WON".equals(r.key())) {
                        f.won += r.n();
                        f.wonAmount = f.wonAmount.add(r.amount());
                    } else {
                        f.lost += r.n();
                        f.lostAmount = f.lostAmount.add(r.amount());
                    }
                }
                case "current" -> {
                    f.open += r.n();
                    f.openAmount = f.openAmount.add(r.amount());
                    f.weightedPipelineValue = f.weightedPipelineValue.add(r.extra());
                    if (stage != null) {
                        stage.current += r.n();
                        stage.currentAmount = stage.currentAmount.add(r.amount());
                    }
                }
                case "reached" -> {
                    if (stage != null) {
                        stage.reached = r.n();
                        stage.reachedAmount = r.amount().setScale(2, RoundingMode.HALF_UP);
                    }
                }
                case "stay" -> {
                    if (stage != null && r.n() > 0) {
                        stage.staysEnded = r.n();
                        stage.averageDaysInStage = r.extra().divide(SECONDS_PER_DAY.multiply(BigDecimal.valueOf(r.n())),
                                2, RoundingMode.HALF_UP).doubleValue();
                    }
                }
                default -> throw new IllegalStateException("unexpected funnel row " + r.kind());
            }
        }
        f.weightedPipelineValue = f.weightedPipelineValue.setScale(2, RoundingMode.HALF_UP);
        f.winRate = ratio(f.won, f.won + f.lost);

        for (int i = 0; i < f.stages.size(); i++) {
            FunnelDTO.Stage s = f.stages.get(i);
            if (s.outcome != Outcome.OPEN) {
                continue;
            }
            for (int j = i + 1; j < f.stages.size(); j++) {
                FunnelDTO.Stage next = f.stages.get(j);
                if (next.outcome != Outcome.LOST) {
                    s.conversionToNext = ratio(next.reached, s.reached);
                    break;
                }
            }
        }
        f.currencies = List.copyOf(currencies);
        if (currencies.size() > 1) {
            f.currencyNote = "amounts add up " + String.join(", ", currencies)
                    + " as they are, without conversion; compare them with care";
        }
        return f;
    }

    /** @return {@code part ÷ whole} with four decimals, or null when {@code whole} is 0 */
    private static Double ratio(long part, long whole) {
        return whole == 0 ? null
                : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP).doubleValue();
    }
}
