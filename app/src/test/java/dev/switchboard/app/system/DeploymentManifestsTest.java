package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests in {@code deploy/kubernetes} parse, and the fields that matter agree with each other and
 * with the application: probes on the actuator's health groups, a grace period that covers the preStop pause and the
 * shutdown budget, selectors that match the pods, an autoscaler on the queue gauge of the Deployment, and every
 * setting in the ConfigMap and Secret naming a setting the application binds.
 */
class DeploymentManifestsTest {

    private static final Path DEPLOY = Path.of("../deploy/kubernetes");
    private static final Map<String, Map<String, Object>> byKind = new HashMap<>();

    @BeforeAll
    static void parse() throws IOException {
        try (Stream<Path> files = Files.list(DEPLOY)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    for (Object document : new Yaml().loadAll(reader)) {
                        Map<String, Object> manifest = map(document);
                        byKind.put((String) manifest.get("kind"), manifest);
                    }
                }
            }
        }
        assertThat(byKind).containsKeys("Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                "ConfigMap", "Secret", "Kustomization");
    }

    @Test
    void kustomizationListsEveryManifest() throws IOException {
        List<Object> resources = list(byKind.get("Kustomization").get("resources"));
        try (Stream<Path> files = Files.list(DEPLOY)) {
            List<String> manifests = files.map(f -> f.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml")).toList();
            assertThat(resources).containsExactlyInAnyOrderElementsOf(manifests);
        }
    }

    @Test
    void probesUseTheHealthGroupsAndTheGracePeriodCoversTheShutdown() {
        Map<String, Object> pod = map(map(spec("Deployment").get("template")).get("spec"));
        Map<String, Object> container = map(list(pod.get("containers")).get(0));
        assertThat(path(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat(path(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        int preStop = (Integer) path(container, "lifecycle", "preStop", "sleep", "seconds");
        // docs/API.md's shutdown budget: drain-timeout + 14 s at most; drain-timeout is set in the ConfigMap.
        int drain = seconds((String) map(byKind.get("ConfigMap").get("data")).get("SWITCHBOARD_SERVING_DRAIN_TIMEOUT"));
        assertThat((Integer) pod.get("terminationGracePeriodSeconds")).as("grace period").isGreaterThanOrEqualTo(preStop + drain + 14);
        assertThat(path(spec("Deployment"), "strategy", "rollingUpdate", "maxUnavailable")).isEqualTo(0);
    }

    @Test
    void selectorsMatchThePodsAndTheAutoscalerScalesTheDeploymentOnTheQueue() {
        Map<String, Object> podLabels = map(map(map(spec("Deployment").get("template")).get("metadata")).get("labels"));
        assertThat(podLabels).containsAllEntriesOf(map(map(spec("Deployment").get("selector")).get("matchLabels")));
        assertThat(podLabels).containsAllEntriesOf(map(spec("Service").get("selector")));
        assertThat(podLabels).containsAllEntriesOf(map(map(spec("PodDisruptionBudget").get("selector")).get("matchLabels")));
        Map<String, Object> target = map(spec("HorizontalPodAutoscaler").get("scaleTargetRef"));
        assertThat(target.get("kind")).isEqualTo("Deployment");
        assertThat(target.get("name")).isEqualTo(map(byKind.get("Deployment").get("metadata")).get("name"));
        Map<String, Object> metric = map(list(spec("HorizontalPodAutoscaler").get("metrics")).get(0));
        // The Prometheus name of the gauge GenerationMetrics registers as switchboard.queue.size.
        assertThat(path(metric, "pods", "metric", "name")).isEqualTo("switchboard_queue_size");
    }

    @Test
    void everyConfiguredVariableBindsToAnApplicationSetting() {
        Map<String, Object> variables = new HashMap<>(map(byKind.get("ConfigMap").get("data")));
        variables.putAll(map(byKind.get("Secret").get("stringData")));
        variables.put("SWITCHBOARD_STATS_INSTANCE", "pod-name");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("manifests", variables));
        Binder binder = new Binder(ConfigurationPropertySources.from(environment.getPropertySources()));
        for (String setting : List.of("switchboard.db.url", "switchboard.db.username", "switchboard.db.password",
                "switchboard.data-dir", "switchboard.serving.drain-timeout", "switchboard.fleet.poll-interval",
                "switchboard.fleet.instance-expiry", "switchboard.security.admin-token", "switchboard.security.api-key-sha256",
                "switchboard.stats.instance")) {
            assertThat(binder.bind(setting, String.class).isBound()).as("%s set by the manifests", setting).isTrue();
        }
        List<String> names = new ArrayList<>(variables.keySet());
        names.removeIf(name -> name.equals("JAVA_TOOL_OPTIONS"));
        assertThat(names).as("every variable is a switchboard setting").allMatch(name -> name.startsWith("SWITCHBOARD_"));
    }

    private static Map<String, Object> spec(String kind) {
        return map(byKind.get(kind).get("spec"));
    }

    private static Object path(Map<String, Object> root, String... keys) {
        Object node = root;
        for (String key : keys) {
            node = map(node).get(key);
        }
        return node;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        assertThat(node).isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object node) {
        assertThat(node).isInstanceOf(List.class);
        return (List<Object>) node;
    }

    private static int seconds(String duration) {
        assertThat(duration).endsWith("s");
        return Integer.parseInt(duration.substring(0, duration.length() - 1));
    }
}
