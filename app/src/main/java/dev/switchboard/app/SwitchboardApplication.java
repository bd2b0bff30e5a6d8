package dev.switchboard.app;

import dev.switchboard.app.cli.CommandLine;
import dev.switchboard.runtime.DjlOffline;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point: starts the HTTP service, or runs a command-line tool ({@code generate ...}). */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SwitchboardApplication {

    public static void main(String[] args) {
        DjlOffline.enforce();
        if (CommandLine.isCommand(args)) {
            System.exit(CommandLine.run(args));
        }
        SpringApplication.run(SwitchboardApplication.class, args);
    }
}
