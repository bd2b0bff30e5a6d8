package dev.switchboard.app;

import dev.switchboard.app.routingstats.StatsBenchCommand;
import dev.switchboard.app.routingstats.StatsReadBenchCommand;
import dev.switchboard.runtime.DjlOffline;
import dev.switchboard.tools.Tools;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Entry point: starts the HTTP service, or runs a command-line tool when the first argument names one
 * ({@code generate ...}): the tools module's, and the statistics benchmarks, which measure the app's own code.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SwitchboardApplication {

    public static void main(String[] args) {
        DjlOffline.enforce();
        Tools tools = Tools.builtIn().with(StatsBenchCommand::new, StatsReadBenchCommand::new);
        if (tools.runs(args)) {
            System.exit(tools.run(args, System.out, System.err));
        }
        SpringApplication.run(SwitchboardApplication.class, args);
    }
}
