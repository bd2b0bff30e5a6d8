package dev.switchboard.app.model;

import dev.switchboard.runtime.model.ExpertKindResolver;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Serves the real fixture model through {@link ModelControls}: the same weights, tokenizer and forward
 * pass a user runs, with knobs to slow steps down or make one fail, and a record of every forward call and of the
 * threads that tokenize prompts.
 */
@TestConfiguration(proxyBeanMethods = false)
public class ControlledModelConfiguration {

    @Bean
    ModelControls modelControls() {
        return new ModelControls();
    }

    @Bean
    @Primary
    ServedModelLoader controlledModelLoader(ModelControls controls, ExpertKindResolver kinds, ExpertFaultListener faults) {
        MoeModelLoader real = new MoeModelLoader(kinds, faults, "cpu", "auto");
        return (directory, id) -> {
            ServedModel model = real.load(directory, id);
            return new ServedModel(model.id(), model.createdEpochSeconds(), model.shape(), controls.wrap(model.tokenizer()),
                    model.chatTemplate(), controls.wrap(model.engine()), model.experts());
        };
    }
}
