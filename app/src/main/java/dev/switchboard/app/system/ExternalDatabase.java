package dev.switchboard.app.system;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** A PostgreSQL the operator runs, given as a JDBC URL. */
record ExternalDatabase(String jdbcUrl, String username, String password) {

    private static final String JDBC_PREFIX = "jdbc:postgresql://";
    private static final String SETTING = "switchboard.db.url (env SWITCHBOARD_DB_URL)";
    private static final int CONNECT_TIMEOUT_SECONDS = 5;

    ExternalDatabase {
        if (!jdbcUrl.startsWith(JDBC_PREFIX)) {
            throw new StartupConfigurationException(
                    "The database URL '" + jdbcUrl + "' is not a PostgreSQL JDBC URL (expected " + JDBC_PREFIX + "host:5432/db).",
                    SETTING, null);
        }
    }

    /** Connects once so that a wrong URL ends start-up now, with a message naming it. */
    void checkReachable() {
        Properties info = new Properties();
        if (username != null) info.setProperty("user", username);
        if (password != null) info.setProperty("password", password);
        info.setProperty("connectTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        info.setProperty("loginTimeout", String.valueOf(CONNECT_TIMEOUT_SECONDS));
        try (Connection ignored = DriverManager.getConnection(jdbcUrl, info)) {
            // reachable and the credentials work
        } catch (SQLException e) {
            throw new StartupConfigurationException(
                    "Cannot connect to the database at " + jdbcUrl + ": " + e.getMessage(), SETTING, e);
        }
    }

    Map<String, Object> springProperties() {
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.r2dbc.url", "r2dbc:postgresql://" + jdbcUrl.substring(JDBC_PREFIX.length()));
        properties.put("spring.flyway.url", jdbcUrl);
        if (username != null) {
            properties.put("spring.r2dbc.username", username);
            properties.put("spring.flyway.user", username);
        }
        if (password != null) {
            properties.put("spring.r2dbc.password", password);
            properties.put("spring.flyway.password", password);
        }
        return properties;
    }
}
