package dev.switchboard.app.routingstats;

import dev.switchboard.tools.ToolCommand;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import reactor.core.publisher.Flux;
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

    public StatsReadBenchCommand(PrintStream out) {
        super(out);
    }

    private record Query(String endpoint, String range, String bucket, Supplier<Flux<?>> call) {}

    @Override
    protected void check() {
        require(days >= 1 && windowSeconds >= 1 && domains >= 1 && layers >= 1 && experts >= 2 && traces >= 1
                && repeat >= 1, "every value must be >= 1 (--experts >= 2)");
    }

    @Override
    protected void run() {
        StatsReadWorkload workload = new StatsReadWorkload(days, windowSeconds, domains, layers, experts, traces);
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
            rows = answer(query, json); // warm-up: plans cached, pages in memory
        }
        double[] millis = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long start = System.nanoTime();
            answer(query, json);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        out.printf(Locale.ROOT, "| `%s` | %s | %s | %,d | %.0f | %.0f | %.0f |%n", query.endpoint(), query.range(), query.bucket(), rows,
                percentile(millis, 0.50), percentile(millis, 0.95), millis[millis.length - 1]);
    }

    private static int answer(Query query, JsonMapper json) {
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
