import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Core load benchmark against a running copy of the CRM, started by {@code bench/core-load.sh}: seeds subsidiaries,
 * reps and customers through the REST API, measures the idle memory (Karaf JVM and embedded PostgreSQL), P1 (GET
 * /customers/{id} as reps, concurrency 16), P2 (POST /customers as reps, concurrency 8), P3 (a bulk import through
 * POST /customers/import in batches), P6 (P1 with every plugin installed and ON against core only, alternating rounds)
 * and the same run's baselines on the CRM's own embedded PostgreSQL: pgbench (a primary-key select on crm_customer, a
 * single-row INSERT into a scratch copy bench_customer) and psql's COPY of the same rows as P3 into scratch copies of
 * crm_customer. JDK 17 only (java.net.http), pgbench and psql as external programs.
 *
 * <pre>
 * java bench/CoreLoadBench.java --port P --admin-password X --copy DIR --karaf-pid PID --work DIR
 *      [--cold-start-ms N --start-epoch-ms N --karaf-cpu-at-health-s S --reference-ms N]
 *      [--subsidiaries M] [--customers N] [--import-rows N] [--import-batch N] [--quick] [--table-out FILE]
 * java bench/CoreLoadBench.java --noop      (compiles and exits: the shell times it as the cold-start reference)
 * </pre>
 *
 * Every figure is printed as one line {@code figure: value unit}; the Markdown table goes to stdout and, with
 * {@code --table-out}, to a file. Exit status 1 when a figure could not be produced or a request failed.
 */
public class CoreLoadBench {
    static final String REP_PASSWORD = "bench-rep-password-1";
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS");

    // goals (never loosen them here: change the brief first)
    static final double GOAL_COLD_START_S = 8;
    static final double GOAL_IDLE_RSS_MB = 400;
    static final double GOAL_P1_SHARE = 0.20;
    static final double GOAL_P2_SHARE = 0.70;
    /** P6: P1's throughput with every plugin installed and ON may be at most this much below core only. */
    static final double GOAL_P6_OVERHEAD = 0.05;
    static final String PIPELINE_FEATURE = "crm-plugin-pipeline";
    static final double GOAL_P3_SHARE = 0.50;
    static final Duration IMPORT_TIMEOUT = Duration.ofSeconds(300);

    // ------------------------------------------------------------------ options

    final String base;
    final String adminAuth;
    final Path copy;
    final long karafPid;
    final Path work;
    final boolean quick;
    final int subsidiaries;
    /** Rows per seed import: the CRM's default {@code importMaxRows}. */
    static final int SEED_BATCH = 10_000;
    final int customersPerSubsidiary;
    final int importRows;
    final int importBatch;
    final Path tableOut;
    final Double coldStartMs;
    final Long startEpochMs;
    final Double karafCpuAtHealthS;
    final Double referenceMs;

    final Duration warmUp;
    /**
     * P1's warm-up, longer than the others': P1 is the first load on the freshly seeded CRM, and the same request
     * still gained about 1.5× over the first minute of P6's rounds when P1 had only 10 s (the JIT compiling the
     * request path of the CRM and of the load generator on 2 busy cores). 65 s also puts the first expiry of the reps'
     * cached sign-ins (60 s after their first request) into the warm-up, and the next one after the window.
     */
    final Duration p1WarmUp;
    final Duration measured;
    final int pgbenchSeconds;
    final int idleSeconds;
    final long clockTicks = clockTicks();
    final int cpus = Runtime.getRuntime().availableProcessors();

    // ------------------------------------------------------------------ state and results

    final HttpClient http = newClient();
    String[] codes;
    String[] repAuth;
    long[][] idsBySub;
    int pgPort;
    String pgPassword;

    final List<String> problems = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    Double seedRate;
    int seeded;
    double seedSeconds;
    Double rssKarafMb;
    Double rssPgMb;
    Double pssPgMb;
    int pgProcesses;
    String jvmMemory;
    Cpu idleCpu;
    Load p1;
    Load p2;
    Pgb pgSelect;
    Pgb pgInsert;
    final List<Load> p6Core = new ArrayList<>();
    final List<Load> p6Plugins = new ArrayList<>();
    final List<String> p6Order = new ArrayList<>();
    int p6Subsidiaries;
    Imp p3;
    Map<String, Double> startPhases = new LinkedHashMap<>();
    int startWarnings;

