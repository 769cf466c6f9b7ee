package org.groupcrm.plugins.pipeline.internal;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.Page;
import org.groupcrm.core.api.PageRequest;
import org.groupcrm.core.api.user.Right;
import org.groupcrm.core.api.user.RightsService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Stalled opportunities and the subsidiary's pipeline settings.
 * <p>
 * An opportunity is stalled when it is OPEN, not archived, and its {@code last_activity_at} (its last change,
 * comment, or an activity recorded for its customer) lies at least {@code stalledDays} days back: it shows up in
 * the list on the day its count of whole days without activity reaches the setting.
 * <p>
 * Reminders: {@code stalled_reminded_at} is when the {@link StalledReminderJob} last reminded the owner. The owner
 * has been reminded of the current stall when it is not {@code null} and not before {@code last_activity_at}; any
 * later activity (the {@link ActivityListener} sets it back to {@code null}; a change of the opportunity moves
 * {@code last_activity_at} past it) makes the next stall a new one, reminded again.
 * <p>
 * Rights: the stalled list needs QUERY over {@link PipelineModule#OPPORTUNITY}; the settings are part of the
 * pipeline's configuration, read with QUERY and changed with MODIFY over {@link PipelineModule#STAGE}.
 */
@Component(service = StalledService.class)
public class StalledService {
    public static final int DEFAULT_STALLED_DAYS = 14;
    static final int MAX_STALLED_DAYS = 365;
    /** How long the listener waits for the event of a reminder the job is creating before forgetting it. */
    static final Duration OWN_REMINDER_TTL = Duration.ofMinutes(10);

    @Reference
    PipelineModule module;

    @Reference
    RightsService rights;

    private Db db;
    private Clock clock = Clock.systemUTC();
    /** Reminders the job is creating, by subsidiary/customer/owner: the expiry of each. Guarded by itself. */
    private final Map<String, Deque<Instant>> ownReminders = new HashMap<>();

    public StalledService() {
    }

    /** For tests: works on the module's database and audit log with {@code clock}, checking {@code rights}. */
    StalledService(PipelineModule module, RightsService rights, Clock clock) {
        this.module = module;
        this.db = module.db();
        this.rights = rights;
        this.clock = clock;
    }

    @Activate
    void activate() {
        db = module.db();
    }

    Db db() {
        return db;
    }

    Instant now() {
        return clock.instant();
    }

    /** A stalled opportunity of the list. */
    public record StalledOpportunity(long id, String title, long customerId, String owner, BigDecimal amount,
            String currency, String stage, Instant lastActivityAt, long daysSinceActivity, Instant remindedAt) {
    }

    // ---- settings

    public SettingsDTO settings(CallerContext caller) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.STAGE, Right.QUERY);
        return SettingsDTO.of(db.read((c, e) -> stalledDays(c, subsidiary)));
    }

    /** Sets the subsidiary's settings (the MODIFY right over {@link PipelineModule#STAGE}). */
    public SettingsDTO saveSettings(CallerContext caller, SettingsDTO settings) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.STAGE, Right.MODIFY);
        Integer days = settings == null ? null : settings.stalledDays;
        new Checks().require(days != null, "stalledDays", "is required: days without activity after which an open"
                + " opportunity is stalled (1 to " + MAX_STALLED_DAYS + ")")
                .require(days == null || (days >= 1 && days <= MAX_STALLED_DAYS), "stalledDays",
                        "must be between 1 and " + MAX_STALLED_DAYS)
                .done();
        return db.tx((c, e) -> {
            int before = stalledDays(c, subsidiary);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO pipeline_settings (subsidiary, stalled_days)"
                    + " VALUES (?, ?) ON CONFLICT (subsidiary) DO UPDATE SET stalled_days = EXCLUDED.stalled_days")) {
                p.setString(1, subsidiary);
                p.setInt(2, days);
                p.executeUpdate();
            }
            module.auditConfiguration(c, caller, "settings", subsidiary, Map.of("stalledDays", before),
                    Map.of("stalledDays", days));
            return SettingsDTO.of(stalledDays(c, subsidiary));
        });
    }

    /** @return the subsidiary's stalled days, or the default when it has no settings */
    static int stalledDays(Connection c, String subsidiary) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT stalled_days FROM pipeline_settings WHERE subsidiary = ?")) {
            p.setString(1, subsidiary);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getInt(1) : DEFAULT_STALLED_DAYS;
            }
        }
    }

    // ---- the stalled list

    /**
     * @param days at least this many days without activity; {@code null} for the subsidiary's setting
     * @return one page of the stalled opportunities the caller sees (a rep their own, a manager the subsidiary's),
     *         longest without activity first
     */
    public Page<StalledOpportunity> list(CallerContext caller, Integer days, PageRequest page) {
        String subsidiary = caller.requireSubsidiary();
        rights.require(caller, PipelineModule.OPPORTUNITY, Right.QUERY);
        new Checks().require(days == null || (days >= 1 && days <= MAX_STALLED_DAYS), "days",
                "must be between 1 and " + MAX_STALLED_DAYS).done();
        String owner = Access.seesSubsidiary(caller) ? null : caller.login();
        Instant now = clock.instant();
        return db.read((c, e) -> {
            int n = days != null ? days : stalledDays(c, subsidiary);
            OffsetDateTime cutoff = utc(now.minus(Duration.ofDays(n)));
            String where = " WHERE o.subsidiary = ? AND o.status = 'OPEN' AND NOT o.archived"
                    + " AND o.last_activity_at <= ?" + (owner == null ? "" : " AND o.owner = ?");
            long total;
            try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM pipeline_opportunity o" + where)) {
                bind(p, subsidiary, cutoff, owner);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<StalledOpportunity> items = new ArrayList<>();
            if (total > page.offset()) {
                try (PreparedStatement p = c.prepareStatement("SELECT o.id, o.title, o.customer_id, o.owner, o.amount,"
                        + " o.currency, s.code, o.last_activity_at, o.stalled_reminded_at"
                        + " FROM pipeline_opportunity o JOIN pipeline_stage s ON s.id = o.stage_id" + where
                        + " ORDER BY o.last_activity_at, o.id LIMIT ? OFFSET ?")) {
                    int i = bind(p, subsidiary, cutoff, owner);
                    p.setInt(i++, page.size());
                    p.setLong(i, page.offset());
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            Instant last = instant(rs, 8);
                            Instant reminded = instant(rs, 9);
                            items.add(new StalledOpportunity(rs.getLong(1), rs.getString(2), rs.getLong(3),
                                    rs.getString(4), rs.getBigDecimal(5), rs.getString(6).strip(), rs.getString(7), last,
                                    Duration.between(last, now).toDays(),
                                    reminded != null && !reminded.isBefore(last) ? reminded : null));
                        }
                    }
                }
            }
            return new Page<>(items, total, page.page(), page.size());
        });
    }

    private static int bind(PreparedStatement p, String subsidiary, OffsetDateTime cutoff, String owner)
            throws SQLException {
        int i = 1;
        p.setString(i++, subsidiary);
        p.setObject(i++, cutoff);
        if (owner != null) {
            p.setString(i++, owner);
        }
        return i;
    }

    // ---- activity of customers (ActivityListener)

    /**
     * Records that an activity of {@code customerId} was created, changed or completed: its OPEN opportunities in
     * the subsidiary have activity now, so a stall of theirs ends (and a later one will be reminded again). The
     * creation of a reminder by the {@link StalledReminderJob} itself is not activity and is skipped.
     *
     * @param created whether the activity was just created (rather than changed or completed)
     * @return how many opportunities were updated
     */
    int activityRecorded(String subsidiary, long customerId, String actor, boolean created) {
        if (created && actor != null && consumeOwnReminder(subsidiary, customerId, actor)) {
            return 0;
        }
        OffsetDateTime now = utc(clock.instant());
        return db.tx((c, e) -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE pipeline_opportunity"
                    + " SET last_activity_at = GREATEST(last_activity_at, ?), stalled_reminded_at = NULL"
                    + " WHERE subsidiary = ? AND customer_id = ? AND status = 'OPEN'")) {
                p.setObject(1, now);
                p.setString(2, subsidiary);
                p.setLong(3, customerId);
                return p.executeUpdate();
            }
        });
    }

    // ---- reminders the job is creating, so their own events are not taken for activity

    /** Before the job creates a reminder for {@code owner} on {@code customerId}: its creation is no activity. */
    void expectOwnReminder(String subsidiary, long customerId, String owner) {
        Instant now = clock.instant();
        synchronized (ownReminders) {
            ownReminders.values().removeIf(q -> {
                q.removeIf(expiry -> expiry.isBefore(now));
                return q.isEmpty();
            });
            ownReminders.computeIfAbsent(key(subsidiary, customerId, owner), k -> new ArrayDeque<>())
                    .add(now.plus(OWN_REMINDER_TTL));
        }
    }

    /** The job could not create the reminder it announced. */
    void forgetOwnReminder(String subsidiary, long customerId, String owner) {
        consumeOwnReminder(subsidiary, customerId, owner);
    }

    /** @return whether an announced reminder matched (and is now used up) */
    private boolean consumeOwnReminder(String subsidiary, long customerId, String actor) {
        Instant now = clock.instant();
        synchronized (ownReminders) {
            String key = key(subsidiary, customerId, actor);
            Deque<Instant> expiries = ownReminders.get(key);
            if (expiries == null) {
                return false;
            }
            expiries.removeIf(expiry -> expiry.isBefore(now));
            boolean found = expiries.poll() != null;
            if (expiries.isEmpty()) {
                ownReminders.remove(key);
            }
            return found;
        }
    }

    private static String key(String subsidiary, long customerId, String login) {
        return subsidiary + '\n' + customerId + '\n' + login;
    }

    // ---- the reminder job

    /** An opportunity whose owner has not been reminded of its current stall. */
    record Unreminded(long id, String title, long customerId, String owner, BigDecimal amount, String currency,
            Instant lastActivityAt, Instant remindedAt) {
    }

    /**
     * @return up to {@code limit} OPEN opportunities of the subsidiary without activity since {@code cutoff} whose
     *         owner has not been reminded of this stall, after {@code after} in the order (last activity, id)
     */
    List<Unreminded> unreminded(String subsidiary, Instant cutoff, Unreminded after, int limit) {
        return db.read((c, e) -> {
            List<Unreminded> result = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id, title, customer_id, owner, amount, currency,"
                    + " last_activity_at, stalled_reminded_at FROM pipeline_opportunity"
                    + " WHERE subsidiary = ? AND status = 'OPEN' AND NOT archived AND last_activity_at <= ?"
                    + " AND (stalled_reminded_at IS NULL OR stalled_reminded_at < last_activity_at)"
                    + (after == null ? "" : " AND (last_activity_at, id) > (?, ?)")
                    + " ORDER BY last_activity_at, id LIMIT ?")) {
                int i = 1;
                p.setString(i++, subsidiary);
                p.setObject(i++, utc(cutoff));
                if (after != null) {
                    p.setObject(i++, utc(after.lastActivityAt()));
                    p.setLong(i++, after.id());
                }
                p.setInt(i, limit);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        result.add(new Unreminded(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                                rs.getBigDecimal(5), rs.getString(6).strip(), instant(rs, 7), instant(rs, 8)));
                    }
                }
            }
            return result;
        });
    }

    /**
     * Marks the opportunity's stall as reminded at {@code at}, unless it is no longer an unreminded stall (activity
     * in the meantime, closed, or reminded by a concurrent run).
     *
     * @return whether this caller claimed the reminder
     */
    boolean claimReminder(long id, Instant cutoff, Instant at) {
        return db.tx((c, e) -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE pipeline_opportunity SET stalled_reminded_at = ?"
                    + " WHERE id = ? AND status = 'OPEN' AND NOT archived AND last_activity_at <= ?"
                    + " AND (stalled_reminded_at IS NULL OR stalled_reminded_at < last_activity_at)")) {
                p.setObject(1, utc(at));
                p.setLong(2, id);
                p.setObject(3, utc(cutoff));
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Undoes {@link #claimReminder} when the reminder could not be created: the next run tries again. */
    void releaseReminder(long id, Instant claimedAt, Instant previous) {
        db.tx((c, e) -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE pipeline_opportunity SET stalled_reminded_at = ?"
                    + " WHERE id = ? AND stalled_reminded_at = ?")) {
                if (previous == null) {
                    p.setNull(1, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    p.setObject(1, utc(previous));
                }
                p.setLong(2, id);
                p.setObject(3, utc(claimedAt));
                return p.executeUpdate();
            }
        });
    }

    /** @return the subsidiary's stalled days */
    int stalledDays(String subsidiary) {
        return db.read((c, e) -> stalledDays(c, subsidiary));
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
