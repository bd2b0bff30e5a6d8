package dev.switchboard.app.fleet;

import static dev.switchboard.app.fleet.FleetProbes.instance;
import static dev.switchboard.app.fleet.FleetProbes.mostRouted;
import static dev.switchboard.app.fleet.FleetProbes.requestsOf;
import static dev.switchboard.app.fleet.FleetProbes.state;
import static dev.switchboard.app.fleet.FleetProbes.tokensTo;
import static dev.switchboard.app.fleet.FleetProbes.usage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.experts.ExamplePlugin;
import dev.switchboard.app.model.ModelHolder;
import dev.switchboard.app.routingstats.TestDatabase;
import dev.switchboard.runtime.serving.ExpertTableEditor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas on different ports over one PostgreSQL behave as one service: an expert change made through
 * one is applied by the other between its steps (woken by NOTIFY), a restarted replica applies the current
 * version before it reports ready, and both list each other as instances.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoReplicasTest {

    /** Long enough that every expert of layer 0 of the fixture model gets some of its tokens. */
    private static final String INPUT = "The quick brown fox jumps over the lazy dog while seven wizards quietly hex the jolly bank";

    private final TestDatabase db = TestDatabase.shared();
    private Path folder;
    private ReplicaApp a;
    private ReplicaApp b;

    @BeforeAll
    void startTwoReplicas() throws Exception {
        db.execute("TRUNCATE expert_configuration, replica, plugin_jar");
        folder = Files.createTempDirectory("switchboard-replicas");
        a = ReplicaApp.start("replica-a", db, folder);
        b = ReplicaApp.start("replica-b", db, folder);
    }

    @AfterAll
    void stopReplicas() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @Test
    void anExpertDisabledThroughOneReplicaStopsReceivingTokensOnTheOtherWithinTwoSeconds() throws Exception {
        int expert = mostRouted(b.routed(INPUT, 0));
        assertThat(tokensTo(b.routed(INPUT, 0), expert)).as("tokens to expert %d of layer 0 on B before", expert).isPositive();

        long disabling = System.nanoTime();
        JsonNode answer = a.admin("POST", "/api/admin/experts/layers/0/experts/" + expert + "/disable", "", 200);
        long version = answer.path("configurationVersion").asLong();
        assertThat(version).as("the version the change created").isPositive();
        Duration until;
        while (true) {
            until = Duration.ofNanos(System.nanoTime() - disabling);
            if (tokensTo(b.routed(INPUT, 0), expert) == 0 || until.compareTo(Duration.ofSeconds(5)) > 0) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(tokensTo(b.routed(INPUT, 0), expert)).as("tokens to the disabled expert on B").isZero();
        assertThat(until).as("time until B stopped routing to the expert disabled through A").isLessThan(Duration.ofSeconds(2));
        assertThat(state(b.admin("GET", "/api/admin/experts", null, 200), 0, expert)).isEqualTo("disabled");

        JsonNode configuration = awaitAppliedByBoth(version);
        assertThat(configuration.path("configuration").path("disabled").toString()).contains("\"expert\":" + expert);

        a.admin("POST", "/api/admin/experts/layers/0/experts/" + expert + "/enable", "", 200);
        awaitAppliedByBoth(version + 1);
        assertThat(state(b.admin("GET", "/api/admin/experts", null, 200), 0, expert)).isEqualTo("enabled");
    }

    @Test
    void aRestartedReplicaAppliesTheCurrentVersionBeforeItIsReady() throws Exception {
        b.close();
        b = null;
        JsonNode changed = a.admin("POST", "/api/admin/experts/layers/1/experts/2/disable", "", 200);
        long version = changed.path("configurationVersion").asLong();
        try {
            b = ReplicaApp.start("replica-b", db, folder); // returns once ready
            JsonNode table = b.admin("GET", "/api/admin/experts", null, 200);
            assertThat(table.path("configurationVersion").asLong()).as("the restarted replica's version").isEqualTo(version);
            assertThat(state(table, 1, 2)).isEqualTo("disabled");
            assertThat(tokensTo(b.routed(INPUT, 1), 2)).as("tokens to the disabled expert on the restarted replica").isZero();
        } finally {
            a.admin("POST", "/api/admin/experts/layers/1/experts/2/enable", "", 200);
        }
    }

    @Test
    void eachReplicaListsBothWithTheirVersions() throws Exception {
        JsonNode instances = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            instances = b.admin("GET", "/api/admin/instances", null, 200);
            if (instances.size() == 2) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(instances).hasSize(2);
        for (JsonNode instance : instances) {
            assertThat(instance.path("instance").asString()).matches("replica-[ab]/[0-9a-f]{8}");
            assertThat(instance.path("model").asString()).isEqualTo("tiny-gqa-top2");
            assertThat(instance.path("queued").asInt()).isZero();
            assertThat(instance.has("expertConfigurationVersion")).isTrue();
            assertThat(instance.path("lastHeartbeat").asString()).isNotEmpty();
        }
    }

    @Test
    void aReplicaKilledWithoutAGoodbyeExpires() throws Exception {
        // What a SIGKILLed replica leaves: a row whose heartbeat stopped (older than the 30 s expiry).
        db.execute("INSERT INTO replica (instance_id, app_version, model_id, started_at, last_heartbeat)"
                + " VALUES ('killed/00000000', 'dev', 'tiny-gqa-top2', now() - interval '2 hours', now() - interval '1 minute')");
        assertThat(b.admin("GET", "/api/admin/instances", null, 200).findValuesAsString("instance")).doesNotContain("killed/00000000");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (db.queryLong("SELECT count(*) FROM replica WHERE instance_id = 'killed/00000000'") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(db.queryLong("SELECT count(*) FROM replica WHERE instance_id = 'killed/00000000'"))
                .as("the stale row, deleted by a live replica's heartbeat").isZero();
    }

    @Test
    void aPluginUploadedThroughOneReplicaServesOnTheOther() throws Exception {
        byte[] jar = Files.readAllBytes(ExamplePlugin.jar(folder.resolve("upload.jar")));
        HttpResponse<String> uploaded = a.upload(jar);
        assertThat(uploaded.statusCode()).as("upload: %s", uploaded.body()).isEqualTo(200);
        assertThat(ReplicaApp.JSON.readTree(uploaded.body()).path("state").asString()).isEqualTo("STARTED");
        try {
            b.awaitPlugin(ExamplePlugin.ID, true);
            // The plugin's contributed expert, added through A with a bias that wins every token, serves on B.
            long version = a.admin("POST", "/api/admin/experts/contributed", "{\"plugin\":\"" + ExamplePlugin.ID
                    + "\",\"name\":\"example-relu\",\"selectionBias\":100}", 200).path("configurationVersion").asLong();
            awaitAppliedByBoth(version);
            JsonNode table = b.admin("GET", "/api/admin/experts", null, 200);
            assertThat(table.path("layers").path(0).path("numExperts").asInt()).isEqualTo(5);
            assertThat(table.path("layers").path(0).path("experts").path(4).path("origin").asString())
                    .isEqualTo(ExamplePlugin.ID + "/example-relu");
            List<List<Integer>> routed = b.routed(INPUT, 0);
            assertThat(tokensTo(routed, 4)).as("tokens to the contributed expert on B").isEqualTo(routed.size());
        } finally {
            a.admin("DELETE", "/api/admin/plugins/" + ExamplePlugin.ID, null, 200);
        }
        b.awaitPlugin(ExamplePlugin.ID, false);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (b.admin("GET", "/api/admin/experts", null, 200).path("layers").path(0).path("numExperts").asInt() != 4
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(b.admin("GET", "/api/admin/experts", null, 200).path("layers").path(0).path("numExperts").asInt())
                .as("experts per layer on B after the plugin was deleted through A").isEqualTo(4);
    }

    @Test
    void routerRowsCalibratedThroughOneReplicaAreTheRowsTheOtherInstalls() throws Exception {
        byte[] jar = Files.readAllBytes(ExamplePlugin.jar(folder.resolve("calibrate.jar")));
        assertThat(a.upload(jar).statusCode()).isEqualTo(200);
        try {
            b.awaitPlugin(ExamplePlugin.ID, true);
            a.admin("POST", "/api/admin/experts/contributed", "{\"plugin\":\"" + ExamplePlugin.ID
                    + "\",\"name\":\"example-relu\",\"selectionBias\":0}", 200);
            String text = (INPUT + ". ").repeat(20);
            long version = a.admin("POST", "/api/admin/experts/contributed/" + ExamplePlugin.ID + "/example-relu/calibrate",
                    "{\"text\":\"" + text + "\",\"steps\":3}", 200).path("configurationVersion").asLong();
            awaitAppliedByBoth(version);
            ExpertTableEditor onA = a.bean(ModelHolder.class).current().orElseThrow().experts();
            ExpertTableEditor onB = b.bean(ModelHolder.class).current().orElseThrow().experts();
            int hidden = onA.hiddenSize();
            for (int l = 0; l < onA.layers(); l++) {
                // B derives no rows of its own from the jar's calibration.txt: it installs the ones A fitted, bit for bit
                assertThat(Arrays.copyOfRange(onB.gateRows(l), 4 * hidden, 5 * hidden)).as("layer %d's calibrated row on B", l)
                        .isEqualTo(Arrays.copyOfRange(onA.gateRows(l), 4 * hidden, 5 * hidden));
            }
        } finally {
            a.admin("DELETE", "/api/admin/plugins/" + ExamplePlugin.ID, null, 200);
        }
        b.awaitPlugin(ExamplePlugin.ID, false);
    }

    @Test
    void anUploadThatIsNoPluginIsRefusedAndNotStored() throws Exception {
        HttpResponse<String> refused = a.upload("PK not really a jar".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(refused.statusCode()).as("upload of a broken jar: %s", refused.body()).isEqualTo(400);
        assertThat(ReplicaApp.JSON.readTree(refused.body()).path("error").path("message").asString()).contains("refused");
        assertThat(db.queryLong("SELECT count(*) FROM plugin_jar")).isZero();
    }

    @Test
    void fleetStatisticsAreTheExactSumOfEachReplicasUsage() throws Exception {
        // Other tests' requests (a route trace, a request cut by a restart) may still be landing: count what this
        // test adds on top of settled totals, not what falls in the last second.
        String from = java.time.Instant.now().minus(Duration.ofHours(1)).toString();
        String idA = a.bean(Replica.class).instanceId();
        String idB = b.bean(Replica.class).instanceId();
        JsonNode before = settled(from);
        long[] usageA = usage(a, 3);
        long[] usageB = usage(b, 2);
        JsonNode stats = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            stats = instances(from);
            if (requestsOf(stats, idA) - requestsOf(before, idA) == 3 && requestsOf(stats, idB) - requestsOf(before, idB) == 2) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(minus(instance(stats, idA), instance(before, idA))).as("replica A's usage (requests, prompt, completion tokens)")
                .containsExactly(usageA);
        assertThat(minus(instance(stats, idB), instance(before, idB))).as("replica B's usage").containsExactly(usageB);
        long[] sum = new long[3];
        for (JsonNode instance : stats.path("instances")) {
            sum[0] += instance.path("requests").asLong();
            sum[1] += instance.path("promptTokens").asLong();
            sum[2] += instance.path("completionTokens").asLong();
        }
        JsonNode total = stats.path("total");
        assertThat(new long[] {total.path("requests").asLong(), total.path("promptTokens").asLong(),
                total.path("completionTokens").asLong()}).as("fleet total = sum of the instances").containsExactly(sum);
    }

    @Test
    void aRollingRestartOfOneReplicaUnderSteadyLoadFailsNoRequestOfARetryingClient() throws Exception {
        int before;
        try (RetryingLoad load = new RetryingLoad(a.base, b.base)) {
            Thread.sleep(1_000);
            b.close(); // graceful, as Kubernetes' SIGTERM: drain, then stop
            b = null;
            b = ReplicaApp.start("replica-b", db, folder);
            load.moved(1, b.base);
            before = load.completed.get();
            Thread.sleep(1_000);
            load.close();
            assertThat(load.failed.get()).as("failed requests (%d completed, %d attempts retried)", load.completed.get(),
                    load.retried.get()).isZero();
            assertThat(load.completed.get()).as("requests completed after the restarted replica came back").isGreaterThan(before);
        }
    }

    @Test
    void aVersionAReplicaCannotApplyIsReportedWhileItKeepsServingItsLastGoodSet() throws Exception {
        // The plugin is in A's watched folder only: B cannot build the expert that A adds.
        Path jar = ExamplePlugin.jar(folder.resolve("folder-only.jar"));
        Path pluginsA = Files.createDirectories(folder.resolve("replica-a-plugins"));
        Files.copy(jar, pluginsA.resolve("example.jar"));
        try {
            a.admin("POST", "/api/admin/plugins/rescan", "", 200);
            long version = a.admin("POST", "/api/admin/experts/contributed", "{\"plugin\":\"" + ExamplePlugin.ID
                    + "\",\"name\":\"example-relu\",\"selectionBias\":100}", 200).path("configurationVersion").asLong();
            JsonNode pending = awaitPendingWithError(version);
            assertThat(pending.path("instance").asString()).startsWith("replica-b/");
            assertThat(pending.path("error").asString()).contains("v" + version).contains(ExamplePlugin.ID);

            JsonNode tableB = b.admin("GET", "/api/admin/experts", null, 200);
            assertThat(tableB.path("layers").path(0).path("numExperts").asInt()).as("B keeps its last good set").isEqualTo(4);
            assertThat(tableB.path("configurationVersion").asLong()).isLessThan(version);
            assertThat(tokensTo(b.routed(INPUT, 0), 0) + tokensTo(b.routed(INPUT, 0), 1)).as("B still serves").isPositive();
            JsonNode readiness = b.admin("GET", "/actuator/health/readiness", null, 200);
            assertThat(readiness.path("components").path("expertConfiguration").path("details").path("applyError").asString())
                    .contains(ExamplePlugin.ID);
            // A change through B would be stored over a configuration B does not run.
            JsonNode refused = b.admin("POST", "/api/admin/experts/layers/0/experts/1/disable", "", 409);
            assertThat(refused.path("error").path("message").asString()).contains("does not run the shared expert configuration");

            // The way out: reset the shared configuration to the model as loaded, through B; A drops the expert.
            JsonNode reset = b.admin("DELETE", "/api/admin/experts/configuration", null, 200);
            assertThat(reset.path("version").asLong()).isEqualTo(version + 1);
            assertThat(reset.path("configuration").path("contributed")).isEmpty();
            awaitAppliedByBoth(version + 1);
            assertThat(a.admin("GET", "/api/admin/experts", null, 200).path("layers").path(0).path("numExperts").asInt())
                    .as("experts per layer on A after the reset").isEqualTo(4);
        } finally {
            Files.delete(pluginsA.resolve("example.jar"));
            a.admin("POST", "/api/admin/plugins/rescan", "", 200); // unloads it (its expert left with the reset)
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode configuration;
        do {
            configuration = a.admin("GET", "/api/admin/experts/configuration", null, 200);
            Thread.sleep(100);
        } while (configuration.path("pending").size() > 0 && System.nanoTime() < deadline);
        assertThat(configuration.path("pending")).as("replicas behind once the plugin is gone").isEmpty();
        assertThat(configuration.path("appliedBy")).hasSize(2);
    }

    private JsonNode awaitPendingWithError(long version) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode configuration;
        do {
            configuration = a.admin("GET", "/api/admin/experts/configuration", null, 200);
            for (JsonNode pending : configuration.path("pending")) {
                if (!pending.path("error").isNull() && pending.path("error").asString().contains("v" + version)) {
                    return pending;
                }
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no replica reported failing to apply v" + version + ": " + configuration);
    }

    /** Polls until both replicas report {@code version} as applied (their heartbeats follow one poll later at most). */
    private JsonNode awaitAppliedByBoth(long version) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode configuration;
        do {
            configuration = a.admin("GET", "/api/admin/experts/configuration", null, 200);
            if (configuration.path("version").asLong() == version && configuration.path("appliedBy").size() == 2) {
                return configuration;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("version " + version + " not applied by both replicas within 20 s: " + configuration);
    }

    private JsonNode instances(String from) throws Exception {
        return a.admin("GET", "/api/stats/instances?model=tiny-gqa-top2&from=" + from, null, 200);
    }

    /** The per-instance totals once two reads two flush intervals apart agree. */
    private JsonNode settled(String from) throws Exception {
        JsonNode last = instances(from);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(2_000);
            JsonNode now = instances(from);
            if (now.path("instances").equals(last.path("instances"))) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("statistics did not settle: " + last);
    }

    private static long[] minus(long[] after, long[] before) {
        long[] difference = new long[after.length];
        for (int i = 0; i < after.length; i++) {
            difference[i] = after[i] - before[i];
        }
        return difference;
    }
}
