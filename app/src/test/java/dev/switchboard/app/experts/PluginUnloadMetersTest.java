package dev.switchboard.app.experts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.routingstats.StatsProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;

/**
 * Unloading a plugin removes the meters of what it took away (checklist #30): the per-expert routing series of
 * the contributed expert it had added leave {@code /actuator/prometheus} with the expert, and do not come back
 * when a window holding counts from before the unload closes afterwards; the checkpoint experts' series stay.
 */
class PluginUnloadMetersTest extends ExpertAdminTestBase {

    @Autowired
    ApplicationContext context;

    @Test
    void unloadingThePluginRemovesTheSeriesOfTheExpertItContributed() throws Exception {
        api.install(ExamplePlugin.jar(Files.createTempDirectory("example").resolve("example.jar")), ExamplePlugin.ID);
        api.post("/api/admin/experts/contributed", ADD_EXAMPLE_EXPERT, 200); // expert 4 of both layers, chosen for every token
        post("/v1/chat/completions", chat("\"max_tokens\":3")).expectStatus().isOk();
        StatsProbe.closeWindow(context);
        assertThat(seriesOfExpert(4)).as("series of the contributed expert while it serves")
                .hasSize(2 * 3); // 2 layers x (first choice, any choice, router probability)
        post("/v1/chat/completions", chat("\"max_tokens\":3")).expectStatus().isOk(); // counted in the open window

        api.delete("/api/admin/plugins/" + ExamplePlugin.ID, 200);

        assertThat(seriesOfExpert(4)).as("series of the contributed expert after its plugin unloaded").isEmpty();
        StatsProbe.closeWindow(context); // the window with the expert's last tokens
        assertThat(seriesOfExpert(4)).as("series after a window from before the unload closed").isEmpty();
        assertThat(seriesOfExpert(3)).as("a checkpoint expert's series").hasSize(2 * 3);
    }

    /** The Prometheus lines of the served model's per-expert routing series for this expert index. */
    private List<String> seriesOfExpert(int expert) {
        byte[] body = anonymous.get().uri("/actuator/prometheus")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ServingTest.ADMIN_TOKEN)
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
        return new String(body, StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("switchboard_routing_"))
                .filter(line -> line.contains("model=\"" + ServingTest.MODEL + "\"") && line.contains("expert=\"" + expert + "\""))
                .toList();
    }
}
