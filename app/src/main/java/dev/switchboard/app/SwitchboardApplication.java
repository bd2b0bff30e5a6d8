package dev.switchboard.app;

import dev.switchboard.runtime.DjlOffline;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Entry point: starts the HTTP service. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SwitchboardApplication {

    public static void main(String[] args) {
        DjlOffline.enforce();
        SpringApplication.run(SwitchboardApplication.class, args);
    }
}
