package dev.switchboard.tools.makecheckpoint;

import dev.switchboard.runtime.checkpoint.TensorDtype;
import dev.switchboard.tools.ToolCommand;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of {@code make-checkpoint}: picocli fills the fields; {@link #check} checks them and {@link #run} runs
 * {@link MakeCheckpointCommand}.
 */
@Command(name = "make-checkpoint",
        description = {"Writes a random Mixtral-format checkpoint (config.json, model.safetensors, tokenizer.json,"
                + " tokenizer_config.json) into DIR, replacing those files; same arguments, same bytes.",
                "Sizes: tiny 0.29M, small 22M, medium 640M parameters."})
public final class MakeCheckpointArguments extends ToolCommand {

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where the checkpoint is written.")
    private Path outDir;

    @Option(names = "--size", paramLabel = "tiny|small|medium", defaultValue = "tiny", description = "The model shape; default ${DEFAULT-VALUE}.")
    private String size;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0", description = "Seed of the random weights; default ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--dtype", paramLabel = "f32|bf16", defaultValue = "f32", description = "The stored type; default ${DEFAULT-VALUE}.")
    private String dtype;

    public MakeCheckpointArguments(PrintStream out) {
        super(out);
    }

    @Override
    protected void check() {
        try {
            CheckpointSize.named(size);
        } catch (IllegalArgumentException e) {
            require(false, "--size: " + e.getMessage());
        }
        require(dtype.equals("f32") || dtype.equals("bf16"), "--dtype is f32 or bf16, got '" + dtype + "'");
    }

    @Override
    protected void run() {
        new MakeCheckpointCommand(out).run(this);
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
