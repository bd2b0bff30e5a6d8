package dev.switchboard.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.switchboard.app.bench.BenchCommand;
import dev.switchboard.app.eval.EvalCommand;
import dev.switchboard.app.loadgen.LoadgenCommand;
import dev.switchboard.app.makecheckpoint.MakeCheckpointCommand;
import dev.switchboard.app.routingstats.StatsBenchCommand;
import dev.switchboard.app.routingstats.StatsReadBenchCommand;
import dev.switchboard.app.training.TrainCommand;
import java.util.Arrays;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The command-line tools in the application jar, run without starting Spring:
 * {@code java -jar switchboard.jar generate ...}. Logs go to stderr so stdout carries only the output.
 */
public final class CommandLine {

    private static final List<String> COMMANDS = List.of("generate", "bench", "bench-stats", "bench-stats-reads", "loadgen", "train",
            "eval", "make-checkpoint");

    private CommandLine() {}

    /** Whether {@code args} name a command-line tool rather than the server. */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && COMMANDS.contains(args[0]);
    }

    /** Runs the tool and returns the process exit status. */
    public static int run(String[] args) {
        logToStderr();
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            switch (args[0]) {
                case "generate" -> new GenerateCommand(System.out).run(GenerateArguments.parse(rest));
                case "bench" -> new BenchCommand(System.out).run(rest);
                case "bench-stats" -> new StatsBenchCommand(System.out).run(rest);
                case "bench-stats-reads" -> new StatsReadBenchCommand(System.out).run(rest);
                case "loadgen" -> new LoadgenCommand(System.out).run(rest);
                case "train" -> new TrainCommand(System.out).run(rest);
                case "eval" -> new EvalCommand(System.out).run(rest);
                case "make-checkpoint" -> new MakeCheckpointCommand(System.out).run(rest);
                default -> throw new CliUsageException("unknown command " + args[0]);
            }
            return 0;
        } catch (CliUsageException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(switch (args[0]) {
                case "bench" -> BenchCommand.USAGE;
                case "bench-stats" -> StatsBenchCommand.USAGE;
                case "bench-stats-reads" -> StatsReadBenchCommand.USAGE;
                case "loadgen" -> LoadgenCommand.USAGE;
                case "train" -> TrainCommand.USAGE;
                case "eval" -> EvalCommand.USAGE;
                case "make-checkpoint" -> MakeCheckpointCommand.USAGE;
                default -> GenerateArguments.USAGE;
            });
            return 2;
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static void logToStderr() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(appender);
    }
}
