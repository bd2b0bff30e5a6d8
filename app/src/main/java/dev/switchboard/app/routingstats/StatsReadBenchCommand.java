package dev.switchboard.app.routingstats;

import dev.switchboard.app.routingstats.RoutingStatsRepository.BoundRead;
import dev.switchboard.tools.ToolCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code switchboard.jar bench-stats-reads}: how long each statistics read of the dashboard ({@code /api/stats/**})
 * takes on a database holding {@code --days} of windows (docs/PERFORMANCE.md, issue 15). Loads the data into a
 * throw-away embedded PostgreSQL migrated with the real scripts, then calls the endpoints' own controller
 * methods (the same SQL, the same report code) and writes each answer as JSON, as the web layer would; HTTP
 * itself is left out. Prints Markdown: p50, p95 and max per query over {@code --repeat} runs after warm-up.
 */
@Command(name = "bench-stats-reads",
        description = "How long each statistics read of the dashboard (/api/stats/**) takes on a throw-away embedded"
                + " PostgreSQL holding --days of windows: the endpoints' own controller methods, each answer written as JSON."
                + " Prints Markdown: p50, p95 and max per query over --repeat runs after warm-up.")
public final class StatsReadBenchCommand extends ToolCommand {

    @Option(names = "--days", paramLabel = "N", defaultValue = "7", description = "Days of statistics loaded; default ${DEFAULT-VALUE}.")
    private int days;

    @Option(names = "--window-seconds", paramLabel = "N", defaultValue = "10",
            description = "Length of one statistics window; default ${DEFAULT-VALUE}.")
    private int windowSeconds;

    @Option(names = "--domains", paramLabel = "N", defaultValue = "4", description = "Domains per window; default ${DEFAULT-VALUE}.")
    private int domains;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "4", description = "MoE layers; default ${DEFAULT-VALUE}.")
    private int layers;

    @Option(names = "--experts", paramLabel = "N", defaultValue = "8", description = "Experts per layer, at least 2; default ${DEFAULT-VALUE}.")
    private int experts;

    @Option(names = "--traces", paramLabel = "N", defaultValue = "1000000", description = "Token trace rows; default ${DEFAULT-VALUE}.")
    private long traces;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "30", description = "Timed runs per query; default ${DEFAULT-VALUE}.")
    private int repeat;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Keep the database in DIR and reuse the data already there (the flags that shape it are then ignored).")
    private @Nullable Path data;

    @Option(names = "--plans", paramLabel = "yes|no", defaultValue = "no",
            description = "Also print PostgreSQL's plan of every statement; default ${DEFAULT-VALUE}.")
    private String plans;

    public StatsReadBenchCommand(PrintStream out) {
        super(out);
    }

    /** How long before the end of the data the reads' ranges end: 7 min 13 s, on no minute, hour or day boundary. */
    private static final Duration NOW_BEFORE_END = Duration.ofSeconds(433);

    /** One dashboard read: the controller call, and the statements it runs (for PostgreSQL's own timings). */
    private record Query(String endpoint, String range, String bucket, Supplier<Flux<?>> call, List<BoundRead> statements) {}

    @Override
    protected void check() {
        require(days >= 1 && windowSeconds >= 1 && domains >= 1 && layers >= 1 && experts >= 2 && traces >= 1
                && repeat >= 1, "every value must be >= 1 (--experts >= 2)");
        require(plans.equals("yes") || plans.equals("no"), "--plans takes yes or no");
    }

    @Override
    protected void run() {
        StatsReadWorkload workload = new StatsReadWorkload(days, windowSeconds, domains, layers, experts, traces);
        try (BenchDatabase database = new BenchDatabase(data)) {
            long loading = System.nanoTime();
            if (database.queryLong("SELECT count(*) FROM expert_window") == 0) {
                workload.load(database);
            } else {
                out.println("Reusing the data already in " + data + " (the flags that shape it are ignored)");
                database.execute("ANALYZE");
            }
            out.printf(Locale.ROOT, "Loaded %,d expert_window rows, %,d layer_window rows, %,d token_trace rows in %.0f s "
                            + "(%d days of %d s windows, %d domains, %d layers x %d experts); aggregates: %,d 5-minute and %,d hourly expert rows%n%n",
                    database.queryLong("SELECT count(*) FROM expert_window"), database.queryLong("SELECT count(*) FROM layer_window"),
                    database.queryLong("SELECT count(*) FROM token_trace"), (System.nanoTime() - loading) / 1e9, workload.days(),
                    workload.windowSeconds(), workload.domains(), workload.layers(), workload.experts(),
                    database.queryLong("SELECT count(*) FROM expert_5m"), database.queryLong("SELECT count(*) FROM expert_1h"));
            DatabaseClient pool = database.pooledClient();
            // "now" as the dashboard sends it, off every grid: the reads' ragged ends are not empty
            Instant now = workload.end().minus(NOW_BEFORE_END);
            Clock clock = Clock.fixed(now, ZoneOffset.UTC);
            RoutingStatsController controller = new RoutingStatsController(new RoutingStatsRepository(pool), clock);
            InstanceStatsController fleet = new InstanceStatsController(new InstanceUsageRepository(pool), clock);
            JsonMapper json = JsonMapper.builder().build();
            out.println("| Endpoint | Range | Bucket | Rows | p50 ms | p95 ms | max ms | JVM CPU p50 ms | PostgreSQL p50 ms | PostgreSQL p95 ms |");
            out.println("|---|---|---|---:|---:|---:|---:|---:|---:|---:|");
            List<Query> queries = queries(controller, fleet, now);
            for (Query query : queries) {
                measure(query, json, repeat, pool);
            }
            if (plans.equals("yes")) {
                for (Query query : queries) {
                    printPlans(query, pool);
                }
            }
            measureWindowWrites(workload, database.writer("bench-writer"));
        }
    }

    /**
     * What one statistics window costs to write next to the loaded history: the writer's whole transaction (raw rows
     * and every aggregate recomputation), for windows right after the data's end. Rerunning on kept data rewrites
     * the same windows, which the writer's upserts make idempotent.
     */
    private void measureWindowWrites(StatsReadWorkload workload, RoutingStatsWriter writer) {
        for (int i = 0; i < 3; i++) {
            writer.writeWindow(workload.windowAfterEnd(i)).block(Duration.ofMinutes(5));
        }
        double[] millis = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long start = System.nanoTime();
            writer.writeWindow(workload.windowAfterEnd(3 + i)).block(Duration.ofMinutes(5));
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        out.printf(Locale.ROOT, "%nWriting one window (%d layers x %d domains x %d experts) after the history: p50 %.0f ms, p95 %.0f ms,"
                        + " max %.0f ms over %d writes%n", workload.layers(), workload.domains(), workload.experts(),
                percentile(millis, 0.50), percentile(millis, 0.95), millis[millis.length - 1], repeat);
    }

    private void measure(Query query, JsonMapper json, int repeat, DatabaseClient database) {
        int rows = 0;
        for (int i = 0; i < 3; i++) {
            rows = answer(query, json); // warm-up: plans cached, pages in memory
        }
        double[] millis = new double[repeat];
        double[] cpuMillis = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            answer(query, json);
            millis[i] = (System.nanoTime() - start) / 1e6;
            cpuMillis[i] = (processCpuNanos() - cpu) / 1e6;
        }
        Arrays.sort(millis);
        Arrays.sort(cpuMillis);
        String server = "- | -";
        if (!query.statements().isEmpty()) {
            double[] serverMillis = new double[repeat];
            for (int i = 0; i < repeat; i++) {
                serverMillis[i] = query.statements().stream().mapToDouble(statement -> serverMillis(statement, json, database)).sum();
            }
            Arrays.sort(serverMillis);
            server = String.format(Locale.ROOT, "%.0f | %.0f", percentile(serverMillis, 0.50), percentile(serverMillis, 0.95));
        }
        out.printf(Locale.ROOT, "| `%s` | %s | %s | %,d | %.0f | %.0f | %.0f | %.0f | %s |%n", query.endpoint(), query.range(),
                query.bucket(), rows, percentile(millis, 0.50), percentile(millis, 0.95), millis[millis.length - 1],
                percentile(cpuMillis, 0.50), server);
    }

    /**
     * CPU time of this whole JVM (driver, report code, JSON, GC): unlike the wall clock, it does not grow when other
     * processes take the cores, so it shows the client side's own cost on a busy machine.
     */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Planning plus execution of one statement as PostgreSQL measures it ({@code EXPLAIN ANALYZE} without per-node
     * timing): the part of a read that neither the driver's decoding nor the JSON writing nor the machine's other
     * processes between them add to.
     */
    private static double serverMillis(BoundRead statement, JsonMapper json, DatabaseClient database) {
        String plan = statement.on(database, "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + statement.sql())
                .map(row -> row.get(0, String.class)).one().block(Duration.ofMinutes(5));
        JsonNode root = json.readTree(plan).get(0);
        return root.get("Planning Time").asDouble() + root.get("Execution Time").asDouble();
    }

    private void printPlans(Query query, DatabaseClient database) {
        for (BoundRead statement : query.statements()) {
            out.printf(Locale.ROOT, "%n%s %s %s:%n", query.endpoint(), query.range(), query.bucket());
            statement.on(database, "EXPLAIN (ANALYZE, BUFFERS) " + statement.sql()).map(row -> row.get(0, String.class)).all()
                    .doOnNext(out::println).blockLast(Duration.ofMinutes(5));
        }
    }

    private static int answer(Query query, JsonMapper json) {
        List<?> answer = query.call().get().collectList().block(Duration.ofMinutes(5));
        json.writeValueAsBytes(answer);
        return answer.size();
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /**
     * Every read the dashboard (frontend/src) issues, at each range and bucket it offers: the history view's utilisation
     * chart (15 minutes to 7 days in the buckets each range offers, 2 to 720 points: frontend historyBuckets.ts; the collapse
     * warnings and the experts view ask the same at 10 s and 1 min), the overview's balance chart, the history view's
     * tables (domains, consecutive, top tokens) over each range, the experts view's events and the fleet view's usage.
     */
    private static List<Query> queries(RoutingStatsController c, InstanceStatsController fleet, Instant now) {
        String m = StatsReadWorkload.MODEL;
        List<Query> queries = new ArrayList<>();
        String[][] utilisation = {{"15m", "10s"}, {"15m", "1m"}, {"15m", "5m"}, {"1h", "10s"}, {"1h", "1m"}, {"1h", "5m"},
            {"1h", "15m"}, {"24h", "5m"}, {"24h", "15m"}, {"24h", "1h"}, {"7d", "15m"}, {"7d", "1h"}};
        for (String[] chart : utilisation) {
            String from = now.minus(range(chart[0])).toString();
            String bucket = chart[1];
            StatsQuery q = StatsQuery.of(from, null, bucket, now);
            BoundRead experts = RoutingStatsRepository.expertsRead(m, q.from(), q.to(), q.bucketSeconds(), false);
            queries.add(new Query("/api/stats/utilisation", chart[0], bucket, () -> c.utilisation(m, from, null, bucket), List.of(experts)));
        }
        String[][] balance = {{"15m", "10s"}, {"1h", "1m"}, {"6h", "5m"}, {"24h", "15m"}};
        for (String[] chart : balance) {
            String from = now.minus(range(chart[0])).toString();
            String bucket = chart[1];
            StatsQuery q = StatsQuery.of(from, null, bucket, now);
            BoundRead experts = RoutingStatsRepository.expertsRead(m, q.from(), q.to(), q.bucketSeconds(), false);
            BoundRead layers = RoutingStatsRepository.layersRead(m, q.from(), q.to(), q.bucketSeconds(), false);
            queries.add(new Query("/api/stats/balance", chart[0], bucket, () -> c.balance(m, from, null, bucket), List.of(experts, layers)));
        }
        for (String range : new String[] {"15m", "1h", "24h", "7d"}) {
            String from = now.minus(range(range)).toString();
            StatsQuery q = StatsQuery.wholeRange(from, null, now);
            BoundRead experts = RoutingStatsRepository.expertsRead(m, q.from(), q.to(), q.bucketSeconds(), true);
            BoundRead layers = RoutingStatsRepository.layersRead(m, q.from(), q.to(), q.bucketSeconds(), true);
            BoundRead tokens = RoutingStatsRepository.topTokensRead(m, 1, 1, false, q.from(), q.to(), 20);
            queries.add(new Query("/api/stats/domains", range, "whole range", () -> c.domains(m, null, from, null), List.of(experts)));
            queries.add(new Query("/api/stats/consecutive", range, "whole range", () -> c.consecutive(m, from, null),
                    List.of(experts, layers)));
            queries.add(new Query("/api/stats/top-tokens", range, "whole range", () -> c.topTokens(m, 1, 1, "any", 20, from, null),
                    List.of(tokens)));
        }
        queries.add(new Query("/api/stats/events", "1h", "-", () -> c.events(200, null, null), List.of()));
        queries.add(new Query("/api/stats/instances", "1h", "-", () -> fleet.instances(m, null, null).flux(), List.of()));
        return queries;
    }

    private static Duration range(String text) {
        return switch (text) {
            case "15m" -> Duration.ofMinutes(15);
            case "1h" -> Duration.ofHours(1);
            case "6h" -> Duration.ofHours(6);
            case "24h" -> Duration.ofDays(1);
            default -> Duration.ofDays(7);
        };
    }
}
