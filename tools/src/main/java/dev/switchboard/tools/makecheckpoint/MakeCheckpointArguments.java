package dev.switchboard.tools.makecheckpoint;

import dev.switchboard.runtime.checkpoint.TensorDtype;
import dev.switchboard.tools.UsageCheck;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The command line of {@code make-checkpoint}: picocli fills the fields; {@link #call} checks them and runs
 * {@link MakeCheckpointCommand}.
 */
@Command(name = "make-checkpoint",
        description = {"Writes a random Mixtral-format checkpoint (config.json, model.safetensors, tokenizer.json,"
                + " tokenizer_config.json) into DIR, replacing those files; same arguments, same bytes.",
                "Sizes: tiny 0.29M, small 22M, medium 640M parameters."})
public final class MakeCheckpointArguments implements Callable<Integer> {

    private final PrintStream out;

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the checkpoint is written.")
    private Path outDir;

    @Option(names = "--size", paramLabel = "tiny|small|medium", defaultValue = "tiny", description = "The model shape; default ${DEFAULT-VALUE}.")
    private String size;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the random weights; default ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--dtype", paramLabel = "f32|bf16", defaultValue = "f32", description = "The stored type; default ${DEFAULT-VALUE}.")
    private String dtype;

    public MakeCheckpointArguments(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        try {
            CheckpointSize.named(size);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--size: " + e.getMessage());
        }
        UsageCheck.require(spec, dtype.equals("f32") || dtype.equals("bf16"), "--dtype is f32 or bf16, got '" + dtype + "'");
        new MakeCheckpointCommand(out).run(this);
        return 0;
    }

    Path out() {
        return outDir;
    }

    CheckpointSize size() {
        return CheckpointSize.named(size);
    }

    long seed() {
        return seed;
    }

    TensorDtype dtype() {
        return dtype.equals("bf16") ? TensorDtype.BF16 : TensorDtype.F32;
    }
}
