package dev.switchboard.app.model;

import dev.switchboard.runtime.model.ExpertKindResolver;
import dev.switchboard.runtime.serving.ModelRuntime;
import java.nio.file.Path;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Loads a Mixtral-format checkpoint through the runtime's {@link ModelRuntime}. Experts are built through
 * {@code kinds} (the plugin registry's kinds, so every expert is tracked by the plugin whose code it runs); runtime
 * faults go to {@code faults}.
 */
@Component
class MoeModelLoader implements ServedModelLoader {

    private final ExpertKindResolver kinds;
    private final ExpertFaultListener faults;

    MoeModelLoader(ExpertKindResolver kinds, ExpertFaultListener faults) {
        this.kinds = kinds;
        this.faults = faults;
    }

    @Override
    public ServedModel load(Path directory, String id) {
        ChatTemplate template = ChatTemplate.fromModelDirectory(directory);
        ModelRuntime runtime = ModelRuntime.load(directory, kinds, (fault, expert) -> faults.onFault(id, fault, expert));
        return new ServedModel(id, Instant.now().getEpochSecond(), runtime.shape(),
                new MoeModelTokenizer(runtime.tokenizer(), runtime.shape().bosTokenId()), template, runtime.engine(),
                runtime.experts());
    }
}
