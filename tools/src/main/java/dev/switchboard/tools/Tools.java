package dev.switchboard.tools;

import dev.switchboard.tools.bench.BenchArguments;
import dev.switchboard.tools.calibrate.CalibrateArguments;
import dev.switchboard.tools.eval.EvalArguments;
import dev.switchboard.tools.generate.GenerateArguments;
import dev.switchboard.tools.lab.LabArguments;
import dev.switchboard.tools.loadgen.LoadgenArguments;
import dev.switchboard.tools.makecheckpoint.MakeCheckpointArguments;
import dev.switchboard.tools.train.TrainArguments;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command-line tools, run without Spring: {@code java -jar switchboard.jar generate ...}. Each tool is a picocli
 * command; this class gives them one behaviour: {@code --name value} options, {@code -h}/{@code --help}, and exit
 * status 0 when the tool succeeds, 1 when its work fails ({@code error: ...} on stderr) and 2 for a command-line
 * mistake (the mistake and the tool's usage line on stderr, nothing on stdout). Logs go to stderr, so stdout
 * carries only the tool's output.
 */
public final class Tools {

    /** Makes a tool's picocli command, which writes its output to the given stream. */
    @FunctionalInterface
    public interface Factory {
        Object create(PrintStream out);
    }

    private static final int FAILED = 1;

    private final List<Factory> factories;

    private Tools(List<Factory> factories) {
        this.factories = List.copyOf(factories);
    }

    /** The tools of this module. */
    public static Tools builtIn() {
        return new Tools(List.of(GenerateArguments::new, BenchArguments::new, LoadgenArguments::new, TrainArguments::new,
                EvalArguments::new, LabArguments::new, MakeCheckpointArguments::new, CalibrateArguments::new));
    }

    /** These tools and {@code more}, for commands that live beside the code they measure. */
    public Tools with(Factory... more) {
        List<Factory> all = new ArrayList<>(factories);
        all.addAll(Arrays.asList(more));
        return new Tools(all);
    }

    /** The tools' names, as the first argument gives them. */
    public List<String> names() {
        return factories.stream().map(f -> name(f.create(System.out))).toList();
    }

    /** Whether {@code args} name a tool rather than start the server. */
    public boolean runs(String[] args) {
        return args.length > 0 && names().contains(args[0]);
    }

    /** Runs the tool {@code args[0]} names with the remaining arguments and returns the process exit status. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        StderrLogging.install();
        Optional<Object> command = args.length == 0 ? Optional.empty()
                : factories.stream().map(f -> f.create(out)).filter(c -> name(c).equals(args[0])).findFirst();
        if (command.isEmpty()) {
            err.println("error: the first argument names a tool, one of " + String.join(", ", names()));
            return CommandLine.ExitCode.USAGE;
        }
        return commandLine(command.get(), out, err).execute(Arrays.copyOfRange(args, 1, args.length));
    }

    /**
     * A tool with subcommands ({@code lab collapse}, {@code lab ablation}, ...): each is a command of its own,
     * made to write to the same stream, and follows the same conventions.
     */
    public interface Group {
        List<Object> subcommands();
    }

    /** A tool's command line with the shared conventions, so every tool looks and fails alike. */
    static CommandLine commandLine(Object command, PrintStream out, PrintStream err) {
        CommandLine line = withHelp(new CommandLine(command));
        if (command instanceof Group group) {
            // Added before the settings below, which picocli passes on to the subcommands already added.
            group.subcommands().forEach(subcommand -> line.addSubcommand(withHelp(new CommandLine(subcommand))));
        }
        line.setSeparator(" ");
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        line.setParameterExceptionHandler(Tools::usageMistake);
        line.setExecutionExceptionHandler(Tools::failure);
        return line;
    }

    private static CommandLine withHelp(CommandLine line) {
        line.getCommandSpec().addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help and exit.").build());
        line.getCommandSpec().usageMessage().synopsisHeading("usage: ").sortOptions(false).sortSynopsis(false)
                .descriptionHeading("%n").optionListHeading("%nOptions:%n").commandListHeading("%nCommands:%n");
        return line;
    }

    private static int usageMistake(ParameterException mistake, String[] args) {
        CommandLine line = mistake.getCommandLine();
        PrintWriter err = line.getErr();
        err.println("error: " + mistake.getMessage());
        UnmatchedArgumentException.printSuggestions(mistake, err);
        CommandLine.Help help = line.getHelp();
        err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
        err.println("See --help for what each option means.");
        return line.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int failure(Exception failure, CommandLine line, ParseResult parsed) {
        line.getErr().println("error: " + (failure.getMessage() != null ? failure.getMessage() : failure.toString()));
        return FAILED;
    }

    private static String name(Object command) {
        return command.getClass().getAnnotation(Command.class).name();
    }
}
