package org.groupcrm.plugins.pipeline.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.groupcrm.core.api.CallerContext;
import org.groupcrm.core.api.user.Roles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Benchmark of the funnel ({@link FunnelService}) on a realistic volume: 1,000,000 opportunities with their stage
 * histories (about 3 million rows) across 20 subsidiaries in an embedded PostgreSQL. Goal (from the issue): the funnel
 * of one subsidiary for one quarter in at most 200 ms at p99 on the 2-core reference machine.
 * <p>
 * <b>Not a normal test</b>, so it runs only with {@code -Dcrm.bench=true} (and its class name does not match
 * surefire's test patterns either): seeding takes minutes and about 2 GB of disk under {@code target/}, the figures
 * mean something only on a quiet machine, and a timing goal would make the build flaky. Run it with
 * {@code bash bench/pipeline-funnel.sh} (see {@code bench/README.md}).
 * <p>
 * What it does: seeds the data server-side ({@code INSERT ... SELECT generate_series}, in creation order as an
 * application would, the history in {@code changed_at} order so that an opportunity's rows are scattered as in real
 * life; the history's derive triggers are off for the bulk load and the derived columns checked against their
 * definition afterwards), {@code VACUUM ANALYZE} (what autovacuum would have done), warms up, then measures {@link FunnelService#funnel}
 * end to end (stage list, the funnel statement, assembly) over one reused connection, like a pool, for random
 * (subsidiary, quarter) pairs, interleaved with a baseline query of the same run (counting the cohort through its
 * index). Prints the figures and the {@code EXPLAIN (ANALYZE, BUFFERS)} of the funnel statement; appends a section to
 * {@code bench/RESULTS.md} only with {@code -Dcrm.bench.record=true}.
 * <p>
 * Properties: {@code crm.bench.opportunities} (1000000), {@code crm.bench.calls} (300 measured calls, at least 200
 * for the goal), {@code crm.bench.results} (the results file; default {@code ../../bench/RESULTS.md} from the module),
 * {@code crm.bench.datadir} (development only: keep the seeded cluster in this directory and reuse it, migrating it
 * first, so that a changed query or a new index can be tried without seeding again; not for recorded runs).
 */
@EnabledIfSystemProperty(named = "crm.bench", matches = "true")
class FunnelBench {
    private static final int SUBSIDIARIES = 20;
    private static final int OWNERS = 8;
    /** The 8 quarters the data spans: created_at from 2024-10-01 to 2026-10-01. */
    private static final LocalDate FIRST_QUARTER = LocalDate.of(2024, 10, 1);
    private static final int QUARTERS = 8;
    private static final double GOAL_P99_MS = 200;

    private final int opportunities = Integer.getInteger("crm.bench.opportunities", 1_000_000);
    private final int calls = Integer.getInteger("crm.bench.calls", 300);
    private final boolean record = Boolean.getBoolean("crm.bench.record");

    @Test
    void funnel() throws Exception {
        long t0 = System.nanoTime();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setServerConfig("max_wal_size", "8GB")
                .setServerConfig("checkpoint_timeout", "30min");
        String keep = System.getProperty("crm.bench.datadir", "");
        if (!keep.isBlank()) { // development only: keeps the seeded cluster between runs
            builder.setDataDirectory(Path.of(keep).toAbsolutePath()).setCleanDataDirectory(false);
        }
        try (EmbeddedPostgres pg = builder.start()) {
            DataSource pool = pg.getPostgresDatabase();
            FunnelServiceTest.migrate(pool);
            Db setupDb = new Db(pool, null);
            for (int s = 1; s <= SUBSIDIARIES; s++) {
                StageRepository.seedReference(setupDb, subsidiary(s));
            }
            long historyRows;
            try (Connection c = pool.getConnection()) {
                historyRows = seeded(c) ? count(c, "pipeline_stage_history") : seed(c);
            }
            assertEquals(0, FunnelHistoryTest.inconsistentRows(pool), "history rows with wrong derived columns");
            double seedSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "seeded %,d opportunities and %,d history rows in %.0f s%n", opportunities,
                    historyRows, seedSeconds);

            try (Connection c = pool.getConnection()) {
                Connection shared = unclosable(c);
                FunnelService service = new FunnelService(new Db(singleConnection(shared), null), new ModuleRights());
                Random random = new Random(42);

                // correctness at scale: the cohort is what the baseline counts
                Pick check = pick(random);
                FunnelDTO f = service.funnel(check.caller(), check.from().toString(), check.to().toString(), null);
                assertEquals(cohort(c, check), f.created, "cohort size = non-archived count");
                System.out.printf(Locale.ROOT, "%s %s..%s: created %d, won %d, lost %d, open %d, winRate %s%n",
                        check.subsidiary(), check.from(), check.to(), f.created, f.won, f.lost, f.open, f.winRate);

                String loadBefore = loadAverage();
                for (int i = 0; i < 50; i++) { // warm-up: JIT, plan caches, buffers
                    Pick p = pick(random);
                    service.funnel(p.caller(), p.from().toString(), p.to().toString(), null);
                    baseline(c, p);
                }
                long[] funnel = new long[calls];
                long[] base = new long[calls];
                for (int i = 0; i < calls; i++) {
                    Pick p = pick(random);
                    long a = System.nanoTime();
                    service.funnel(p.caller(), p.from().toString(), p.to().toString(), null);
                    long b = System.nanoTime();
                    baseline(c, p);
                    long e = System.nanoTime();
                    funnel[i] = b - a;
                    base[i] = e - b;
                }
                int repCalls = Math.max(50, calls / 3);
                long[] rep = new long[repCalls];
                for (int i = 0; i < repCalls; i++) {
                    Pick p = pick(random);
                    CallerContext owner = new CallerContext(2, owner(p.index(), 1 + random.nextInt(OWNERS)),
                            p.subsidiary(), Set.of(Roles.USER));
                    long a = System.nanoTime();
                    service.funnel(owner, p.from().toString(), p.to().toString(), null);
                    rep[i] = System.nanoTime() - a;
                }
                String loadAfter = loadAverage();
                String explain = explain(c, pick(random));
                System.out.println("EXPLAIN (ANALYZE, BUFFERS) of the funnel statement:\n" + explain);
                Files.writeString(Path.of("target", "funnel-bench-explain.txt"), explain);

                long[] writes = historyWrites(c, random);
                assertEquals(0, FunnelHistoryTest.inconsistentRows(pool), "derived columns after the writes");

                String section = report(c, historyRows, seedSeconds, funnel, base, rep, writes, loadBefore, loadAfter);
                System.out.println(section);
                Files.writeString(Path.of("target", "funnel-bench-report.md"), section);
                if (record) {
                    append(section);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------- seeding

    private static String subsidiary(int s) {
        return String.format(Locale.ROOT, "B%02d", s);
    }

    private static String owner(int subsidiary, int owner) {
        return String.format(Locale.ROOT, "b%02d-rep%d", subsidiary, owner);
    }

    /**
     * Seeds {@link #opportunities} server-side. Per opportunity: a subsidiary (round robin), one of 8 owners, created
     * uniformly over 2 years, reached 1 to 4 open stages (35/30/20/15 %) at a per-opportunity pace of 0.5 to 20.5
     * days per stage, then won (35 % of the closed) or lost, or still open (60 % of those created in the last 90
     * days, 8 % of the older ones); amounts 500 to 100,500, skewed low; 97 % in the subsidiary's currency; 2 %
     * archived. History: one row per stage entered, plus the closing row.
     */
    private long seed(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SET work_mem = '512MB'");
            st.execute("SET maintenance_work_mem = '1GB'");
            st.execute("SET max_parallel_workers_per_gather = 0"); // setseed makes random() repeatable in one process
            st.execute("SELECT setseed(0.4242)");
            st.execute("CREATE UNLOGGED TABLE bench_stage AS SELECT subsidiary, id, probability,"
                    + " CASE code WHEN 'lead' THEN 1 WHEN 'qualified' THEN 2 WHEN 'proposal' THEN 3"
                    + " WHEN 'negotiation' THEN 4 WHEN 'won' THEN 5 ELSE 6 END AS pos FROM pipeline_stage");
            st.execute("CREATE UNIQUE INDEX ON bench_stage (subsidiary, pos)");
            st.execute("CREATE UNLOGGED TABLE bench_raw AS SELECT g,"
                    + " 1 + g % " + SUBSIDIARIES + " AS s,"
                    + " TIMESTAMPTZ '" + FIRST_QUARTER + " 00:00Z' + random() * INTERVAL '730 days' AS created,"
                    + " 1 + floor(random() * " + OWNERS + ")::int AS o, random() AS r_k, random() AS r_out,"
                    + " INTERVAL '12 hours' + random() * INTERVAL '20 days' AS step, random() AS r_amount,"
                    + " random() AS r_cur, random() AS r_arch"
                    + " FROM generate_series(1, " + opportunities + ") g");
            st.execute("CREATE UNLOGGED TABLE bench_plan AS SELECT row_number() OVER (ORDER BY created, g) AS id,"
                    + " 'B' || lpad(s::text, 2, '0') AS subsidiary, s, created,"
                    + " 'b' || lpad(s::text, 2, '0') || '-rep' || o AS owner,"
                    + " CASE WHEN r_k < 0.35 THEN 1 WHEN r_k < 0.65 THEN 2 WHEN r_k < 0.85 THEN 3 ELSE 4 END AS k,"
                    + " CASE WHEN r_out < p_open THEN 'OPEN' WHEN r_out < p_open + (1 - p_open) * 0.35 THEN 'WON'"
                    + " ELSE 'LOST' END AS status,"
                    + " step, round((500 + r_amount * r_amount * 100000)::numeric, 2) AS amount,"
                    + " CASE WHEN r_cur < 0.97 THEN (ARRAY['CNY', 'EUR', 'USD'])[1 + s % 3] ELSE 'USD' END AS currency,"
                    + " r_arch < 0.02 AS archived FROM (SELECT *, CASE WHEN created > TIMESTAMPTZ '2026-07-03 00:00Z'"
                    + " THEN 0.6 ELSE 0.08 END AS p_open FROM bench_raw) r");
            st.execute("INSERT INTO pipeline_opportunity (id, subsidiary, customer_id, title, owner, amount, currency,"
                    + " stage_id, probability, status, closed_at, stage_entered_at, last_activity_at, created_by,"
                    + " created_at, updated_at, archived)"
                    + " SELECT p.id, p.subsidiary, 1 + p.id % 5000, 'Opportunity ' || p.id, p.owner, p.amount, p.currency,"
                    + " t.id, t.probability, p.status,"
                    + " CASE WHEN p.status <> 'OPEN' THEN p.created + p.k * p.step END,"
                    + " p.created + (CASE WHEN p.status = 'OPEN' THEN p.k - 1 ELSE p.k END) * p.step,"
                    + " p.created + (CASE WHEN p.status = 'OPEN' THEN p.k - 1 ELSE p.k END) * p.step,"
                    + " p.owner, p.created, p.created, p.archived"
                    + " FROM bench_plan p JOIN bench_stage t ON t.subsidiary = p.subsidiary"
                    + " AND t.pos = CASE p.status WHEN 'OPEN' THEN p.k WHEN 'WON' THEN 5 ELSE 6 END ORDER BY p.id");
            // the derive triggers are off for the bulk load (3 million calls, each locking its opportunity): the
            // derived columns are computed here and checked against their definition afterwards
            st.execute("ALTER TABLE pipeline_stage_history DISABLE TRIGGER USER");
            st.execute("INSERT INTO pipeline_stage_history (opportunity_id, subsidiary, from_stage_id, to_stage_id,"
                    + " changed_by, changed_at, opportunity_created_at, stay_stage_id, stay_started_at)"
                    + " SELECT p.id, p.subsidiary, f.id, t.id, p.owner, p.created + (i - 1) * p.step, p.created, f.id,"
                    + " CASE WHEN i > 1 THEN p.created + (i - 2) * p.step END"
                    + " FROM bench_plan p CROSS JOIN LATERAL generate_series(1, p.k + CASE WHEN p.status = 'OPEN'"
                    + " THEN 0 ELSE 1 END) i"
                    + " JOIN bench_stage t ON t.subsidiary = p.subsidiary"
                    + " AND t.pos = CASE WHEN i <= p.k THEN i WHEN p.status = 'WON' THEN 5 ELSE 6 END"
                    + " LEFT JOIN bench_stage f ON f.subsidiary = p.subsidiary AND f.pos = LEAST(i - 1, p.k) AND i > 1"
                    + " ORDER BY 6, 1");
            st.execute("ALTER TABLE pipeline_stage_history ENABLE TRIGGER USER");
            st.execute("SELECT setval('pipeline_opportunity_id_seq', (SELECT max(id) FROM pipeline_opportunity))");
            st.execute("DROP TABLE bench_raw, bench_plan, bench_stage");
            st.execute("CHECKPOINT");
            st.execute("VACUUM (ANALYZE) pipeline_opportunity, pipeline_stage_history, pipeline_stage");
            st.execute("RESET ALL");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM pipeline_stage_history")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private boolean seeded(Connection c) throws SQLException {
        long n = count(c, "pipeline_opportunity");
        if (n != 0 && n != opportunities) {
            throw new IllegalStateException("the kept cluster has " + n + " opportunities, not " + opportunities);
        }
        if (n != 0) {
            try (Statement st = c.createStatement()) {
                st.execute("VACUUM (ANALYZE) pipeline_opportunity, pipeline_stage_history, pipeline_stage");
            }
        }
        return n != 0;
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ---------------------------------------------------------------------------------------------------- measuring

    /** A subsidiary (its manager) and a quarter. */
    private record Pick(int index, String subsidiary, CallerContext caller, LocalDate from, LocalDate to) {
    }

    private static Pick pick(Random random) {
        int s = 1 + random.nextInt(SUBSIDIARIES);
        LocalDate from = FIRST_QUARTER.plusMonths(3L * random.nextInt(QUARTERS));
        return new Pick(s, subsidiary(s), new CallerContext(1, "boss", subsidiary(s), Set.of(Roles.SUBSIDIARY_ADMIN)),
                from, from.plusMonths(3).minusDays(1));
    }

    /**
     * What the derive triggers cost a writer: 200 stage changes as the service makes them (lock the opportunity,
     * update it, insert the history row, commit), 10 % of them backdated by a day (which re-derives the rows after
     * them). Run after the measurements, as it changes the data.
     */
    private static long[] historyWrites(Connection c, Random random) throws SQLException {
        long maxId;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT max(id) FROM pipeline_opportunity")) {
            rs.next();
            maxId = rs.getLong(1);
        }
        long[] times = new long[200];
        c.setAutoCommit(false);
        try {
            for (int i = 0; i < times.length; i++) {
                long id = 1 + (long) (random.nextDouble() * maxId);
                long a = System.nanoTime();
                try (PreparedStatement lock = c.prepareStatement("SELECT subsidiary, stage_id FROM pipeline_opportunity"
                        + " WHERE id = ? FOR UPDATE")) {
                    lock.setLong(1, id);
                    String subsidiary;
                    long stage;
                    try (ResultSet rs = lock.executeQuery()) {
                        rs.next();
                        subsidiary = rs.getString(1);
                        stage = rs.getLong(2);
                    }
                    try (PreparedStatement u = c.prepareStatement("UPDATE pipeline_opportunity SET updated_at = now(),"
                            + " last_activity_at = now(), version = version + 1 WHERE id = ?")) {
                        u.setLong(1, id);
                        u.executeUpdate();
                    }
                    try (PreparedStatement h = c.prepareStatement("INSERT INTO pipeline_stage_history (opportunity_id,"
                            + " subsidiary, from_stage_id, to_stage_id, changed_by, changed_at) SELECT ?, ?, ?, s.id, 'bench',"
                            + " (SELECT max(changed_at) FROM pipeline_stage_history WHERE opportunity_id = ?)"
                            + " + CASE WHEN ? THEN INTERVAL '-1 day' ELSE INTERVAL '1 day' END"
                            + " FROM pipeline_stage s WHERE s.subsidiary = ? AND s.code = 'proposal'")) {
                        h.setLong(1, id);
                        h.setString(2, subsidiary);
                        h.setLong(3, stage);
                        h.setLong(4, id);
                        h.setBoolean(5, i % 10 == 0);
                        h.setString(6, subsidiary);
                        h.executeUpdate();
                    }
                }
                c.commit();
                times[i] = System.nanoTime() - a;
            }
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
        return times;
    }

    private static String loadAverage() throws IOException {
        Path p = Path.of("/proc/loadavg");
        if (!Files.isReadable(p)) {
            return "?";
        }
        String[] f = Files.readString(p).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    /** The same run's baseline: counting the cohort through its index, the least any funnel must do. */
    private static long baseline(Connection c, Pick p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pipeline_opportunity WHERE subsidiary = ?"
                + " AND created_at >= ? AND created_at < ?")) {
            ps.setString(1, p.subsidiary());
            ps.setObject(2, p.from().atStartOfDay().atOffset(ZoneOffset.UTC));
            ps.setObject(3, p.to().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The cohort's size counted directly. */
    private static long cohort(Connection c, Pick p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pipeline_opportunity WHERE subsidiary = ?"
                + " AND created_at >= ? AND created_at < ? AND NOT archived")) {
            ps.setString(1, p.subsidiary());
            ps.setObject(2, p.from().atStartOfDay().atOffset(ZoneOffset.UTC));
            ps.setObject(3, p.to().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static String explain(Connection c, Pick p) throws SQLException {
        FunnelService.Sql sql = FunnelService.sql(p.subsidiary(), (String) null, p.from(), p.to());
        StringBuilder out = new StringBuilder("-- " + p.subsidiary() + " " + p.from() + ".." + p.to() + "\n");
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + sql.text())) {
            for (int i = 0; i < sql.params().size(); i++) {
                ps.setObject(i + 1, sql.params().get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString(1)).append('\n');
                }
            }
        }
        return out.toString();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Nearest-rank percentile of sorted values. */
    private static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    // ------------------------------------------------------------------------------------------------------ reporting

    private String report(Connection c, long historyRows, double seedSeconds, long[] funnel, long[] base, long[] rep,
            long[] writes, String loadBefore, String loadAfter) throws SQLException, IOException, InterruptedException {
        Arrays.sort(funnel);
        Arrays.sort(base);
        Arrays.sort(rep);
        Arrays.sort(writes);
        double f50 = ms(percentile(funnel, 50));
        double f95 = ms(percentile(funnel, 95));
        double f99 = ms(percentile(funnel, 99));
        double fMax = ms(funnel[funnel.length - 1]);
        double b50 = ms(percentile(base, 50));
        double b99 = ms(percentile(base, 99));
        StringBuilder s = new StringBuilder();
        String now = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        s.append("\n## ").append(now).append(" UTC — pipeline funnel — ").append(gitRevision()).append("\n\n");
        s.append(String.format(Locale.ROOT, "Machine: %d CPUs, %s, %s RAM; Java %s; %s (embedded, zonky%s).%n",
                Runtime.getRuntime().availableProcessors(), cpuModel(), memory(), System.getProperty("java.version"),
                pgVersion(c), pgSettings(c)));
        s.append(String.format(Locale.ROOT, "Run: `bash bench/pipeline-funnel.sh --record`; data: %,d opportunities, %,d stage "
                + "history rows, %d subsidiaries × %d owners, created over 8 quarters (2024-Q4 to 2026-Q3), so about "
                + "%,d opportunities per subsidiary and quarter; seeding and VACUUM ANALYZE %.0f s.%n%n", opportunities,
                historyRows, SUBSIDIARIES, OWNERS, opportunities / SUBSIDIARIES / QUARTERS, seedSeconds));
        s.append("| figure | value | × baseline | goal | met |\n|---|---:|---:|---|---|\n");
        String scope = "funnel, one subsidiary (manager) × one quarter, random pairs (n=" + funnel.length + ")";
        row(s, "Baseline: `count(*)` of the cohort by (subsidiary, created_at) p50 (n=" + base.length + ")", b50, null, "", "");
        row(s, "Baseline p99", b99, null, "", "");
        row(s, scope + " p50", f50, f50 / b50, "", "");
        row(s, scope + " p95", f95, f95 / b50, "", "");
        row(s, scope + " p99", f99, f99 / b99, "≤ 200 ms", f99 <= GOAL_P99_MS ? "yes" : "**no**");
        row(s, scope + " max", fMax, fMax / b50, "", "");
        String repScope = "funnel, one rep × one quarter (n=" + rep.length + ")";
        row(s, repScope + " p50", ms(percentile(rep, 50)), ms(percentile(rep, 50)) / b50, "", "");
        row(s, repScope + " p99", ms(percentile(rep, 99)), ms(percentile(rep, 99)) / b99, "", "");
        row(s, "stage change with the derive triggers (lock, update, history insert, commit; 10 % backdated; n="
                + writes.length + ") p50", ms(percentile(writes, 50)), null, "", "");
        row(s, "stage change with the derive triggers p99", ms(percentile(writes, 99)), null, "", "");
        s.append("\n- Load average (1/5/15 min) before the warm-up: ").append(loadBefore).append("; after the "
                + "measurements: ").append(loadAfter).append(" (the machine is shared: other builds may run).\n");
        s.append("- Ratios: p50, p95 and max against the baseline p50, p99 against the baseline p99. Measured end to "
                + "end in the JVM (FunnelService.funnel over one reused connection: stage list + one funnel statement + "
                + "assembly); no HTTP.\n");
        s.append("- The EXPLAIN (ANALYZE, BUFFERS) of the funnel statement is printed by the run and kept in "
                + "`plugins/pipeline/target/funnel-bench-explain.txt`.\n");
        return s.toString();
    }

    private static void row(StringBuilder s, String figure, double ms, Double ratio, String goal, String met) {
        s.append(String.format(Locale.ROOT, "| %s | %.1f ms | %s | %s | %s |%n", figure, ms,
                ratio == null ? "" : String.format(Locale.ROOT, "%.1f×", ratio), goal, met));
    }

    private void append(String section) throws IOException {
        String configured = System.getProperty("crm.bench.results");
        Path file = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.dir")).resolve("../../bench/RESULTS.md").normalize();
        if (!Files.exists(file)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, "# Benchmark results\n\nAppended by the scripts under `bench/` (see `README.md`); "
                    + "compare runs by the ratios to the same run's baseline, not by absolute times.\n");
        }
        Files.writeString(file, section, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        System.out.println("appended to " + file.toAbsolutePath());
    }

    private static String gitRevision() throws IOException, InterruptedException {
        String head = run("git", "rev-parse", "--short", "HEAD");
        if (head.isEmpty()) {
            return "unknown revision";
        }
        return run("git", "status", "--porcelain").isEmpty() ? head : head + "-dirty";
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
    }

    private static String cpuModel() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        }
        return System.getProperty("os.arch");
    }

    private static String memory() throws IOException {
        Path meminfo = Path.of("/proc/meminfo");
        if (Files.isReadable(meminfo)) {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        }
        return "unknown";
    }

    private static String pgVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1);
        }
    }

    private static String pgSettings(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT name, setting, unit"
                + " FROM pg_settings WHERE name IN ('shared_buffers', 'work_mem', 'effective_cache_size', 'jit',"
                + " 'random_page_cost') ORDER BY name")) {
            while (rs.next()) {
                String unit = rs.getString(3);
                String value = rs.getString(2);
                if ("8kB".equals(unit)) {
                    value = (Long.parseLong(value) * 8 / 1024) + " MB";
                } else if ("kB".equals(unit)) {
                    value = (Long.parseLong(value) / 1024) + " MB";
                }
                out.add(rs.getString(1) + " " + value);
            }
        }
        return out.isEmpty() ? "" : "; " + String.join(", ", out);
    }

    // ------------------------------------------------------------------------------------------ one pooled connection

    /** The connection, whose {@code close()} only resets what {@link Db} changes, as a pool would. */
    private static Connection unclosable(Connection c) {
        InvocationHandler h = (proxy, method, args) -> {
            switch (method.getName()) {
                case "close" -> {
                    if (!c.getAutoCommit()) {
                        c.rollback();
                        c.setAutoCommit(true);
                    }
                    c.setReadOnly(false);
                    return null;
                }
                case "isClosed" -> {
                    return false;
                }
                default -> {
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                }
            }
        };
        return (Connection) Proxy.newProxyInstance(FunnelBench.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private static DataSource singleConnection(Connection c) {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("getConnection")) {
                return c;
            }
            if (method.getName().equals("unwrap") || method.getName().equals("isWrapperFor")) {
                throw new SQLException("not a wrapper");
            }
            throw new UnsupportedOperationException(method.getName());
        };
        return (DataSource) Proxy.newProxyInstance(FunnelBench.class.getClassLoader(), new Class<?>[] {DataSource.class}, h);
    }
}
