package dev.switchboard.tools.calibrate;

import ai.djl.ndarray.NDManager;
import dev.switchboard.runtime.DjlOffline;
import dev.switchboard.runtime.checkpoint.Checkpoint;
import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.TensorDtype;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import dev.switchboard.runtime.training.CorpusSplit;
import dev.switchboard.runtime.training.HeldOutSet;
import dev.switchboard.runtime.training.RouterCalibration;
import dev.switchboard.runtime.training.TokenWindows;
import dev.switchboard.runtime.training.TrainableMixtral;
import dev.switchboard.runtime.training.TrainingRecipe;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar switchboard.jar calibrate ...}: {@link RouterCalibration} on a model folder, calibrating on the
 * training split of one recipe domain and measuring every domain on its held-out windows (training's own split,
 * as {@code eval} uses). Progress goes to the log (stderr); the table to stdout.
 */
public final class CalibrateCommand {

    private static final Logger log = LoggerFactory.getLogger(CalibrateCommand.class);
    private static final List<String> TOKENIZER_FILES = List.of("tokenizer.json", "tokenizer_config.json",
            "generation_config.json");

    private final PrintStream out;

    public CalibrateCommand(PrintStream out) {
        this.out = out;
    }

    public void run(CalibrateArguments arguments) {
        DjlOffline.enforce();
        TrainingRecipe recipe = TrainingRecipe.read(arguments.recipe());
        CorpusSplit split = CorpusSplit.of(recipe, log::info);
        List<String> documents = split.training().get(arguments.domain());
        if (documents == null) {
            throw new IllegalArgumentException("the recipe has no domain '" + arguments.domain() + "'; it has "
                    + split.training().keySet());
        }
        int window = recipe.options().window();
        try (Checkpoint checkpoint = Checkpoint.open(arguments.model());
                MoeTokenizer tokenizer = MoeTokenizer.load(arguments.model());
                NDManager manager = NDManager.newBaseManager();
                TrainableMixtral model = TrainableMixtral.fromCheckpoint(checkpoint, window, manager)) {
            MixtralConfig config = checkpoint.config();
            int[] stream = TokenWindows.stream(documents.stream().map(tokenizer::encode).toList(), config.bosTokenId(),
                    config.eosTokenId());
            TokenWindows calibration = new TokenWindows(List.of(new TokenWindows.Domain(arguments.domain(), stream, 1)), window);
            Map<String, TokenWindows.Batch> measured = new LinkedHashMap<>();
            for (HeldOutSet.Domain domain : HeldOutSet.build(split.heldOut(), tokenizer, config.bosTokenId(),
                    config.eosTokenId(), window, arguments.windows(), recipe.options().seed(), log::info)) {
                measured.put(domain.name(), domain.windows());
            }
            RouterCalibration.Result result = RouterCalibration.calibrate(model, arguments.expert(), calibration, measured,
                    new RouterCalibration.Options(arguments.steps(), arguments.learningRate(), arguments.batch(),
                            recipe.options().seed()));
            out.printf("expert %d calibrated on %s: %d steps of %d × %d tokens in %.1f s%n", result.expert(),
                    arguments.domain(), result.steps(), arguments.batch(), window, result.seconds());
            out.printf("%-12s %12s %12s %9s %12s %12s%n", "domain", "loss before", "loss after", "change", "share before",
                    "share after");
            for (RouterCalibration.DomainChange change : result.domains()) {
                out.printf("%-12s %12.4f %12.4f %+9.4f %11.1f%% %11.1f%%%n", change.domain(), change.before().crossEntropy(),
                        change.after().crossEntropy(), change.after().crossEntropy() - change.before().crossEntropy(),
                        100 * change.before().share(), 100 * change.after().share());
            }
            if (arguments.outDir() != null) {
                write(model, arguments.model(), arguments.outDir());
                out.println("wrote " + arguments.outDir().toAbsolutePath());
            }
        }
    }

    private static void write(TrainableMixtral model, Path from, Path to) {
        try {
            Files.createDirectories(to);
            model.save(to, TensorDtype.F32);
            for (String file : TOKENIZER_FILES) {
                if (Files.exists(from.resolve(file))) {
                    Files.copy(from.resolve(file), to.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(to + ": cannot write the calibrated model", e);
        }
    }
}
