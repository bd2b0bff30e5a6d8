package dev.switchboard.app.system;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops start-up, in one line, when a setting that Switchboard no longer reads is still set: Spring ignores an
 * unknown property, so without this an operator's old setting would silently stop doing anything.
 */
class RetiredSettings implements EnvironmentPostProcessor {

    /** Each retired property, with what to set instead. */
    static final Map<String, String> RETIRED = Map.of(
            "switchboard.serving.max-prefill-tokens",
            "switchboard.serving.prefill-chunk-tokens (prompts are now prefilled in chunks of this many tokens, "
                    + "with a decode step of the running sequences between two chunks; docs/API.md)");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        RETIRED.forEach((property, replacement) -> {
            if (environment.containsProperty(property)) {
                throw new StartupConfigurationException(property + " is no longer read; set " + replacement + " instead",
                        property, null);
            }
        });
    }
}
