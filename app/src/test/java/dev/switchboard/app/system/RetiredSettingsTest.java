package dev.switchboard.app.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** A retired setting stops start-up naming itself and its replacement; current settings pass untouched. */
class RetiredSettingsTest {

    @Test
    void theOldPrefillLimitStopsStartUpNamingTheChunkSetting() {
        StandardEnvironment environment = environment(Map.of("switchboard.serving.max-prefill-tokens", "512"));
        assertThatThrownBy(() -> new RetiredSettings().postProcessEnvironment(environment, new SpringApplication()))
                .isInstanceOfSatisfying(StartupConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("switchboard.serving.max-prefill-tokens"))
                .hasMessageContaining("switchboard.serving.prefill-chunk-tokens");
    }

    @Test
    void currentSettingsPass() {
        StandardEnvironment environment = environment(Map.of("switchboard.serving.prefill-chunk-tokens", "256"));
        new RetiredSettings().postProcessEnvironment(environment, new SpringApplication());
        assertThat(environment.getProperty("switchboard.serving.prefill-chunk-tokens")).isEqualTo("256");
    }

    private static StandardEnvironment environment(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        return environment;
    }
}
