package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import dev.switchboard.app.routingstats.StatsProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code docs/grafana/switchboard-dashboard.json} (issue 10, point 9) queries only metrics the running app exposes:
 * every metric name in its PromQL ({@code expr} of the panels' targets, and the query variables) is a sample
 * name of {@code /actuator/prometheus}, after a completion, a closed statistics window and a refused request
 * have made the lazily registered series exist. It also imports cleanly: one {@code DS_PROMETHEUS} input, and
 * every datasource reference is {@code ${DS_PROMETHEUS}}.
 */
class GrafanaDashboardTest extends ServingTestBase {

    private static final Path DASHBOARD = Path.of("docs", "grafana", "switchboard-dashboard.json");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** PromQL words that are not metric names: keywords, aggregation modifiers, set and comparison operators. */
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "atan2", "inf", "nan");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    /** Label lists of {@code by/without/on/ignoring/group_left/group_right (...)}: label names, not metrics. */
    private static final Pattern LABEL_LIST = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern SELECTOR = Pattern.compile("(?<![\\w$.])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern LABEL_NAME = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w$.])[a-zA-Z_:][a-zA-Z0-9_:]*");

    @Autowired
    private ApplicationContext context;

    @Test
    void everyMetricTheDashboardQueriesIsInThePrometheusScrape() throws Exception {
        JsonNode dashboard = JSON.readTree(Files.readString(repositoryRoot().resolve(DASHBOARD)));
        List<String> queries = promQl(dashboard);
        Set<String> used = new TreeSet<>();
        queries.forEach(query -> used.addAll(metricNames(query)));
        // The extractor must find the families the issue asks for, so that an empty extraction cannot pass.
        assertThat(used).as("metrics the dashboard queries").contains(
                "switchboard_routing_assignments_total", "switchboard_routing_tokens_total",
                "switchboard_time_to_first_token_seconds_bucket", "switchboard_inter_token_latency_seconds_bucket",
                "switchboard_step_duration_seconds_sum", "switchboard_queue_size", "switchboard_sequences_running",
                "switchboard_tokens_generated_tokens_total", "switchboard_requests_finished_total",
                "switchboard_requests_rejected_total", "switchboard_stats_buffered_windows",
                "switchboard_stats_lost_assignments_total");

        makeLazySeriesExist();
        Set<String> exposed = sampleNames(scrape());
        assertThat(used).as("metric names in the dashboard's PromQL missing from /actuator/prometheus (exposed: "
                + exposed.stream().filter(n -> n.startsWith("switchboard_")).collect(Collectors.joining(", ")) + ")")
                .allSatisfy(name -> assertThat(exposed).as(name).contains(name));

        // A label matcher on a label the metric does not have selects nothing: every matched label must exist.
        Map<String, Set<String>> labels = sampleLabels(scrape());
        for (String query : queries) {
            matchedLabels(query).forEach((name, matched) -> assertThat(labels.getOrDefault(name, Set.of()))
                    .as("labels of " + name + " in /actuator/prometheus, matched by: " + query).containsAll(matched));
        }
    }

    @Test
    void itImportsWithAPrometheusDatasourceInput() throws IOException {
        JsonNode dashboard = JSON.readTree(Files.readString(repositoryRoot().resolve(DASHBOARD)));
        assertThat(dashboard.get("__inputs")).singleElement().satisfies(input -> {
            assertThat(input.get("name").asString()).isEqualTo("DS_PROMETHEUS");
            assertThat(input.get("type").asString()).isEqualTo("datasource");
            assertThat(input.get("pluginId").asString()).isEqualTo("prometheus");
        });
        List<JsonNode> datasources = new ArrayList<>();
        collect(dashboard, "datasource", datasources);
        assertThat(datasources).isNotEmpty().allSatisfy(ds -> {
            assertThat(ds.get("type").asString()).isEqualTo("prometheus");
            assertThat(ds.get("uid").asString()).isEqualTo("${DS_PROMETHEUS}");
        });
        List<JsonNode> targets = new ArrayList<>();
        collect(dashboard, "targets", targets);
        assertThat(targets).isNotEmpty().allSatisfy(list -> assertThat(list).allSatisfy(
                target -> assertThat(target.get("expr").asString()).isNotBlank()));
        assertThat(dashboard.get("uid").asString()).isNotBlank();
    }

    @Test
    void theExtractorFindsNamesFollowedByBracesBracketsOrNothing() {
        assertThat(metricNames("histogram_quantile(0.9, sum by (le, phase) (rate(a_seconds_bucket{x=\"y{z}\", w=~\"$v\"}"
                + "[$__rate_interval])))\n/ on (layer) group_left sum(b_total[5m]) / ignoring(expert) c + 1e3 * d offset 5m"
                + " > bool 0.5 and on() e"))
                .containsExactlyInAnyOrder("a_seconds_bucket", "b_total", "c", "d", "e");
        assertThat(matchedLabels("sum(rate(a_total{x=\"{y=}\", w!~\"$v\"}[1m])) / b{} + c{z=\"1\"}"))
                .isEqualTo(Map.of("a_total", Set.of("x", "w"), "b", Set.of(), "c", Set.of("z")));
        assertThat(metricNames("label_values(switchboard_routing_tokens_total{model=~\"$model\"}, layer)"))
                .containsExactly("switchboard_routing_tokens_total");
    }

    /** A completion (per-request meters), a closed window (routing counters) and one 429 (the rejected counter). */
    private void makeLazySeriesExist() throws InterruptedException {
        post("/v1/chat/completions", chat("\"max_tokens\":3,\"temperature\":0")).expectStatus().isOk();
        StatsProbe.closeWindow(context);
        try (FullAdmission full = FullAdmission.take(port, controls, context)) {
            post("/v1/chat/completions", chat("\"max_tokens\":3")).expectStatus().isEqualTo(429);
        }
    }

    private String scrape() {
        return anonymous.get().uri("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.ADMIN_TOKEN)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
    }

    /** The names of the exposition's samples, as written (with {@code _bucket}, {@code _count}, {@code _total}...). */
    static Set<String> sampleNames(String exposition) {
        return exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Per sample name, the label names its samples carry in the exposition. */
    static Map<String, Set<String>> sampleLabels(String exposition) {
        Map<String, Set<String>> labels = new TreeMap<>();
        exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
            String name = line.split("[{ ]", 2)[0];
            Set<String> names = labels.computeIfAbsent(name, n -> new TreeSet<>());
            Matcher label = LABEL_NAME.matcher(STRING.matcher(line.substring(name.length())).replaceAll("\"\""));
            while (label.find()) {
                names.add(label.group(1));
            }
        });
        return labels;
    }

    /** Per metric selected with {@code name{...}}, the label names its matchers use. */
    static Map<String, Set<String>> matchedLabels(String promQl) {
        Map<String, Set<String>> matched = new TreeMap<>();
        Matcher selector = SELECTOR.matcher(STRING.matcher(promQl).replaceAll("\"\""));
        while (selector.find()) {
            Set<String> names = matched.computeIfAbsent(selector.group(1), n -> new TreeSet<>());
            Matcher label = LABEL_NAME.matcher(selector.group(2));
            while (label.find()) {
                names.add(label.group(1));
            }
        }
        return matched;
    }

    /** The PromQL of the panels' targets ({@code expr}) and of the query variables ({@code definition}). */
    private static List<String> promQl(JsonNode dashboard) {
        List<JsonNode> found = new ArrayList<>();
        collect(dashboard, "expr", found);
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asString())) {
                found.add(variable.get("definition"));
                found.add(variable.path("query").path("query"));
            }
        }
        List<String> queries = found.stream().filter(JsonNode::isString).map(JsonNode::asString).toList();
        assertThat(queries).as("PromQL in the dashboard").isNotEmpty();
        return queries;
    }

    /**
     * The metric names of one PromQL expression: identifiers followed by {@code {}, {@code [} or nothing, after
     * removing strings (label values, Grafana variables), label matchers, ranges, label lists of modifiers, and
     * function calls, keywords and numbers.
     */
    static Set<String> metricNames(String promQl) {
        String rest = STRING.matcher(promQl).replaceAll("\"\"");
        rest = rest.replaceAll("\\{[^}]*}", "{}").replaceAll("\\[[^]]*]", "[]");
        rest = LABEL_LIST.matcher(rest).replaceAll(" ");
        // label_values(metric, label): the second argument is a label name
        rest = rest.replaceAll("\\blabel_values\\s*\\(([^,()]*),[^()]*\\)", "($1)");
        Set<String> names = new TreeSet<>();
        Matcher identifier = IDENTIFIER.matcher(rest);
        while (identifier.find()) {
            String name = identifier.group();
            String after = rest.substring(identifier.end()).stripLeading();
            boolean call = after.startsWith("(");
            boolean number = name.matches("(?i)e\\d*") && identifier.start() > 0 && Character.isDigit(rest.charAt(identifier.start() - 1));
            boolean duration = name.matches("[smhdwy]|ms") && identifier.start() > 0 && Character.isDigit(rest.charAt(identifier.start() - 1));
            if (!call && !number && !duration && !KEYWORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    private static void collect(JsonNode node, String field, List<JsonNode> into) {
        if (node.isObject()) {
            node.properties().forEach(entry -> {
                if (entry.getKey().equals(field)) {
                    into.add(entry.getValue());
                }
                collect(entry.getValue(), field, into);
            });
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, field, into));
        }
    }

    /** Surefire runs in the module folder; the root is the first parent holding the reactor's mvnw. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("app")))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }
}