    CoreLoadBench(Map<String, String> o, boolean quick) {
        this.base = o.containsKey("--base-url") ? o.get("--base-url") : "http://127.0.0.1:" + require(o, "--port") + "/api/v1";
        this.adminAuth = basic("admin", require(o, "--admin-password"));
        this.copy = Path.of(require(o, "--copy")).toAbsolutePath().normalize();
        this.karafPid = Long.parseLong(require(o, "--karaf-pid"));
        this.work = Path.of(require(o, "--work")).toAbsolutePath();
        this.quick = quick;
        this.subsidiaries = Integer.parseInt(o.getOrDefault("--subsidiaries", quick ? "2" : "20"));
        this.customersPerSubsidiary = Integer.parseInt(o.getOrDefault("--customers", quick ? "50" : "10000"));
        this.importRows = Integer.parseInt(o.getOrDefault("--import-rows", quick ? "3000" : "100000"));
        this.importBatch = Integer.parseInt(o.getOrDefault("--import-batch", quick ? "1000" : "10000"));
        if (subsidiaries < 1 || subsidiaries > 999 || customersPerSubsidiary < 1) {
            usage("--subsidiaries must be 1..999 and --customers at least 1");
        }
        if (importRows < 1 || importBatch < 1 || importBatch > 10_000) {
            usage("--import-rows must be at least 1 and --import-batch 1..10000 (the CRM's default importMaxRows)");
        }
        this.tableOut = o.containsKey("--table-out") ? Path.of(o.get("--table-out")) : null;
        this.coldStartMs = o.containsKey("--cold-start-ms") ? Double.valueOf(o.get("--cold-start-ms")) : null;
        this.startEpochMs = o.containsKey("--start-epoch-ms") ? Long.valueOf(o.get("--start-epoch-ms")) : null;
        this.karafCpuAtHealthS = o.containsKey("--karaf-cpu-at-health-s") ? Double.valueOf(o.get("--karaf-cpu-at-health-s")) : null;
        this.referenceMs = o.containsKey("--reference-ms") ? Double.valueOf(o.get("--reference-ms")) : null;
        this.warmUp = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(10);
        this.p1WarmUp = quick ? warmUp : Duration.ofSeconds(65);
        this.measured = quick ? Duration.ofSeconds(5) : Duration.ofSeconds(30);
        this.pgbenchSeconds = quick ? 5 : 30;
        this.idleSeconds = quick ? 5 : 30;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--noop" -> {
                    return;
                }
                case "--quick" -> quick = true;
                case "--port", "--admin-password", "--copy", "--karaf-pid", "--work", "--cold-start-ms", "--start-epoch-ms",
                        "--karaf-cpu-at-health-s", "--reference-ms", "--subsidiaries", "--customers", "--table-out",
                        "--base-url", "--import-rows", "--import-batch" -> {
                    if (i + 1 >= args.length) {
                        usage("missing value for " + args[i]);
                    }
                    opts.put(args[i], args[++i]);
                }
                default -> usage("unknown argument " + args[i]);
            }
        }
        System.exit(new CoreLoadBench(opts, quick).run());
    }

    static String require(Map<String, String> opts, String name) {
        String v = opts.get(name);
        if (v == null || v.isEmpty()) {
            usage(name + " is required");
        }
        return v;
    }

    static void usage(String why) {
        System.err.println(why);
        System.err.println("usage: java bench/CoreLoadBench.java --port P --admin-password X --copy DIR --karaf-pid PID"
                + " --work DIR [--cold-start-ms N --start-epoch-ms N --karaf-cpu-at-health-s S --reference-ms N]"
                + " [--subsidiaries M] [--customers N per subsidiary] [--import-rows N] [--import-batch N] [--quick]"
                + " [--table-out FILE] | --noop");
        System.exit(2);
    }

    int run() throws Exception {
        log("CRM at " + base + ", copy " + copy + (quick ? " (quick)" : "") + ": " + subsidiaries + " subsidiaries x "
                + customersPerSubsidiary + " customers; warm-up " + warmUp.toSeconds() + " s (P1 " + p1WarmUp.toSeconds()
                + " s), measured "
                + measured.toSeconds() + " s, pgbench -T " + pgbenchSeconds + "; import " + importRows + " rows in batches of "
                + importBatch);
        step("cold start", this::coldStart);
        boolean ready = step("set-up", this::setUp) && step("seed", this::seed);
        if (ready) {
            step("idle memory", this::idleMemory);
            ready = step("database", this::database);
        }
        if (ready) {
            step("P1", this::p1);
            step("pgbench select", this::pgbenchSelect);
            step("P2", this::p2);
            step("pgbench insert", this::pgbenchInsert);
            step("P3", this::p3);
            step("database clean-up", () -> psql("DROP TABLE IF EXISTS bench_customer; DROP TABLE IF EXISTS bench_import;"
                    + " DROP TABLE IF EXISTS bench_import_nofk"));
            step("P6", this::p6);
        } else {
            problems.add("the load figures (P1, P2, P3, P6, pgbench, COPY) were not measured: the set-up failed");
        }
        finish();
        return problems.isEmpty() ? 0 : 1;
    }

    interface Step {
        void run() throws Exception;
    }

    boolean step(String name, Step s) {
        log("--- " + name);
        try {
            s.run();
            return true;
        } catch (Exception | AssertionError e) {
            problems.add(name + " could not be measured: " + e.getMessage());
            log(name + " FAILED: " + e);
            return false;
        }
    }

    // ------------------------------------------------------------------ P7 cold start (timed by the shell)

    void coldStart() throws IOException {
        if (coldStartMs == null) {
            throw new AssertionError("no --cold-start-ms given");
        }
        figure("P7 cold start (bin/start to first 200 of /health)", coldStartMs / 1000, "s");
        if (referenceMs != null) {
            figure("P7 reference (JVM start + javac of CoreLoadBench.java, median of 3)", referenceMs / 1000, "s");
        }
        if (karafCpuAtHealthS != null) {
            figure("P7 Karaf JVM CPU time until the first 200", karafCpuAtHealthS, "s");
        }
        // split the start by karaf.log timestamps (local time of the JVMs, which share this machine's zone)
        Path logFile = copy.resolve("data/log/karaf.log");
        if (startEpochMs == null || !Files.exists(logFile)) {
            return;
        }
        Long pgStart = null, binFound = null, pgFirstOutput = null, pgReady = null, lastBoot = null;
        long healthAt = startEpochMs + Math.round(coldStartMs);
        try (Stream<String> lines = Files.lines(logFile, StandardCharsets.ISO_8859_1)) {
            for (String line : (Iterable<String>) lines::iterator) {
                Long t = logTime(line);
                if (t == null || t > healthAt + 1000) {
                    continue;
                }
                if (pgStart == null && line.contains("Starting embedded PostgreSQL")) {
                    pgStart = t;
                } else if (pgStart != null && binFound == null && line.contains("postgres binaries found")) {
                    binFound = t;
                } else if (binFound != null && pgFirstOutput == null && line.contains("| EmbeddedPostgres ")) {
                    pgFirstOutput = t;
                } else if (pgReady == null && line.contains("Embedded PostgreSQL ready on")) {
                    pgReady = t;
                }
                if (line.contains("Can't find the request for") && line.contains("/health")) {
                    startWarnings++;
                }
                lastBoot = t;
            }
        }
        if (pgStart != null) {
            startPhases.put("Karaf and features until the database starts", (pgStart - startEpochMs) / 1000.0);
        }
        if (pgStart != null && pgReady != null) {
            startPhases.put("embedded PostgreSQL start (unpack, initdb, start, create database)", (pgReady - pgStart) / 1000.0);
        }
        if (binFound != null && pgFirstOutput != null) {
            startPhases.put("of which unpacking the PostgreSQL binaries", (pgFirstOutput - binFound) / 1000.0);
        }
        if (pgReady != null) {
            startPhases.put("schema, persistence unit and REST until the first 200", (healthAt - pgReady) / 1000.0);
        }
        startPhases.forEach((k, v) -> System.out.println("P7 phase " + k + ": " + fmt(v) + " s"));
        if (startWarnings > 0) {
            System.out.println("P7 CXF warnings \"Can't find the request for .../health's Observer\" during the start: "
                    + startWarnings + " lines");
        }
    }

    static Long logTime(String line) {
        if (line.length() < 23 || line.charAt(4) != '-' || line.charAt(10) != 'T') {
            return null;
        }
        try {
            return LocalDateTime.parse(line.substring(0, 23), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ set-up and seed

    void setUp() throws Exception {
        check(await(Duration.ofSeconds(60), () -> call(http, "GET", "/subsidiaries", adminAuth, null, null).status == 200),
                "the authenticated API did not answer 200 to the admin within 60 s");
        codes = new String[subsidiaries];
        repAuth = new String[subsidiaries];
        for (int i = 0; i < subsidiaries; i++) {
            codes[i] = String.format(Locale.ROOT, "sub%03d", i + 1);
            Resp r = call(http, "POST", "/subsidiaries", adminAuth, null,
                    json("code", codes[i], "name", "Bench subsidiary " + (i + 1)));
            expect(r, 201, "create subsidiary " + codes[i]);
        }
        // the users one after the other too: subsidiary and user ids then run in step (pgbench's insert uses that)
        long t0 = System.nanoTime();
        for (int i = 0; i < subsidiaries; i++) {
            String login = "rep-" + codes[i];
            Resp r = call(http, "POST", "/users", adminAuth, null, json("login", login, "displayName",
                    "Bench rep " + codes[i], "password", REP_PASSWORD, "homeSubsidiary", codes[i]));
            expect(r, 201, "create user " + login);
            repAuth[i] = basic(login, REP_PASSWORD);
        }
        log(subsidiaries + " subsidiaries and reps created (users: " + fmt(millisSince(t0) / subsidiaries)
                + " ms each, a password hash included)");
    }

    /**
     * Seeds {@code customersPerSubsidiary} customers in every subsidiary, owned by its rep, through the product's bulk
     * path ({@code POST /customers/import}, CSV batches of up to {@value #SEED_BATCH} rows, two subsidiaries at a time):
     * the default 20 × 10,000 = 200,000 customers take well under a minute instead of the quarter of an hour single
     * POSTs would. Each row is validated, checked for a duplicate phone and audited as any import's.
     */
    void seed() throws Exception {
        int concurrency = Math.min(2, subsidiaries);
        List<List<Long>> ids = new ArrayList<>();
        List<int[]> batches = new ArrayList<>(); // subsidiary, first row, rows
        for (int i = 0; i < subsidiaries; i++) {
            ids.add(java.util.Collections.synchronizedList(new ArrayList<>()));
            for (int from = 0; from < customersPerSubsidiary; from += SEED_BATCH) {
                batches.add(new int[] {i, from, Math.min(SEED_BATCH, customersPerSubsidiary - from)});
            }
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Map<String, Integer> errorKinds = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        Pattern idList = Pattern.compile("\"ids\"\\s*:\\s*\\[([0-9,\\s]*)\\]");
        long t0 = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            futures.add(pool.submit(() -> {
                HttpClient client = newClient();
                for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
                    int s = batches.get(b)[0];
                    int from = batches.get(b)[1];
                    int rows = batches.get(b)[2];
                    // owned by the subsidiary's rep: P1 and P6 read them as that rep, who sees only their own customers
                    StringBuilder csv = new StringBuilder("name,phone,owner\n");
                    for (int i = from; i < from + rows; i++) {
                        int n = s * customersPerSubsidiary + i;
                        csv.append("Seed customer ").append(n).append(',')
                                .append(String.format(Locale.ROOT, "+49 30 1%08d", n)).append(",rep-").append(codes[s])
                                .append('\n');
                    }
                    try {
                        Resp r = importBatch(client, codes[s], csv.toString().getBytes(StandardCharsets.UTF_8));
                        Matcher m = r.status == 201 ? idList.matcher(r.body) : null;
                        if (m != null && m.find()) {
                            for (String id : m.group(1).split(",")) {
                                if (!id.isBlank()) {
                                    ids.get(s).add(Long.parseLong(id.trim()));
                                }
                            }
                        } else {
                            errors.addAndGet(rows);
                            errorKinds.merge(r.status + " " + abbreviate(r.body, 160), 1, Integer::sum);
                        }
                    } catch (IOException e) {
                        errors.addAndGet(rows);
                        errorKinds.merge(e.toString(), 1, Integer::sum);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        seedSeconds = millisSince(t0) / 1000;
        idsBySub = new long[subsidiaries][];
        seeded = 0;
        for (int i = 0; i < subsidiaries; i++) {
            idsBySub[i] = ids.get(i).stream().mapToLong(Long::longValue).toArray();
            seeded += idsBySub[i].length;
            check(idsBySub[i].length > 0, "no customer could be created in " + codes[i] + ": " + errorKinds);
        }
        seedRate = seeded / seedSeconds;
        figure("Seed customers imported (admin, " + batches.size() + " batches, " + concurrency + " at a time)", seeded,
                "customers");
        figure("Seed rate", seedRate, "customers/s");
        if (errors.get() > 0) {
            problems.add("seed: " + errors.get() + " of " + subsidiaries * customersPerSubsidiary
                    + " customers failed: " + errorKinds);
        }
    }

    // ------------------------------------------------------------------ idle memory

    void idleMemory() throws Exception {
        Cpu before = Cpu.sample(this);
        log("idle for " + idleSeconds + " s");
        Thread.sleep(idleSeconds * 1000L);
        idleCpu = Cpu.sample(this).minus(before);
        check(alive(karafPid), "the Karaf JVM " + karafPid + " is gone");
        rssKarafMb = statusKb(karafPid, "VmRSS") / 1024.0;
        List<Long> pg = postgresPids();
        check(!pg.isEmpty(), "no embedded PostgreSQL process of " + copy + " found");
        double rss = 0, pss = 0;
        for (long pid : pg) {
            rss += statusKb(pid, "VmRSS");
            pss += smapsKb(pid, "Pss");
        }
        pgProcesses = pg.size();
        rssPgMb = rss / 1024;
        pssPgMb = pss / 1024;
        figure("P7 idle RSS Karaf JVM", rssKarafMb, "MB");
        figure("P7 idle RSS embedded PostgreSQL (" + pgProcesses + " processes)", rssPgMb, "MB");
        figure("P7 idle RSS sum", rssKarafMb + rssPgMb, "MB");
        figure("P7 idle PSS embedded PostgreSQL (shared pages counted once)", pssPgMb, "MB");
        figure("P7 idle CPU Karaf JVM", idleCpu.karaf, "cores");
        // after the RSS reading: attaching jcmd starts a thread in the JVM
        jvmMemory = jvmMemory();
        if (jvmMemory != null) {
            log("Karaf JVM: " + jvmMemory);
        }
    }

    String jvmMemory() {
        try {
            String heap = exec(List.of("jcmd", Long.toString(karafPid), "GC.heap_info"), null, 30);
            StringBuilder sb = new StringBuilder();
            Matcher m = Pattern.compile("heap\\s+total\\s+(\\d+)K, used (\\d+)K").matcher(heap);
            if (m.find()) {
                sb.append(String.format(Locale.ROOT, "heap committed %.0f MB, used %.0f MB", Long.parseLong(m.group(1)) / 1024.0,
                        Long.parseLong(m.group(2)) / 1024.0));
            }
            m = Pattern.compile("Metaspace\\s+used (\\d+)K, committed (\\d+)K").matcher(heap);
            if (m.find()) {
                sb.append(String.format(Locale.ROOT, ", metaspace committed %.0f MB", Long.parseLong(m.group(2)) / 1024.0));
            }
            m = Pattern.compile("class space\\s+used (\\d+)K, committed (\\d+)K").matcher(heap);
            if (m.find()) {
                sb.append(String.format(Locale.ROOT, " (class space %.0f MB)", Long.parseLong(m.group(2)) / 1024.0));
            }
            sb.append(", ").append(statusKb(karafPid, "Threads")).append(" threads");
            String cmd = Files.readString(Path.of("/proc/" + karafPid + "/cmdline")).replace('\0', ' ');
            m = Pattern.compile("(-Xmx\\S+)").matcher(cmd);
            if (m.find()) {
                sb.append(", ").append(m.group(1));
            }
            return sb.toString();
        } catch (Exception e) {
            log("jcmd GC.heap_info failed: " + e);
            return null;
        }
    }

    /** The postmaster of the copy (postmaster.pid, checked against its command line) and all its descendants. */
    List<Long> postgresPids() throws IOException {
        Path pidFile = copy.resolve("data/postgresql/postmaster.pid");
        check(Files.exists(pidFile), pidFile + " is missing");
        long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        String cmd = cmdline(postmaster);
        check(cmd != null && cmd.contains(copy.toString()), "postmaster " + postmaster + " is not the copy's: " + cmd);
        Map<Long, Long> parent = new TreeMap<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String[] f = statFields(Long.parseLong(name));
                    parent.put(Long.parseLong(name), Long.parseLong(f[1]));
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            }
        }
        List<Long> tree = new ArrayList<>(List.of(postmaster));
        for (int i = 0; i < tree.size(); i++) {
            long p = tree.get(i);
            parent.forEach((child, ppid) -> {
                if (ppid == p && !tree.contains(child)) {
                    tree.add(child);
                }
            });
        }
        // the backends rename themselves ("postgres: postgres crm 127.0.0.1(...)"); their executable is the copy's
        tree.removeIf(pid -> {
            try {
                return !Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString().contains(copy.toString());
            } catch (IOException e) {
                return true;
            }
        });
        return tree;
    }

    // ------------------------------------------------------------------ database access for the baselines

    void database() throws Exception {
        Path pidFile = copy.resolve("data/postgresql/postmaster.pid");
        List<String> lines = Files.readAllLines(pidFile);
        pgPort = Integer.parseInt(lines.get(3).trim()); // 4th line: the port
        pgPassword = Files.readString(copy.resolve("data/postgresql.password")).trim();
        String v = psql("SELECT current_setting('server_version') || ', shared_buffers ' || current_setting('shared_buffers')"
                + " || ', max_connections ' || current_setting('max_connections')");
        log("embedded PostgreSQL on 127.0.0.1:" + pgPort + " as postgres (password from data/postgresql.password): " + v);
        String[] r = psql("SELECT min(id), max(id), count(*) FROM crm_customer").split("\\|");
        log("crm_customer: ids " + r[0] + ".." + r[1] + ", " + r[2] + " rows");
        check(Long.parseLong(r[2]) == seeded, "crm_customer has " + r[2] + " rows, the seed created " + seeded);
        // JFR's first start in a JVM loads and initialises the recorder (a second or two of CPU): done here, outside
        // the measured windows, which then pay only for the sampling
        if (profileStart("init")) {
            exec(List.of("jcmd", Long.toString(karafPid), "JFR.stop", "name=bench-init"), null, 60);
        }
    }

    String psql(String sql) throws IOException, InterruptedException {
        return exec(List.of("psql", "-h", "127.0.0.1", "-p", Integer.toString(pgPort), "-U", "postgres", "-d", "crm",
                "-X", "-v", "ON_ERROR_STOP=1", "-Atq", "-c", sql), Map.of("PGPASSWORD", pgPassword), 120).trim();
    }

    long transactions() {
        try {
            return Long.parseLong(psql("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'crm'"));
        } catch (Exception e) {
            log("cannot read pg_stat_database: " + e);
            return -1;
        }
    }

    // ------------------------------------------------------------------ P1, P2

    void p1() throws Exception {
        p1 = load("P1", 16, p1WarmUp, measured, true, (client, rnd, seq) -> {
            int s = rnd.nextInt(subsidiaries);
            long id = idsBySub[s][rnd.nextInt(idsBySub[s].length)];
            Resp r = call(client, "GET", "/customers/" + id, repAuth[s], null, null);
            return r.status == 200 ? null : r.status + " " + abbreviate(r.body, 160);
        });
        report("P1 GET /customers/{id} (reps, c=16)", p1);
    }

    void p2() throws Exception {
        AtomicLong phone = new AtomicLong();
        p2 = load("P2", 8, (client, rnd, seq) -> {
            int s = rnd.nextInt(subsidiaries);
            long n = phone.incrementAndGet();
            Resp r = call(client, "POST", "/customers", repAuth[s], null,
                    json("name", "Load customer " + n, "phone", String.format(Locale.ROOT, "+49 40 2%09d", n)));
            return r.status == 201 ? null : r.status + " " + abbreviate(r.body, 160);
        });
        report("P2 POST /customers (reps, c=8)", p2);
    }

    /**
     * P6: P1 with every plugin installed and ON (the pipeline, ON for every subsidiary) against core only (the pipeline
     * uninstalled), in the same run, in rounds ordered ABBA so that a drift of the machine's speed cancels out. The
     * load uses the reps of at most 4 subsidiaries: every rep's cached sign-in expires after 60 s and its re-check is a
     * PBKDF2 hash (about 0.25 s of CPU); 20 reps would spend about 4 % of the machine on that, in bursts that fall into
     * some rounds and not others, as much as the difference being measured.
     */
    void p6() throws Exception {
        int blocks = quick ? 1 : 3;
        Duration roundWarmUp = Duration.ofSeconds(quick ? 1 : 3);
        Duration roundMeasured = Duration.ofSeconds(quick ? 3 : 10);
        p6Subsidiaries = Math.min(4, subsidiaries);
        Resp r = call(http, "POST", "/admin/plugins/" + PIPELINE_FEATURE, adminAuth, null, "{}");
        expect(r, 200, "install " + PIPELINE_FEATURE);
        check(await(Duration.ofSeconds(30), () -> call(http, "GET", "/modules", adminAuth, null, null).body
                .contains("\"pipeline\"")), "module pipeline did not appear in /modules within 30 s of the install");
        for (String code : codes) {
            expect(call(http, "PUT", "/subsidiaries/" + code + "/modules/pipeline", adminAuth, null, json("state", "ON")), 200,
                    "switch pipeline ON for " + code);
        }
        boolean installed = true;
        check(pipelineInForce(true), "GET /pipeline/stages did not answer 200 to a rep with the pipeline ON");
        log("P6: pipeline installed and ON for " + codes.length + " subsidiaries; " + blocks + " × ABBA rounds of "
                + roundWarmUp.toSeconds() + " s + " + roundMeasured.toSeconds() + " s on the reps of " + p6Subsidiaries
                + " subsidiaries");
        Request get = (client, rnd, seq) -> {
            int s = rnd.nextInt(p6Subsidiaries);
            long id = idsBySub[s][rnd.nextInt(idsBySub[s].length)];
            Resp x = call(client, "GET", "/customers/" + id, repAuth[s], null, null);
            return x.status == 200 ? null : x.status + " " + abbreviate(x.body, 160);
        };
        // an unmeasured priming load first: the rounds right after P3's import ran 25-50 % slower than the later ones
        // in every run (the JIT and PostgreSQL catching up after 100,000 imported rows), and ABBA cancels a steady
        // drift, not a step at its start; without it the first core round made the plugins look up to 7 % faster
        Load prime = load("P6 priming", 16, roundWarmUp, Duration.ofSeconds(quick ? 2 : 30), false, get);
        log(String.format(Locale.ROOT, "P6 priming (not counted): %.0f req/s, p50 %.2f ms, %d errors", prime.rate,
                prime.p50, prime.errors));
        if (prime.errors > 0) {
            problems.add("P6 priming: " + prime.errors + " requests failed: " + prime.errorKinds);
        }
        for (int b = 0; b < blocks; b++) {
            for (boolean plugins : new boolean[] {false, true, true, false}) {
                if (plugins != installed) {
                    long t0 = System.nanoTime();
                    if (plugins) {
                        expect(call(http, "POST", "/admin/plugins/" + PIPELINE_FEATURE, adminAuth, null, "{}"), 200,
                                "reinstall " + PIPELINE_FEATURE);
                    } else {
                        expect(call(http, "DELETE", "/admin/plugins/" + PIPELINE_FEATURE, adminAuth, null, null), 200,
                                "uninstall " + PIPELINE_FEATURE);
                    }
                    check(pipelineInForce(plugins), "the pipeline is " + (plugins ? "not back" : "still answering")
                            + " 30 s after the " + (plugins ? "install" : "uninstall"));
                    installed = plugins;
                    log(String.format(Locale.ROOT, "P6: %s in %.0f ms", plugins ? "installed" : "uninstalled",
                            millisSince(t0)));
                }
                String name = "P6 " + (plugins ? "plugins" : "core") + " " + (p6Order.size() + 1);
                Load l = load(name, 16, roundWarmUp, roundMeasured, false, get);
                (plugins ? p6Plugins : p6Core).add(l);
                p6Order.add(plugins ? "plugins" : "core");
                log(String.format(Locale.ROOT, "%s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, %d errors", name, l.rate, l.p50,
                        l.p99, l.errors));
                if (l.errors > 0) {
                    problems.add(name + ": " + l.errors + " requests failed: " + l.errorKinds);
                }
            }
        }
        double core = mean(p6Core, x -> x.rate), plug = mean(p6Plugins, x -> x.rate);
        figure("P6 core only (pipeline uninstalled) throughput, mean of " + p6Core.size() + " rounds", core, "req/s");
        figure("P6 all plugins (pipeline installed, ON everywhere) throughput, mean of " + p6Plugins.size() + " rounds",
                plug, "req/s");
        figure("P6 core only p50", mean(p6Core, x -> x.p50), "ms");
        figure("P6 all plugins p50", mean(p6Plugins, x -> x.p50), "ms");
        figure("P6 core only p99", mean(p6Core, x -> x.p99), "ms");
        figure("P6 all plugins p99", mean(p6Plugins, x -> x.p99), "ms");
        figure("P6 throughput difference, all plugins vs core only", 100 * (plug - core) / core, "%");
        figure("P6 p50 difference, all plugins vs core only",
                100 * (mean(p6Plugins, x -> x.p50) - mean(p6Core, x -> x.p50)) / mean(p6Core, x -> x.p50), "%");
    }

    boolean pipelineInForce(boolean expected) throws InterruptedException {
        return await(Duration.ofSeconds(30),
                () -> (call(http, "GET", "/pipeline/stages", repAuth[0], null, null).status == 200) == expected);
    }

    static double mean(List<Load> l, java.util.function.ToDoubleFunction<Load> f) {
        return l.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    /** Spread of one variant's rounds: (max - min) / mean of their throughput. */
    static double spread(List<Load> l) {
        double max = l.stream().mapToDouble(x -> x.rate).max().orElse(Double.NaN);
        double min = l.stream().mapToDouble(x -> x.rate).min().orElse(Double.NaN);
        return (max - min) / mean(l, x -> x.rate);
    }

    void report(String name, Load l) {
        figure(name + " throughput", l.rate, "req/s");
        figure(name + " p50", l.p50, "ms");
        figure(name + " p99", l.p99, "ms");
        figure(name + " max", l.max, "ms");
        figure(name + " errors", l.errors, "of " + (l.ok + l.errors));
        printCpu(name.substring(0, 2), l.cpu);
        if (l.xactPerRequest != null) {
            System.out.println(name.substring(0, 2) + " database transactions per request: " + fmt(l.xactPerRequest));
        }
        if (l.profile != null) {
            System.out.println(name.substring(0, 2) + " profile: " + l.profile.describe());
        }
        if (l.errors > 0) {
            problems.add(name + ": " + l.errors + " requests failed: " + l.errorKinds);
        }
        check(l.ok > 0, name + ": no request succeeded");
    }

    void printCpu(String scenario, Cpu c) {
        System.out.println(scenario + " CPU: " + c.describe(cpus));
    }

    interface Request {
        /** @return null when the request succeeded, else what went wrong */
        String call(HttpClient client, ThreadLocalRandom rnd, long seq) throws Exception;
    }

    /** One measured phase: fixed thread pool, one HttpClient (one keep-alive connection) per thread. */
    Load load(String name, int threads, Request request) throws Exception {
        return load(name, threads, warmUp, measured, true, request);
    }

    /** @param snapshots whether to count database transactions and take a top snapshot in the middle */
    Load load(String name, int threads, Duration warmUp, Duration measured, boolean snapshots, Request request)
            throws Exception {
        long start = System.nanoTime();
        long measureStart = start + warmUp.toNanos();
        long measureEnd = measureStart + measured.toNanos();
        Recorder[] recorders = new Recorder[threads];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Recorder rec = recorders[t] = new Recorder();
            futures.add(pool.submit(() -> {
                HttpClient client = newClient();
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                long seq = 0;
                while (System.nanoTime() < measureEnd) {
                    long t0 = System.nanoTime();
                    String error;
                    try {
                        error = request.call(client, rnd, seq++);
                    } catch (IOException e) {
                        error = e.toString();
                    }
                    long t1 = System.nanoTime();
                    if (t1 >= measureStart && t1 < measureEnd) {
                        rec.add(t1 - t0, error);
                    } else if (t1 < measureStart) {
                        rec.warmUp++;
                        if (error != null) {
                            rec.warmUpErrors.merge(error, 1, Integer::sum);
                        }
                    }
                }
                return null;
            }));
        }
        sleepUntil(measureStart);
        long xact0 = snapshots ? transactions() : -1;
        boolean profiling = snapshots && profileStart(name);
        Cpu c0 = Cpu.sample(this);
        sleepUntil(measureStart + measured.toNanos() / 2);
        if (snapshots) {
            top(name);
        }
        sleepUntil(measureEnd);
        Cpu cpu = Cpu.sample(this).minus(c0);
        long xact1 = snapshots ? transactions() : -1;
        Profile profile = profiling ? profileStop(name) : null;
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        Load l = new Load();
        l.cpu = cpu;
        l.profile = profile;
        long[] all = Arrays.stream(recorders).flatMapToLong(r -> Arrays.stream(r.nanos, 0, r.n)).sorted().toArray();
        l.ok = all.length;
        for (Recorder r : recorders) {
            l.errors += r.errors;
            r.errorKinds.forEach((k, v) -> l.errorKinds.merge(k, v, Integer::sum));
            l.warmUp += r.warmUp;
            r.warmUpErrors.forEach((k, v) -> l.warmUpErrors.merge(k, v, Integer::sum));
        }
        l.rate = l.ok / (measured.toNanos() / 1e9);
        if (all.length > 0) {
            l.p50 = pct(all, 50) / 1e6;
            l.p99 = pct(all, 99) / 1e6;
            l.max = all[all.length - 1] / 1e6;
            l.slow = Arrays.stream(all).filter(v -> v > 1_000_000_000L).count();
        }
        if (xact0 >= 0 && xact1 >= xact0 && l.ok + l.errors > 0) {
            l.xactPerRequest = (double) (xact1 - xact0) / (l.ok + l.errors);
        }
        if (!l.warmUpErrors.isEmpty()) {
            log(name + " warm-up errors (not counted): " + l.warmUpErrors);
        }
        log(name + ": " + l.warmUp + " warm-up requests, " + l.ok + " ok and " + l.errors + " failed in the measured "
                + measured.toSeconds() + " s");
        return l;
    }

    static final class Recorder {
        long[] nanos = new long[4096];
        int n;
        int errors;
        int warmUp;
        final Map<String, Integer> errorKinds = new TreeMap<>();
        final Map<String, Integer> warmUpErrors = new TreeMap<>();

        void add(long latency, String error) {
            if (error != null) {
                errors++;
                errorKinds.merge(error, 1, Integer::sum);
                return;
            }
            if (n == nanos.length) {
                nanos = Arrays.copyOf(nanos, n * 2);
            }
            nanos[n++] = latency;
        }
    }

    static final class Load {
        int ok;
        int errors;
        int warmUp;
        long slow;
        double rate;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        double max = Double.NaN;
        Double xactPerRequest;
        Cpu cpu;
        /** What the Karaf JVM ran in the measured window (JFR), or null when not profiled. */
        Profile profile;
        final Map<String, Integer> errorKinds = new TreeMap<>();
        final Map<String, Integer> warmUpErrors = new TreeMap<>();
    }

    // ------------------------------------------------------------------ profile (JFR)

    /**
     * Starts a JFR recording ({@code settings=profile}: Java execution samples every 10 ms) in the Karaf JVM for a
     * measured window; its cost is a few tenths of a percent of the window's CPU.
     *
     * @return whether it started (without {@code jcmd}, the window is measured unprofiled)
     */
    boolean profileStart(String name) {
        try {
            String out = exec(List.of("jcmd", Long.toString(karafPid), "JFR.start", "name=bench-" + name.replace(' ', '-'),
                    "settings=profile", "filename=" + work.resolve("profile-" + name.replace(' ', '-') + ".jfr")), null, 30);
            if (!out.contains("Started recording")) {
                log("JFR did not start for " + name + ": " + abbreviate(out, 200));
                return false;
            }
            return true;
        } catch (Exception e) {
            log("JFR did not start for " + name + ": " + e);
            return false;
        }
    }

    /** Stops the window's recording and reads its execution samples; @return null when that failed */
    Profile profileStop(String name) {
        String file = "profile-" + name.replace(' ', '-');
        try {
            exec(List.of("jcmd", Long.toString(karafPid), "JFR.stop", "name=bench-" + file.substring(8)), null, 60);
            Path text = work.resolve(file + ".samples.txt");
            Process p = new ProcessBuilder("jfr", "print", "--stack-depth", "64", "--events", "jdk.ExecutionSample",
                    work.resolve(file + ".jfr").toString()).redirectErrorStream(true).redirectOutput(text.toFile()).start();
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                log("jfr print did not finish for " + name);
                return null;
            }
            Profile profile = Profile.read(text);
            Files.writeString(work.resolve(file + ".txt"), profile.report());
            Files.delete(text);
            return profile.samples == 0 ? null : profile;
        } catch (Exception e) {
            log("profile of " + name + " failed: " + e);
            return null;
        }
    }

    /**
     * JFR execution samples of one window, by the library whose code was running: each sample counts for the first
     * frame from the top that is not the JDK's (JDK code is charged to the library that called it), and for every
     * library and CRM class anywhere on its stack (inclusive). JFR samples threads running Java code only: time in
     * the garbage collector, the JIT compiler and system calls (socket reads and writes) is not in it.
     */
    static final class Profile {
        int samples;
        final Map<String, Integer> self = new TreeMap<>();
        final Map<String, Integer> inclusive = new TreeMap<>();
        final Map<String, Integer> crmClasses = new TreeMap<>();
        final Map<String, Integer> hotMethods = new TreeMap<>();

        static Profile read(Path text) throws IOException {
            Profile p = new Profile();
            List<String> frames = new ArrayList<>();
            boolean inStack = false;
            try (var lines = Files.lines(text)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    String t = line.trim();
                    if (t.startsWith("stackTrace = [")) {
                        inStack = true;
                        frames.clear();
                    } else if (inStack && t.equals("]")) {
                        inStack = false;
                        p.add(frames);
                    } else if (inStack && !t.equals("...") && t.indexOf('(') > 0) {
                        frames.add(t);
                    }
                }
            }
            return p;
        }

        /** @param frames top frame first, as {@code jfr print} writes them: {@code pkg.Class.method(Args) line: N} */
        void add(List<String> frames) {
            if (frames.isEmpty()) {
                return;
            }
            samples++;
            String top = frames.get(0);
            hotMethods.merge(method(top), 1, Integer::sum);
            String charged = "JDK";
            java.util.Set<String> libraries = new java.util.HashSet<>();
            java.util.Set<String> classes = new java.util.HashSet<>();
            for (String f : frames) {
                String cls = className(f);
                String lib = library(cls);
                if ("JDK".equals(charged) && !"JDK".equals(lib)) {
                    charged = lib;
                }
                libraries.add(lib);
                if (cls.startsWith("org.groupcrm.")) {
                    classes.add(cls.substring(cls.lastIndexOf('.') + 1).replaceAll("\\$.*", ""));
                }
            }
            self.merge(charged, 1, Integer::sum);
            libraries.forEach(l -> inclusive.merge(l, 1, Integer::sum));
            classes.forEach(c -> crmClasses.merge(c, 1, Integer::sum));
        }

        static String method(String frame) {
            return frame.substring(0, frame.indexOf('('));
        }

        static String className(String frame) {
            String m = method(frame);
            int dot = m.lastIndexOf('.');
            return dot < 0 ? m : m.substring(0, dot);
        }

        static String library(String cls) {
            if (cls.startsWith("org.postgresql.")) {
                return "PostgreSQL JDBC";
            } else if (cls.startsWith("org.eclipse.persistence.")) {
                return "EclipseLink";
            } else if (cls.startsWith("org.apache.cxf.")) {
                return "CXF";
            } else if (cls.startsWith("org.eclipse.jetty.") || cls.startsWith("org.ops4j.pax.web.")) {
                return "Jetty/Pax Web";
            } else if (cls.startsWith("com.fasterxml.jackson.")) {
                return "Jackson";
            } else if (cls.startsWith("org.groupcrm.")) {
                return "CRM";
            } else if (cls.startsWith("com.zaxxer.hikari.")) {
                return "HikariCP";
            } else if (cls.startsWith("org.apache.aries.")) {
                return "Aries";
            } else if (cls.startsWith("org.apache.felix.") || cls.startsWith("org.osgi.") || cls.startsWith("org.apache.karaf.")
                    || cls.startsWith("org.ops4j.")) {
                return "OSGi/Karaf";
            } else if (cls.startsWith("java.") || cls.startsWith("javax.") || cls.startsWith("jdk.") || cls.startsWith("sun.")
                    || cls.startsWith("com.sun.")) {
                return "JDK";
            }
            String[] parts = cls.split("\\.");
            return parts.length >= 2 ? parts[0] + "." + parts[1] : cls;
        }

        /** @return the largest entries of {@code m} as "name share %", at most {@code n} */
        String top(Map<String, Integer> m, int n) {
            return m.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
                    .map(e -> e.getKey() + " " + Math.round(100.0 * e.getValue() / samples) + " %")
                    .reduce((a, b) -> a + ", " + b).orElse("-");
        }

        /** One line for the notes under the table. */
        String describe() {
            return samples + " JFR samples; by the library whose code ran (JDK code charged to its caller): "
                    + top(self, 6) + "; on the stack: " + top(inclusive, 7) + "; CRM classes on the stack: "
                    + top(crmClasses, 5) + "; hottest methods: " + top(hotMethods, 3) + ".";
        }

        /** The whole breakdown, kept with the logs. */
        String report() {
            return "samples: " + samples + "\n\nby library (self, JDK code charged to its caller):\n" + top(self, 30)
                    .replace(", ", "\n") + "\n\non the stack (inclusive):\n" + top(inclusive, 30).replace(", ", "\n")
                    + "\n\nCRM classes on the stack:\n" + top(crmClasses, 40).replace(", ", "\n")
                    + "\n\nhottest methods (top frame):\n" + top(hotMethods, 40).replace(", ", "\n") + "\n";
        }
    }

    /** A snapshot of the top of {@code top} in the middle of a measured window, kept with the logs. */
    void top(String name) {
        try {
            String out = exec(List.of("top", "-b", "-n", "1", "-w", "200"), null, 20);
            Files.writeString(work.resolve("top-" + name.replace(' ', '-') + ".txt"),
                    out.lines().limit(25).reduce("", (a, b) -> a + b + "\n"));
        } catch (Exception e) {
            log("top failed: " + e);
        }
    }

    // ------------------------------------------------------------------ pgbench baselines

    void pgbenchSelect() throws Exception {
        String[] r = psql("SELECT min(id), max(id) FROM crm_customer").split("\\|");
        Path script = work.resolve("pgbench-select.sql");
        Files.writeString(script, "\\set id random(:minid, :maxid)\n"
                + "SELECT id, subsidiary_id, name, phone, email, occupation, birth_year, address, notes, owner_id,"
                + " entered_by_id, created_at, updated_at, version, archived FROM crm_customer WHERE id = :id;\n");
        pgSelect = pgbench("select", 16, script, Map.of("minid", r[0], "maxid", r[1]));
        reportPgbench("pgbench PK select on crm_customer (c=16)", "B1", pgSelect);
    }

    void pgbenchInsert() throws Exception {
        // the rep of subsidiary s has the user id s + offset when both were created in step (setUp does)
        String[] m = psql("SELECT min(s.id), max(s.id), count(*), min(u.id - s.id), max(u.id - s.id) FROM crm_subsidiary s"
                + " JOIN crm_user u ON u.home_subsidiary_id = s.id WHERE u.login LIKE 'rep-sub%'").split("\\|");
        long minSid = Long.parseLong(m[0]), maxSid = Long.parseLong(m[1]), count = Long.parseLong(m[2]);
        long offMin = Long.parseLong(m[3]), offMax = Long.parseLong(m[4]);
        if (offMin != offMax || maxSid - minSid + 1 != count) {
            notes.add("pgbench INSERT used one subsidiary and rep only (ids not in step: " + String.join("|", m) + ")");
            maxSid = minSid;
        }
        String cols = "subsidiary_id, name, phone, email, occupation, birth_year, address, notes, owner_id, entered_by_id,"
                + " created_at, updated_at, version, archived";
        psql("SET client_min_messages = warning; DROP TABLE IF EXISTS bench_customer;"
                + " CREATE TABLE bench_customer (LIKE crm_customer INCLUDING ALL);"
                + " CREATE SEQUENCE bench_customer_id_seq OWNED BY bench_customer.id;"
                + " ALTER TABLE bench_customer ALTER COLUMN id SET DEFAULT nextval('bench_customer_id_seq');"
                + " ALTER TABLE bench_customer ADD FOREIGN KEY (subsidiary_id) REFERENCES crm_subsidiary (id),"
                + " ADD FOREIGN KEY (owner_id) REFERENCES crm_user (id), ADD FOREIGN KEY (entered_by_id) REFERENCES crm_user (id);"
                + " INSERT INTO bench_customer (" + cols + ") SELECT " + cols + " FROM crm_customer;"
                + " ANALYZE bench_customer");
        Path script = work.resolve("pgbench-insert.sql");
        Files.writeString(script, "\\set s random(:minsid, :maxsid)\n"
                + "\\set u :s + :uoff\n"
                + "\\set p random(1, 999999999)\n"
                + "INSERT INTO bench_customer (" + cols + ") VALUES (:s, 'pgbench customer', '+49 40 3' || CAST(:p AS text),"
                + " NULL, NULL, NULL, NULL, NULL, :u, :u, now(), now(), 1, false);\n");
        pgInsert = pgbench("insert", 8, script, Map.of("minsid", Long.toString(minSid), "maxsid", Long.toString(maxSid),
                "uoff", Long.toString(offMin)));
        reportPgbench("pgbench single-row INSERT into bench_customer (c=8)", "B2", pgInsert);
    }

    void reportPgbench(String name, String scenario, Pgb p) {
        figure(name + " tps", p.tps, "tx/s");
        figure(name + " p50", p.p50, "ms");
        figure(name + " p99", p.p99, "ms");
        figure(name + " failed", p.failed, "of " + (p.processed + p.failed));
        printCpu(scenario, p.cpu);
        check(p.tps > 0, name + ": no tps");
    }

    static final class Pgb {
        double tps;
        long processed;
        long failed;
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        Cpu cpu;
    }

    Pgb pgbench(String name, int clients, Path script, Map<String, String> vars) throws Exception {
        String prefix = work.resolve("pgblog-" + name).toString();
        List<String> cmd = new ArrayList<>(List.of("pgbench", "-n", "-h", "127.0.0.1", "-p", Integer.toString(pgPort),
                "-U", "postgres", "-c", Integer.toString(clients), "-j", "2", "-T", Integer.toString(pgbenchSeconds),
                "-M", "prepared", "-f", script.toString(), "-l", "--log-prefix=" + prefix));
        vars.forEach((k, v) -> cmd.addAll(List.of("-D", k + "=" + v)));
        cmd.add("crm");
        log(String.join(" ", cmd));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", pgPassword);
        Cpu c0 = Cpu.sample(this);
        Process p = pb.start();
        Thread topLater = new Thread(() -> {
            try {
                Thread.sleep(pgbenchSeconds * 500L);
                top("pgbench-" + name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        topLater.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        check(p.waitFor(pgbenchSeconds + 120L, TimeUnit.SECONDS), "pgbench did not end");
        Cpu cpu = Cpu.sample(this).minus(c0);
        topLater.join();
        Files.writeString(work.resolve("pgbench-" + name + "-output.txt"), out);
        check(p.exitValue() == 0, "pgbench exit " + p.exitValue() + ": " + abbreviate(out, 600));
        Pgb r = new Pgb();
        r.cpu = cpu;
        Matcher m = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)").matcher(out);
        check(m.find(), "no tps in the pgbench output: " + abbreviate(out, 600));
        r.tps = Double.parseDouble(m.group(1));
        m = Pattern.compile("number of transactions actually processed: (\\d+)").matcher(out);
        if (m.find()) {
            r.processed = Long.parseLong(m.group(1));
        }
        m = Pattern.compile("number of failed transactions: (\\d+)").matcher(out);
        if (m.find()) {
            r.failed = Long.parseLong(m.group(1));
        }
        // per-transaction log: client_id transaction_no time(us) script_no epoch us ...
        List<Path> logs;
        try (Stream<Path> files = Files.list(work)) {
            logs = files.filter(f -> f.toString().startsWith(prefix + ".")).toList();
        }
        long[] lat = logs.stream().flatMap(f -> {
            try {
                return Files.readAllLines(f).stream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).map(l -> l.split(" ")).filter(f -> f.length > 2 && f[2].chars().allMatch(Character::isDigit))
                .mapToLong(f -> Long.parseLong(f[2])).sorted().toArray();
        for (Path f : logs) {
            Files.deleteIfExists(f);
        }
        if (lat.length > 0) {
            r.p50 = pct(lat, 50) / 1000.0;
            r.p99 = pct(lat, 99) / 1000.0;
        }
        return r;
    }

    // ------------------------------------------------------------------ P3 bulk import and its COPY baseline

    static final class Imp {
        Profile profile;
        int rows;
        int batches;
        double seconds;
        double rate;
        double p50 = Double.NaN;
        double max = Double.NaN;
        Cpu cpu;
        double copySeconds;
        double copyRate;
        Cpu copyCpu;
        double copyNoFkRate;
        int failed;
        final Map<String, Integer> errorKinds = new TreeMap<>();
    }

    /**
     * P3: {@code importRows} new customers of the first subsidiary, owned by its rep, entered by the admin, as CSV in
     * batches of {@code importBatch}, one request after the other; then the same rows with psql's COPY, in the same
     * batches (one transaction each), into {@code bench_import}: crm_customer's columns, indexes and foreign keys, its
     * rows as they were before the import, its own sequence. For reference also into {@code bench_import_nofk}, the same
     * without the foreign keys. A CHECKPOINT before each, so neither pays for the other's dirty pages.
     */
    void p3() throws Exception {
        String code = codes[0];
        String owner = "rep-" + code;
        String[] ids = psql("SELECT s.id, u.id, a.id, (SELECT coalesce(max(id), 0) FROM crm_customer) FROM crm_subsidiary s,"
                + " crm_user u, crm_user a WHERE s.code = '" + code + "' AND u.login = '" + owner + "' AND a.login = 'admin'")
                .split("\\|");
        long sid = Long.parseLong(ids[0]);
        long maxBefore = Long.parseLong(ids[3]);
        String counts = "SELECT (SELECT count(*) FROM crm_customer WHERE subsidiary_id = " + sid + ") || '|' || (SELECT count(*)"
                + " FROM crm_audit WHERE subsidiary_id = " + sid + " AND entity = 'customer' AND action = 'CREATE')";
        String[] before = psql(counts).split("\\|");

        // the rows, as CSV request bodies and as COPY text files with the same values
        String stamp = java.time.Instant.now().toString();
        List<byte[]> bodies = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        Path dir = Files.createDirectories(work.resolve("p3"));
        List<Path> copyFiles = new ArrayList<>();
        for (int from = 0; from < importRows; from += importBatch) {
            int to = Math.min(importRows, from + importBatch);
            StringBuilder csv = new StringBuilder("name,phone,email,occupation,address,notes,owner\n");
            StringBuilder tsv = new StringBuilder();
            for (int i = from; i < to; i++) {
                String name = "Imported customer " + i;
                String phone = String.format(Locale.ROOT, "+49 69 3%08d", i);
                String email = "import" + i + "@example.com";
                String address = "Hauptstrasse " + (i % 500 + 1) + ", 60311 Frankfurt";
                String notes = "moved from the previous CRM";
                csv.append(name).append(',').append(phone).append(',').append(email).append(",buyer,\"").append(address)
                        .append("\",").append(notes).append(',').append(owner).append('\n');
                tsv.append(sid).append('\t').append(name).append('\t').append(phone).append('\t').append(email)
                        .append("\tbuyer\t\\N\t").append(address).append('\t').append(notes).append('\t').append(ids[1])
                        .append('\t').append(ids[2]).append('\t').append(stamp).append('\t').append(stamp).append("\t1\tf\n");
            }
            bodies.add(csv.toString().getBytes(StandardCharsets.UTF_8));
            sizes.add(to - from);
            Path f = dir.resolve("batch-" + copyFiles.size() + ".tsv");
            Files.writeString(f, tsv, StandardCharsets.UTF_8);
            copyFiles.add(f);
        }

        Imp r = new Imp();
        r.rows = importRows;
        r.batches = bodies.size();
        psql("CHECKPOINT");
        boolean profiling = profileStart("P3");
        Cpu c0 = Cpu.sample(this);
        long[] latencies = new long[bodies.size()];
        HttpClient client = newClient();
        long t0 = System.nanoTime();
        for (int b = 0; b < bodies.size(); b++) {
            long b0 = System.nanoTime();
            String error;
            try {
                Resp resp = importBatch(client, code, bodies.get(b));
                String created = field(resp.body, "created");
                error = resp.status == 201 && String.valueOf(sizes.get(b)).equals(created) ? null
                        : resp.status + " " + abbreviate(resp.body, 200);
            } catch (IOException e) {
                error = e.toString();
            }
            latencies[b] = System.nanoTime() - b0;
            if (error != null) {
                r.failed++;
                r.errorKinds.merge(error, 1, Integer::sum);
            }
            if (b == bodies.size() / 2) {
                top("P3");
            }
        }
        r.seconds = (System.nanoTime() - t0) / 1e9;
        r.cpu = Cpu.sample(this).minus(c0);
        r.profile = profiling ? profileStop("P3") : null;
        r.rate = importRows / r.seconds;
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        r.p50 = pct(sorted, 50) / 1e6;
        r.max = sorted[sorted.length - 1] / 1e6;
        String[] after = psql(counts).split("\\|");
        long addedCustomers = Long.parseLong(after[0]) - Long.parseLong(before[0]);
        long addedAudit = Long.parseLong(after[1]) - Long.parseLong(before[1]);
        log("P3: " + r.batches + " batches, " + fmt(r.seconds) + " s, " + r.failed + " failed; " + addedCustomers
                + " customers and " + addedAudit + " audit rows added");
        p3 = r;

        // the baselines
        String cols = "subsidiary_id, name, phone, email, occupation, birth_year, address, notes, owner_id, entered_by_id,"
                + " created_at, updated_at, version, archived";
        for (String table : List.of("bench_import", "bench_import_nofk")) {
            psql("SET client_min_messages = warning; DROP TABLE IF EXISTS " + table + ";"
                    + " CREATE TABLE " + table + " (LIKE crm_customer INCLUDING ALL);"
                    + " CREATE SEQUENCE " + table + "_id_seq OWNED BY " + table + ".id;"
                    + " ALTER TABLE " + table + " ALTER COLUMN id SET DEFAULT nextval('" + table + "_id_seq');"
                    + (table.endsWith("nofk") ? "" : " ALTER TABLE " + table + " ADD FOREIGN KEY (subsidiary_id) REFERENCES"
                    + " crm_subsidiary (id), ADD FOREIGN KEY (owner_id) REFERENCES crm_user (id), ADD FOREIGN KEY"
                    + " (entered_by_id) REFERENCES crm_user (id);")
                    + " INSERT INTO " + table + " (" + cols + ") SELECT " + cols + " FROM crm_customer WHERE id <= " + maxBefore
                    + " ORDER BY id; ANALYZE " + table);
        }
        StringBuilder script = new StringBuilder("\\timing on\n");
        StringBuilder scriptNoFk = new StringBuilder("\\timing on\n");
        for (Path f : copyFiles) {
            script.append("\\copy bench_import (").append(cols).append(") FROM '").append(f).append("'\n");
            scriptNoFk.append("\\copy bench_import_nofk (").append(cols).append(") FROM '").append(f).append("'\n");
        }
        psql("CHECKPOINT");
        Cpu k0 = Cpu.sample(this);
        r.copySeconds = psqlCopy(dir.resolve("copy.sql"), script.toString());
        r.copyCpu = Cpu.sample(this).minus(k0);
        r.copyRate = importRows / r.copySeconds;
        psql("CHECKPOINT");
        r.copyNoFkRate = importRows / psqlCopy(dir.resolve("copy-nofk.sql"), scriptNoFk.toString());
        long copied = Long.parseLong(psql("SELECT count(*) FROM bench_import WHERE id > (SELECT count(*) FROM crm_customer"
                + " WHERE id <= " + maxBefore + ")"));

        figure("P3 bulk import POST /customers/import (CSV, " + r.batches + " batches of " + importBatch + ")", r.rate, "rows/s");
        figure("P3 batch latency p50", r.p50, "ms");
        figure("P3 batch latency max", r.max, "ms");
        figure("P3 batches failed", r.failed, "of " + r.batches);
        figure("P3 baseline COPY into bench_import (crm_customer's indexes and foreign keys, same batches)", r.copyRate, "rows/s");
        figure("P3 COPY without the foreign keys (bench_import_nofk)", r.copyNoFkRate, "rows/s");
        figure("P3 import / COPY", 100 * r.rate / r.copyRate, "% (goal >= " + Math.round(GOAL_P3_SHARE * 100) + " %)");
        figure("P3 import / COPY without foreign keys", 100 * r.rate / r.copyNoFkRate, "%");
        printCpu("P3", r.cpu);
        if (r.profile != null) {
            System.out.println("P3 profile: " + r.profile.describe());
        }
        printCpu("B3", r.copyCpu);
        if (r.failed > 0) {
            problems.add("P3: " + r.failed + " of " + r.batches + " batches failed: " + r.errorKinds);
        }
        if (r.failed == 0) {
            check(addedCustomers == importRows, "P3: " + addedCustomers + " customers were added for " + importRows + " rows");
            check(addedAudit == addedCustomers, "P3: " + addedAudit + " audit rows for " + addedCustomers + " customers");
        }
        check(copied == importRows, "P3 baseline: COPY added " + copied + " rows of " + importRows);
    }

    Resp importBatch(HttpClient client, String subsidiary, byte[] csv) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/customers/import")).timeout(IMPORT_TIMEOUT)
                .header("Authorization", adminAuth).header("Accept", "application/json").header("X-Subsidiary", subsidiary)
                .header("Content-Type", "text/csv; charset=utf-8").POST(HttpRequest.BodyPublishers.ofByteArray(csv)).build();
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Resp(r.statusCode(), r.body() == null ? "" : r.body());
    }

    /** Runs a psql script of {@code \copy} commands; @return the sum of their times (psql's \timing), in seconds */
    double psqlCopy(Path file, String script) throws Exception {
        Files.writeString(file, script);
        String out = exec(List.of("psql", "-h", "127.0.0.1", "-p", Integer.toString(pgPort), "-U", "postgres", "-d", "crm",
                "-X", "-v", "ON_ERROR_STOP=1", "-Atq", "-f", file.toString()), Map.of("PGPASSWORD", pgPassword), 900);
        Matcher m = Pattern.compile("Time: ([0-9.]+) ms").matcher(out);
        double ms = 0;
        int n = 0;
        while (m.find()) {
            ms += Double.parseDouble(m.group(1));
            n++;
        }
        check(n == Math.ceil((double) importRows / importBatch), "psql timed " + n + " COPY commands: " + abbreviate(out, 400));
        return ms / 1000;
    }

    // ------------------------------------------------------------------ CPU accounting from /proc

    /** CPU ticks of the Karaf JVM, the PostgreSQL tree, this JVM, its reaped children (pgbench, psql) and the machine. */
    static final class Cpu {
        double seconds;
        double karaf;
        double postgres;
        double self;
        double children;
        double machineBusy;
        double steal;
        /** After {@link #minus}: the CPU figures are in cores (CPU seconds per second). */
        boolean rates;

        static Cpu sample(CoreLoadBench b) {
            Cpu c = new Cpu();
            c.seconds = System.nanoTime() / 1e9;
            try {
                String[] k = statFields(b.karafPid);
                c.karaf = ticks(k, 11, 12, 13, 14) / b.clockTicks;
            } catch (IOException | RuntimeException e) {
                c.karaf = Double.NaN;
            }
            try {
                List<Long> pg = b.postgresPids();
                double sum = 0;
                for (int i = 0; i < pg.size(); i++) {
                    String[] f = statFields(pg.get(i));
                    // the postmaster's reaped children (ended backends, e.g. pgbench's) count in its cutime/cstime
                    sum += i == 0 ? ticks(f, 11, 12, 13, 14) : ticks(f, 11, 12);
                }
                c.postgres = sum / b.clockTicks;
            } catch (IOException | RuntimeException e) {
                c.postgres = Double.NaN;
            }
            try {
                String[] s = statFields(ProcessHandle.current().pid());
                c.self = ticks(s, 11, 12) / b.clockTicks;
                c.children = ticks(s, 13, 14) / b.clockTicks;
            } catch (IOException | RuntimeException e) {
                c.self = c.children = Double.NaN;
            }
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                // cpu user nice system idle iowait irq softirq steal
                double busy = 0;
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                    busy += Double.parseDouble(f[i]);
                }
                c.machineBusy = busy / b.clockTicks;
                c.steal = Double.parseDouble(f[8]) / b.clockTicks;
            } catch (IOException | RuntimeException e) {
                c.machineBusy = c.steal = Double.NaN;
            }
            return c;
        }

        static double ticks(String[] stat, int... fields) {
            double t = 0;
            for (int f : fields) {
                t += Double.parseDouble(stat[f]);
            }
            return t;
        }

        Cpu minus(Cpu o) {
            Cpu d = new Cpu();
            double s = seconds - o.seconds;
            d.seconds = s;
            d.karaf = (karaf - o.karaf) / s;
            d.postgres = (postgres - o.postgres) / s;
            d.self = (self - o.self) / s;
            d.children = (children - o.children) / s;
            d.machineBusy = (machineBusy - o.machineBusy) / s;
            d.steal = (steal - o.steal) / s;
            d.rates = true;
            return d;
        }

        double others() {
            return machineBusy - karaf - postgres - self - children;
        }

        String describe(int cpus) {
            return String.format(Locale.ROOT, "Karaf JVM %.2f, PostgreSQL %.2f, load generator (bench JVM) %.2f, pgbench/psql %.2f,"
                    + " other processes %.2f cores; machine busy %.2f of %d cores (steal %.2f)", karaf, postgres, self,
                    children, others(), machineBusy, cpus, steal);
        }
    }

    static String[] statFields(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        // after the command name in parentheses: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
        return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
    }

    static long statusKb(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
            }
        }
        throw new IOException(key + " not in /proc/" + pid + "/status");
    }

    static long smapsKb(long pid, String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
                if (line.startsWith(key + ":")) {
                    return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException e) {
            // not readable: counted as 0
        }
        return 0;
    }

    static String cmdline(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        } catch (IOException e) {
            return null;
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static long clockTicks() {
        try {
            return Long.parseLong(exec(List.of("getconf", "CLK_TCK"), null, 10).trim());
        } catch (Exception e) {
            return 100;
        }
    }

    static String exec(List<String> cmd, Map<String, String> env, int timeoutSeconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (env != null) {
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd.get(0) + " did not end within " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(cmd.get(0) + " exit " + p.exitValue() + ": " + abbreviate(out, 400));
        }
        return out;
    }

    // ------------------------------------------------------------------ table

    record Row(String figure, String value, String baseline, String ratio, String goal, Boolean met) {
    }

    void finish() throws IOException {
        List<Row> rows = new ArrayList<>();
        if (coldStartMs != null) {
            double s = coldStartMs / 1000;
            rows.add(new Row("P7 cold start: `bin/start` of a fresh copy → first 200 of `/health`", fmt(s) + " s",
                    referenceMs == null ? "" : "JVM start + javac of the bench " + fmt(referenceMs / 1000) + " s",
                    referenceMs == null ? "" : fmt(coldStartMs / referenceMs) + "×", "≤ 8 s", s <= GOAL_COLD_START_S));
        }
        if (karafCpuAtHealthS != null) {
            rows.add(new Row("P7 Karaf JVM CPU time until then", fmt(karafCpuAtHealthS) + " s", "", "", "", null));
        }
        if (rssKarafMb != null) {
            rows.add(new Row("P7 idle RSS Karaf JVM (" + idleSeconds + " s after the seed)", fmt(rssKarafMb) + " MB", "", "", "", null));
            rows.add(new Row("P7 idle RSS embedded PostgreSQL (" + pgProcesses + " processes, sum)", fmt(rssPgMb) + " MB",
                    "", "", "", null));
            double sum = rssKarafMb + rssPgMb;
            rows.add(new Row("P7 idle RSS sum", fmt(sum) + " MB", "", "", "≤ 400 MB", sum <= GOAL_IDLE_RSS_MB));
            rows.add(new Row("P7 (idle PSS embedded PostgreSQL, shared memory counted once)", fmt(pssPgMb) + " MB", "", "", "", null));
        }
        if (seedRate != null) {
            rows.add(new Row("Seed: `POST /customers/import` as admin, batches of up to " + SEED_BATCH + ", 2 at a time ("
                    + seeded + " customers in " + fmt(seedSeconds) + " s)", fmt(seedRate) + " customers/s", "", "", "", null));
        }
        loadRows(rows, "P1 GET /customers/{id} as reps, c=16", p1, pgSelect, "pgbench PK select c=16", GOAL_P1_SHARE);
        loadRows(rows, "P2 POST /customers as reps, c=8", p2, pgInsert, "pgbench INSERT c=8", GOAL_P2_SHARE);
        if (!p6Core.isEmpty() && !p6Plugins.isEmpty()) {
            double core = mean(p6Core, x -> x.rate), plug = mean(p6Plugins, x -> x.rate);
            double diff = (plug - core) / core;
            String what = "P6 P1 with all plugins (pipeline installed, ON in all " + subsidiaries + " subsidiaries) vs core only, "
                    + p6Plugins.size() + " + " + p6Core.size() + " rounds ABBA";
            rows.add(new Row(what + ": throughput", fmt(plug) + " req/s", "core only " + fmt(core) + " req/s",
                    String.format(Locale.ROOT, "%+.1f %%", 100 * diff), "≥ −5 % (≤ 5 % slower)", diff >= -GOAL_P6_OVERHEAD));
            double p50c = mean(p6Core, x -> x.p50), p50p = mean(p6Plugins, x -> x.p50);
            rows.add(new Row("P6 p50", fmt(p50p) + " ms", "core only " + fmt(p50c) + " ms",
                    String.format(Locale.ROOT, "%+.1f %%", 100 * (p50p - p50c) / p50c), "", null));
            double p99c = mean(p6Core, x -> x.p99), p99p = mean(p6Plugins, x -> x.p99);
            rows.add(new Row("P6 p99", fmt(p99p) + " ms", "core only " + fmt(p99c) + " ms",
                    String.format(Locale.ROOT, "%+.1f %%", 100 * (p99p - p99c) / p99c), "", null));
            long errs = p6Core.stream().mapToLong(x -> x.errors).sum() + p6Plugins.stream().mapToLong(x -> x.errors).sum();
            rows.add(new Row("P6 errors", errs + "", "", "", "", null));
        }
        if (p3 != null && p3.copyRate > 0) {
            double share = p3.rate / p3.copyRate;
            rows.add(new Row("P3 bulk import: `POST /customers/import` (CSV) of " + p3.rows + " customers, " + p3.batches
                    + " batches of " + importBatch + " one after the other", fmt(p3.rate) + " rows/s",
                    "COPY of the same rows, same batches, into a copy of crm_customer (indexes, foreign keys) " + fmt(p3.copyRate)
                    + " rows/s", pctText(share), "≥ " + Math.round(GOAL_P3_SHARE * 100) + " % of COPY", share >= GOAL_P3_SHARE));
            rows.add(new Row("P3 batch latency p50 / max", fmt(p3.p50) + " / " + fmt(p3.max) + " ms", "", "", "", null));
            rows.add(new Row("P3 batches failed", p3.failed + " of " + p3.batches, "", "", "", null));
            rows.add(new Row("P3 (reference: COPY without crm_customer's foreign keys)", fmt(p3.copyNoFkRate) + " rows/s", "",
                    pctText(p3.rate / p3.copyNoFkRate), "", null));
        }

        StringBuilder t = new StringBuilder();
        t.append("| figure | value | same-run baseline | ratio | goal | met |\n");
        t.append("|---|---:|---|---:|---|---|\n");
        for (Row r : rows) {
            t.append("| ").append(r.figure).append(" | ").append(r.value).append(" | ").append(r.baseline).append(" | ")
                    .append(r.ratio).append(" | ").append(r.goal).append(" | ")
                    .append(r.met == null ? "" : r.met ? "yes" : "**no**").append(" |\n");
        }
        List<String> lines = new ArrayList<>();
        lines.add("Baselines: pgbench " + pgbenchVersion() + " on the CRM's own embedded PostgreSQL (-j 2 -T "
                + pgbenchSeconds + " -M prepared); the INSERT goes into `bench_customer` (LIKE crm_customer INCLUDING ALL,"
                + " own sequence, the same three foreign keys, a copy of the rows), dropped afterwards. P3's COPY: psql"
                + " `\\copy` of the rows the import sent (as COPY text), one transaction per batch, into `bench_import`"
                + " (the same layout and keys, crm_customer's rows from before the import), timed by psql's `\\timing`;"
                + " a CHECKPOINT before the import and before each COPY run. The import also writes an audit row per"
                + " customer and checks each phone against the subsidiary's customers; COPY does neither.");
        List<String> cpuParts = new ArrayList<>();
        if (p1 != null) {
            cpuParts.add("P1: " + p1.cpu.describe(cpus));
        }
        if (pgSelect != null) {
            cpuParts.add("pgbench select: " + pgSelect.cpu.describe(cpus));
        }
        if (p2 != null) {
            cpuParts.add("P2: " + p2.cpu.describe(cpus));
        }
        if (pgInsert != null) {
            cpuParts.add("pgbench INSERT: " + pgInsert.cpu.describe(cpus));
        }
        if (p3 != null) {
            cpuParts.add("P3 import: " + p3.cpu.describe(cpus));
            if (p3.copyCpu != null) {
                cpuParts.add("P3 COPY: " + p3.copyCpu.describe(cpus));
            }
        }
        if (!cpuParts.isEmpty()) {
            lines.add("CPU in the measured windows, from /proc (cores of " + cpus + "): " + String.join("; ", cpuParts) + ".");
        }
        explain(lines);
        if (!p6Core.isEmpty() && !p6Plugins.isEmpty()) {
            List<String> rounds = new ArrayList<>();
            int ci = 0, pi = 0;
            for (String o : p6Order) {
                Load l = o.equals("core") ? p6Core.get(ci++) : p6Plugins.get(pi++);
                rounds.add(o + " " + fmt(l.rate));
            }
            lines.add(String.format(Locale.ROOT, "P6 rounds (req/s, in order; the reps of %d subsidiaries, c=16, each round "
                    + "%s): %s; spread within a variant (max − min) / mean: core only %.1f %%, all plugins %.1f %%: a difference "
                    + "smaller than the spread is noise.", p6Subsidiaries, quick ? "1 s warm-up + 3 s"
                    : "3 s warm-up + 10 s", String.join(", ", rounds), 100 * spread(p6Core), 100 * spread(p6Plugins)));
        }
        noise(lines);
        lines.addAll(notes);
        problems.forEach(p -> lines.add("NOT MEASURED / FAILED: " + p));
        StringBuilder out = new StringBuilder(t).append('\n');
        lines.forEach(l -> out.append("- ").append(l).append('\n'));
        System.out.println();
        System.out.print(out);
        if (tableOut != null) {
            Files.writeString(tableOut, out.toString(), StandardCharsets.UTF_8);
        }
        if (!problems.isEmpty()) {
            System.err.println("PROBLEMS:");
            problems.forEach(p -> System.err.println("  " + p));
        }
    }

    void loadRows(List<Row> rows, String name, Load l, Pgb b, String bName, double goal) {
        if (l == null) {
            return;
        }
        String share = b == null ? "" : pctText(l.rate / b.tps);
        rows.add(new Row(name + " throughput", fmt(l.rate) + " req/s", b == null ? "" : bName + " " + fmt(b.tps) + " tx/s",
                share, "≥ " + Math.round(goal * 100) + " % of pgbench", b == null ? null : l.rate / b.tps >= goal));
        rows.add(new Row(name + " p50", fmt(l.p50) + " ms", b == null ? "" : fmt(b.p50) + " ms",
                b == null ? "" : fmt(l.p50 / b.p50) + "×", "", null));
        rows.add(new Row(name + " p99", fmt(l.p99) + " ms", b == null ? "" : fmt(b.p99) + " ms",
                b == null ? "" : fmt(l.p99 / b.p99) + "×", "", null));
        rows.add(new Row(name + " errors", l.errors + " of " + (l.ok + l.errors), b == null ? "" : b.failed + " failed", "",
                "", null));
    }

    /** One or two sentences per missed goal, from what the run measured. */
    void explain(List<String> lines) {
        if (coldStartMs != null && coldStartMs / 1000 > GOAL_COLD_START_S) {
            StringBuilder sb = new StringBuilder("Cold start over 8 s: ");
            if (!startPhases.isEmpty()) {
                List<String> parts = new ArrayList<>();
                startPhases.forEach((k, v) -> parts.add(k + " " + fmt(v) + " s"));
                sb.append(String.join(", ", parts)).append(" (karaf.log timestamps)");
            }
            if (karafCpuAtHealthS != null) {
                sb.append(String.format(Locale.ROOT, "; the Karaf JVM used %s CPU-s by then, %.2f cores on average",
                        fmt(karafCpuAtHealthS), karafCpuAtHealthS / (coldStartMs / 1000)));
            }
            if (startWarnings > 0) {
                sb.append("; each /health poll before the REST endpoint was ready logged a CXF WARN \"Can't find the request"
                        + " for ...'s Observer\" (" + startWarnings + " lines)");
            }
            lines.add(sb.append('.').toString());
        }
        if (rssKarafMb != null && rssKarafMb + rssPgMb > GOAL_IDLE_RSS_MB) {
            lines.add(String.format(Locale.ROOT, "Idle RSS over 400 MB: the Karaf JVM alone has %s MB%s; the %d PostgreSQL "
                    + "processes %s MB RSS but %s MB PSS (shared_buffers and the binaries' pages appear in every process that "
                    + "touched them); the JVM's idle CPU %.3f cores.", fmt(rssKarafMb),
                    jvmMemory == null ? "" : " (" + jvmMemory + ")", pgProcesses, fmt(rssPgMb), fmt(pssPgMb), idleCpu.karaf));
        }
        explainLoad(lines, "P1", p1, pgSelect, GOAL_P1_SHARE);
        explainLoad(lines, "P2", p2, pgInsert, GOAL_P2_SHARE);
        if (p3 != null && p3.copyRate > 0 && p3.rate / p3.copyRate < GOAL_P3_SHARE) {
            Cpu c = p3.cpu;
            double perRowKaraf = 1e6 * c.karaf * p3.seconds / p3.rows;
            double perRowPg = 1e6 * c.postgres * p3.seconds / p3.rows;
            double perRowCopy = p3.copyCpu == null ? Double.NaN : 1e6 * p3.copyCpu.postgres * p3.copySeconds / p3.rows;
            lines.add(String.format(Locale.ROOT, "P3 below %d %% of COPY (%s): the machine was %s busy (%.2f of %d cores);"
                    + " per row the Karaf JVM used %s µs of CPU (reading CSV, validation, audit rows, HTTP) and PostgreSQL %s µs"
                    + " (customer and audit rows, key checks, commits) against %s µs per row of COPY; other processes %.2f"
                    + " cores.", Math.round(GOAL_P3_SHARE * 100), pctText(p3.rate / p3.copyRate),
                    c.machineBusy >= 0.9 * cpus ? "fully" : "not fully", c.machineBusy, cpus, fmt(perRowKaraf), fmt(perRowPg),
                    fmt(perRowCopy), c.others())
                    + (p3.profile == null ? "" : " Profile of the Karaf JVM during the import: " + p3.profile.describe()));
        }
    }

    void explainLoad(List<String> lines, String name, Load l, Pgb b, double goal) {
        if (l == null || b == null || l.rate / b.tps >= goal) {
            return;
        }
        Cpu c = l.cpu;
        String limit = c.karaf > 2 * c.postgres
                ? "the CRM's JVM (HTTP, JAX-RS, authentication, JPA) takes most of the CPU, not the database"
                : c.postgres > c.karaf ? "PostgreSQL takes more CPU than the CRM's JVM" : "the JVM and PostgreSQL share the CPU";
        lines.add(String.format(Locale.ROOT, "%s below %d %% of pgbench (%s): the machine was %s busy (%.2f of %d cores); "
                        + "%s: Karaf JVM %.2f cores = %s ms CPU per request, PostgreSQL %.2f cores = %s ms per request "
                        + "(in pgbench's run %s ms per transaction), the Java load generator %.2f, other processes %.2f cores; "
                        + "%s database transactions per request (pg_stat_database; EclipseLink runs reads outside a "
                        + "transaction, so each read statement counts as one; pgbench: 1); %d requests over 1 s.",
                name, Math.round(goal * 100), pctText(l.rate / b.tps), c.machineBusy >= 0.9 * cpus ? "fully" : "not fully",
                c.machineBusy, cpus, limit, c.karaf, fmt(1000 * c.karaf / l.rate), c.postgres, fmt(1000 * c.postgres / l.rate),
                fmt(1000 * b.cpu.postgres / b.tps), c.self, c.others(),
                l.xactPerRequest == null ? "?" : fmt(l.xactPerRequest), l.slow)
                + (l.profile == null ? "" : " Profile of the Karaf JVM in the window: " + l.profile.describe()));
    }

    /** Warns where other processes took CPU in a window (the baseline and the figure then ran under unequal load). */
    void noise(List<String> lines) {
        List<String> noisy = new ArrayList<>();
        Map<String, Cpu> windows = new LinkedHashMap<>();
        windows.put("P1", p1 == null ? null : p1.cpu);
        windows.put("pgbench select", pgSelect == null ? null : pgSelect.cpu);
        windows.put("P2", p2 == null ? null : p2.cpu);
        windows.put("pgbench INSERT", pgInsert == null ? null : pgInsert.cpu);
        windows.put("P3 import", p3 == null ? null : p3.cpu);
        windows.put("P3 COPY", p3 == null ? null : p3.copyCpu);
        windows.forEach((k, c) -> {
            if (c != null && c.others() > 0.25) {
                noisy.add(String.format(Locale.ROOT, "%s %.2f cores", k, c.others()));
            }
        });
        if (!noisy.isEmpty()) {
            lines.add("Noise: processes other than the CRM, its PostgreSQL, the load generator and pgbench used "
                    + String.join(", ", noisy) + " of " + cpus + "; a window with more of it than its baseline's makes"
                    + " that ratio look worse, one with less makes it look better.");
        }
        for (Load l : new Load[] {p1, p2}) {
            if (l != null && !l.warmUpErrors.isEmpty()) {
                lines.add((l == p1 ? "P1" : "P2") + " warm-up (not counted): " + l.warmUpErrors.values().stream()
                        .mapToInt(Integer::intValue).sum() + " of " + l.warmUp + " requests failed: " + l.warmUpErrors
                        + (l.warmUpErrors.keySet().stream().anyMatch(k -> k.contains("authentication_busy"))
                        ? " (the reps' first sign-ins, one PBKDF2 hash each, queue for as many hashing slots as there are"
                        + " cores and give up after 2 s)" : "") + ".");
            }
        }
    }

    static String pgbenchVersion() {
        try {
            return exec(List.of("pgbench", "--version"), null, 10).trim().replaceAll(".*\\) ", "").replaceAll(" .*", "");
        } catch (Exception e) {
            return "?";
        }
    }

    void figure(String name, double value, String unit) {
        System.out.println(name + ": " + fmt(value) + " " + unit);
    }

    // ------------------------------------------------------------------ HTTP and JSON

    record Resp(int status, String body) {
        @Override
        public String toString() {
            return status + " " + abbreviate(body, 400);
        }
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    Resp call(HttpClient client, String method, String path, String auth, String subsidiary, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", auth).header("Accept", "application/json");
        if (subsidiary != null) {
            b.header("X-Subsidiary", subsidiary);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Resp(r.statusCode(), r.body() == null ? "" : r.body());
    }

    static String basic(String login, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((login + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON object of alternating keys and string values. */
    static String json(String... kv) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < kv.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(quote(kv[i])).append(':').append(quote(kv[i + 1]));
        }
        return sb.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** The first scalar {@code "name": value} in {@code json} (string unquoted), or null. */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name)
                + "\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?[0-9][0-9.eE+-]*|true|false|null))").matcher(json);
        if (!m.find()) {
            return null;
        }
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    // ------------------------------------------------------------------ helpers

    interface Check {
        boolean test() throws Exception;
    }

    static boolean await(Duration max, Check condition) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            try {
                if (condition.test()) {
                    return true;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                // not yet
            }
            Thread.sleep(100);
        }
        return false;
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    static void expect(Resp r, int status, String what) {
        if (r.status != status) {
            throw new AssertionError(what + ": expected " + status + ", got " + r);
        }
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new AssertionError(message);
        }
    }

    static double millisSince(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }

    /** Nearest-rank percentile of a sorted array. */
    static long pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static String pctText(double share) {
        return String.format(Locale.ROOT, "%.1f %%", share * 100);
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String abbreviate(String s, int max) {
        String one = s == null ? "" : s.replace('\n', ' ');
        return one.length() > max ? one.substring(0, max) + "..." : one;
    }

    static void log(String s) {
        System.err.println("[core-load] " + s);
    }
}
