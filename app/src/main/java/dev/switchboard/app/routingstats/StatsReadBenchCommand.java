package dev.switchboard.app.routingstats;

import dev.switchboard.app.cli.CliUsageException;
import dev.switchboard.app.cli.Flags;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code switchboard.jar bench-stats-reads}: how long each statistics read of the dashboard ({@code /api/stats/**})
 * takes on a database holding {@code --days} of windows (docs/PERFORMANCE.md, issue 15). Loads the data into a
 * throw-away embedded PostgreSQL migrated with the real scripts, then calls the endpoints' own controller
 * methods (the same SQL, the same report code) and writes each answer as JSON, as the web layer would; HTTP
 * itself is left out. Prints Markdown: p50, p95 and max per query over {@code --repeat} runs after warm-up.
 */
public final class StatsReadBenchCommand {

    public static final String USAGE = "usage: bench-stats-reads [--days 7] [--window-seconds 10] [--domains 4] [--layers 4]"
            + " [--experts 8] [--traces 1000000] [--repeat 30]";

    private final PrintStream out;

    public StatsReadBenchCommand(PrintStream out) {
        this.out = out;
    }

    private record Query(String endpoint, String range, String bucket, Supplier<Flux<?>> call) {}

    public void run(List<String> rawArgs) {
        Flags flags = Flags.parse(rawArgs, Set.of("--days", "--window-seconds", "--domains", "--layers", "--experts", "--traces",
                "--repeat"));
        StatsReadWorkload workload = new StatsReadWorkload(flags.integer("--days", 7), flags.integer("--window-seconds", 10),
                flags.integer("--domains", 4), flags.integer("--layers", 4), flags.integer("--experts", 8),
                flags.longInteger("--traces", 1_000_000));
        int repeat = flags.integer("--repeat", 30);
        if (workload.days() < 1 || workload.windowSeconds() < 1 || workload.domains() < 1 || workload.layers() < 1
                || workload.experts() < 2 || workload.traces() < 1 || repeat < 1) {
            throw new CliUsageException("every value must be >= 1 (--experts >= 2)");
        }
        try (BenchDatabase database = new BenchDatabase()) {
            long loading = System.nanoTime();
            workload.load(database);
            out.printf(Locale.ROOT, "Loaded %,d expert_window rows, %,d layer_window rows, %,d token_trace rows in %.0f s "
                            + "(%d days of %d s windows, %d domains, %d layers x %d experts); aggregates: %,d 5-minute and %,d hourly expert rows%n%n",
                    database.queryLong("SELECT count(*) FROM expert_window"), database.queryLong("SELECT count(*) FROM layer_window"),
                    database.queryLong("SELECT count(*) FROM token_trace"), (System.nanoTime() - loading) / 1e9, workload.days(),
                    workload.windowSeconds(), workload.domains(), workload.layers(), workload.experts(),
                    database.queryLong("SELECT count(*) FROM expert_5m"), database.queryLong("SELECT count(*) FROM expert_1h"));
            RoutingStatsController controller = new RoutingStatsController(new RoutingStatsRepository(database.pooledClient()),
                    Clock.fixed(workload.end(), ZoneOffset.UTC));
            JsonMapper json = JsonMapper.builder().build();
            out.println("| Endpoint | Range | Bucket | Rows | p50 ms | p95 ms | max ms |");
            out.println("|---|---|---|---:|---:|---:|---:|");
            for (Query query : queries(controller, workload.end())) {
                measure(query, json, repeat);
            }
        }
    }

    private void measure(Query query, JsonMapper json, int repeat) {
        int rows = 0;
        for (int i = 0; i < 3; i++) {
            rows = run(query, json); // warm-up: plans cached, pages in memory
        }
        double[] millis = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long start = System.nanoTime();
            run(query, json);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        out.printf(Locale.ROOT, "| `%s` | %s | %s | %,d | %.0f | %.0f | %.0f |%n", query.endpoint(), query.range(), query.bucket(), rows,
                percentile(millis, 0.50), percentile(millis, 0.95), millis[millis.length - 1]);
    }

    private static int run(Query query, JsonMapper json) {
        List<?> answer = query.call().get().collectList().block(Duration.ofMinutes(5));
        json.writeValueAsBytes(answer);
        return answer.size();
    }

    private static double percentile(double[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /** What a dashboard asks: each chart over the last hour, day and week, with at most a few hundred buckets. */
    private static List<Query> queries(RoutingStatsController c, Instant now) {
        String m = StatsReadWorkload.MODEL;
        List<Query> queries = new ArrayList<>();
        String[][] charts = {{"1h", "10s"}, {"1h", null}, {"24h", "5m"}, {"7d", "1h"}};
        for (String[] chart : charts) {
            String from = now.minus(range(chart[0])).toString();
            String bucket = chart[1];
            String shown = bucket == null ? "1m (default)" : bucket;
            queries.add(new Query("/api/stats/utilisation", chart[0], shown, () -> c.utilisation(m, from, null, bucket)));
            queries.add(new Query("/api/stats/balance", chart[0], shown, () -> c.balance(m, from, null, bucket)));
        }
        for (String range : new String[] {"1h", "24h", "7d"}) {
            String from = now.minus(range(range)).toString();
            queries.add(new Query("/api/stats/domains", range, "whole range", () -> c.domains(m, null, from, null)));
            queries.add(new Query("/api/stats/consecutive", range, "whole range", () -> c.consecutive(m, from, null)));
            queries.add(new Query("/api/stats/top-tokens", range, "-", () -> c.topTokens(m, 1, 1, "any", 20, from, null)));
            queries.add(new Query("/api/stats/events", range, "-", () -> c.events(100, from, null)));
        }
        return queries;
    }

    private static Duration range(String text) {
        return switch (text) {
            case "1h" -> Duration.ofHours(1);
            case "24h" -> Duration.ofDays(1);
            default -> Duration.ofDays(7);
        };
    }
}
