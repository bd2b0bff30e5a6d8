package dev.switchboard.app.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Service settings under {@value #PREFIX}. Every field can be set in {@code application.yml}, as an
 * environment variable ({@code SWITCHBOARD_DATA_DIR}) or on the command line
 * ({@code --switchboard.data-dir=/var/lib/switchboard}).
 *
 * @param dataDir where Switchboard keeps its state; the embedded PostgreSQL lives in {@code <dataDir>/postgres}
 * @param pluginsDir the folder watched for expert plugin jars
 * @param model the model directory (Hugging Face layout); {@code null} serves the shipped default model,
 *     {@code none} serves no model
 * @param db the external database; leave {@code url} empty to run the embedded PostgreSQL
 */
@ConfigurationProperties(SwitchboardProperties.PREFIX)
public record SwitchboardProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue("./plugins") Path pluginsDir,
        Path model,
        @DefaultValue Database db) {

    public static final String PREFIX = "switchboard";

    /**
     * An external PostgreSQL. {@code url} is a JDBC URL ({@code jdbc:postgresql://host:5432/switchboard});
     * Switchboard derives the R2DBC URL for the application and uses the JDBC one for Flyway only.
     */
    public record Database(String url, String username, String password) {}
}
