package dev.switchboard.runtime.serving;

import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.model.DeviceChoice;
import dev.switchboard.runtime.model.DeviceRouting;
import dev.switchboard.runtime.model.ExpertFault;
import dev.switchboard.runtime.model.ExpertKindResolver;
import dev.switchboard.runtime.model.ExpertKinds;
import dev.switchboard.runtime.model.ModelOptions;
import dev.switchboard.runtime.model.MoeModel;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import dev.switchboard.spi.Expert;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * A model directory (Hugging Face Mixtral layout) loaded for serving: its {@link #shape()}, its tokenizer, the
 * {@link ServingEngine} that runs its batched steps and the {@link ExpertTableEditor} that changes its experts while
 * it serves. The checkpoint stays open with the editor so experts can be rebuilt from their original weights. The
 * server's one way in to the runtime; slow to load, never on an event loop.
 *
 * @param engine owns the model's native memory and the tokenizer; closed by {@link #close()}
 * @param experts owns the open checkpoint; closed by {@link #close()}
 */
public record ModelRuntime(ModelShape shape, MoeTokenizer tokenizer, ServingEngine engine, ExpertTableEditor experts)
        implements AutoCloseable {

    /** With the expert kinds on the class path; expert faults only logged (benchmarks, tools). */
    public static ModelRuntime load(Path directory) {
        return load(directory, DeviceChoice.AUTO, ExpertKinds.fromClassPath(), (fault, expert) -> {});
    }

    /**
     * @param device where the model, its caches and experts live
     * @param kinds resolves expert kind names (the server's plugin registry)
     * @param faults told, on the inference thread inside the step that hit it, of each expert the model disabled
     *     after a runtime fault, with the expert object that failed; return quickly
     */
    public static ModelRuntime load(Path directory, DeviceChoice device, ExpertKindResolver kinds,
            BiConsumer<ExpertFault, Expert> faults) {
        return load(directory, device, ModelOptions.defaults().deviceRouting(), kinds, faults);
    }

    /**
     * {@link #load(Path, DeviceChoice, ExpertKindResolver, BiConsumer)} with {@code routing} saying where serving's
     * top-k routing runs ({@code switchboard.routing.on-device}; docs/adr/0008-routing-decisions-on-the-device.md).
     */
    public static ModelRuntime load(Path directory, DeviceChoice device, DeviceRouting routing, ExpertKindResolver kinds,
            BiConsumer<ExpertFault, Expert> faults) {
        MoeTokenizer tokenizer = MoeTokenizer.load(directory);
        Checkpoint checkpoint = null;
        try {
            checkpoint = Checkpoint.open(directory);
            AtomicReference<MoeModel> loaded = new AtomicReference<>();
            ModelOptions options = ModelOptions.defaults().withDevice(device.resolve()).withDeviceRouting(routing).withExpertKinds(kinds).withFaultListener(fault -> {
                MoeModel model = loaded.get();
                if (model != null) {
                    faults.accept(fault, model.experts().layer(fault.layer()).expert(fault.expert()));
                }
            });
            MoeModel model = MoeModel.load(checkpoint, options);
            loaded.set(model);
            MixtralConfig config = model.config();
            ModelShape shape = new ModelShape(config.maxPositionEmbeddings(), config.numHiddenLayers(),
                    config.numLocalExperts(), config.numExpertsPerTok(), config.eosTokenId(), tokenizer.promptBos(config),
                    config.vocabSize());
            return new ModelRuntime(shape, tokenizer, new MoeServingEngine(model, tokenizer),
                    new ExpertTableEditor(model, checkpoint));
        } catch (RuntimeException e) {
            tokenizer.close();
            if (checkpoint != null) {
                checkpoint.close();
            }
            throw e;
        }
    }

    /**
     * Checks that {@code directory} opens: {@code config.json}, every tensor's header, name, shape and byte range
     * (without reading tensor data), and {@code tokenizer.json}.
     *
     * @throws RuntimeException saying what is wrong
     */
    public static void check(Path directory) {
        try (Checkpoint checkpoint = Checkpoint.open(directory); MoeTokenizer tokenizer = MoeTokenizer.load(directory)) {
            // both opened: the directory holds a loadable checkpoint and tokenizer
        }
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            experts.close();
        }
    }
}
