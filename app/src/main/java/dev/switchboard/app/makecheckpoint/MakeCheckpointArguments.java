package dev.switchboard.app.makecheckpoint;

import dev.switchboard.app.cli.CliUsageException;
import dev.switchboard.app.cli.Flags;
import dev.switchboard.runtime.checkpoint.TensorDtype;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** {@code make-checkpoint --out DIR [--size tiny|small|medium] [--seed N] [--dtype f32|bf16]}. */
record MakeCheckpointArguments(Path out, CheckpointSize size, long seed, TensorDtype dtype) {

    static final String USAGE = "usage: make-checkpoint --out DIR [--size tiny|small|medium] [--seed N] [--dtype f32|bf16]\n"
            + "  writes a random Mixtral-format checkpoint (config.json, model.safetensors, tokenizer.json,\n"
            + "  tokenizer_config.json) into DIR, replacing those files; same arguments, same bytes.\n"
            + "  Defaults: --size tiny --seed 0 --dtype f32. Sizes: tiny 0.29M, small 22M, medium 640M parameters.";

    MakeCheckpointArguments {
        if (out == null) throw new CliUsageException("--out is required");
    }

    static MakeCheckpointArguments parse(List<String> args) {
        Flags flags = Flags.parse(args, Set.of("--out", "--size", "--seed", "--dtype"));
        CheckpointSize size;
        try {
            size = CheckpointSize.named(flags.text("--size", "tiny"));
        } catch (IllegalArgumentException e) {
            throw new CliUsageException("--size: " + e.getMessage());
        }
        TensorDtype dtype = switch (flags.text("--dtype", "f32")) {
            case "f32" -> TensorDtype.F32;
            case "bf16" -> TensorDtype.BF16;
            default -> throw new CliUsageException("--dtype is f32 or bf16, got '" + flags.text("--dtype") + "'");
        };
        return new MakeCheckpointArguments(flags.path("--out"), size, flags.longInteger("--seed", 0), dtype);
    }
}
