package dev.switchboard.app.system;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Decides, before any bean exists, which PostgreSQL the application talks to, and fails start-up
 * with a {@link StartupConfigurationException} when that choice cannot work.
 *
 * <ul>
 *   <li>{@code switchboard.db.url} (env {@code SWITCHBOARD_DB_URL}) set: that database, checked for
 *       reachability now, R2DBC for the application and JDBC for Flyway derived from it.
 *   <li>{@code spring.r2dbc.url} set: the operator configured Spring directly; left untouched.
 *   <li>neither: an embedded PostgreSQL in {@code <switchboard.data-dir>/postgres}, kept across restarts.
 * </ul>
 *
 * Runs after the config-data processor so {@code application.yml} and profiles are already visible.
 */
class DatabaseEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY_SOURCE_NAME = "switchboardDatabase";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
            return; // a bootstrap or child context of an application that already chose
        }
        String externalUrl = environment.getProperty("switchboard.db.url");
        if (externalUrl != null && !externalUrl.isBlank()) {
            useExternal(environment, externalUrl.trim());
        } else if (environment.getProperty("spring.r2dbc.url") == null) {
            useEmbedded(environment, application);
        }
    }

    private void useExternal(ConfigurableEnvironment environment, String jdbcUrl) {
        ExternalDatabase database = new ExternalDatabase(
                jdbcUrl, environment.getProperty("switchboard.db.username"), environment.getProperty("switchboard.db.password"));
        database.checkReachable();
        environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, database.springProperties()));
    }

    private void useEmbedded(ConfigurableEnvironment environment, SpringApplication application) {
        DataDirectory dataDir = DataDirectory.prepare(environment.getProperty("switchboard.data-dir", "./data"));
        EmbeddedDatabase database = EmbeddedDatabase.start(dataDir);
        // The context's EmbeddedDatabaseStopper stops it last at close; a start-up that fails never gets there.
        application.addListeners(new EmbeddedDatabaseFailureStopper(database));
        Map<String, Object> properties = new HashMap<>(database.springProperties());
        environment.getPropertySources().addFirst(new EmbeddedDatabasePropertySource(PROPERTY_SOURCE_NAME, properties, database));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Keeps the running embedded database reachable from the context, which stops it on close. */
    static final class EmbeddedDatabasePropertySource extends MapPropertySource {
        private final EmbeddedDatabase database;

        EmbeddedDatabasePropertySource(String name, Map<String, Object> source, EmbeddedDatabase database) {
            super(name, source);
            this.database = database;
        }

        EmbeddedDatabase database() {
            return database;
        }
    }
}
