package dev.switchboard.tools.makecheckpoint;

import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.MixtralConfigWriter;
import dev.switchboard.runtime.checkpoint.MixtralTensorLayout;
import dev.switchboard.runtime.checkpoint.SafetensorsWriter;
import dev.switchboard.runtime.checkpoint.TensorDtype;
import dev.switchboard.runtime.training.TokenizerWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar switchboard.jar make-checkpoint ...}: a random, seeded Mixtral checkpoint of a named size,
 * so the benchmarks in docs/PERFORMANCE.md run from a clone. Written with the same writers as a trained
 * model; tensors are generated one at a time while the file is written, so a medium checkpoint needs no
 * more heap than its largest tensor.
 */
public final class MakeCheckpointCommand {

    private final PrintStream out;

    public MakeCheckpointCommand(PrintStream out) {
        this.out = out;
    }

    public void run(MakeCheckpointArguments arguments) {
        Path dir = arguments.out();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot create the checkpoint folder", e);
        }
        MixtralConfig config = arguments.size().config();
        long parameters = write(config, arguments.seed(), arguments.dtype(), dir);
        TokenizerWriter.write(RandomCheckpointVocabulary.of(config.vocabSize()), dir);
        MixtralConfigWriter.write(config, arguments.dtype() == TensorDtype.BF16 ? "bfloat16" : "float32",
                dir.resolve("config.json"));
        out.printf("wrote %s: %s, seed %d, %,d parameters in %s%n", dir.toAbsolutePath(), arguments.size().label(),
                arguments.seed(), parameters, arguments.dtype());
    }

    /** Writes {@code model.safetensors} and returns its parameter count. */
    static long write(MixtralConfig config, long seed, TensorDtype dtype, Path dir) {
        SafetensorsWriter writer = new SafetensorsWriter(dtype);
        long parameters = 0;
        for (MixtralTensorLayout.Expected tensor : MixtralTensorLayout.expected(config).values()) {
            writer.add(tensor.name(), tensor.shape(), () -> RandomWeights.of(tensor.name(), tensor.shape(), seed));
            parameters += RandomWeights.count(tensor.shape());
        }
        writer.write(dir.resolve("model.safetensors"));
        return parameters;
    }
}
