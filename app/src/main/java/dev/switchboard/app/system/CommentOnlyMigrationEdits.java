package dev.switchboard.app.system;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.Configuration;
import org.springframework.stereotype.Component;

/**
 * Landed migrations whose comments were corrected after databases had run them. Flyway's checksum covers
 * comments too, so without this a database migrated before the correction would refuse to start. Before
 * Flyway validates, a recorded checksum equal to the old one is moved to the new one; any other mismatch
 * (a real change to a landed migration) still fails validation as it should.
 */
@Component
class CommentOnlyMigrationEdits implements Callback {

    /** One comment-only correction: the checksum Flyway recorded before it and the one it computes after. */
    record Edit(String version, int checksumBefore, int checksumAfter) {}

    /** V2's comments named section numbers of notes outside the repository; they now name docs/MOE.md. */
    static final List<Edit> EDITS = List.of(new Edit("2", -370348408, -1369309096));

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_VALIDATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        try {
            String history = historyTable(context.getConfiguration());
            Connection connection = context.getConnection();
            if (!exists(connection, history)) {
                return; // a new database: nothing recorded yet
            }
            for (Edit edit : EDITS) {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE " + history + " SET checksum = ? WHERE version = ? AND checksum = ?")) {
                    update.setInt(1, edit.checksumAfter());
                    update.setString(2, edit.version());
                    update.setInt(3, edit.checksumBefore());
                    update.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the comment-only edits of landed migrations", e);
        }
    }

    @Override
    public String getCallbackName() {
        return "comment-only migration edits";
    }

    private static String historyTable(Configuration configuration) {
        // Flyway's own rule: the default schema, else the first of the managed schemas, else the connection's.
        String schema = configuration.getDefaultSchema() != null ? configuration.getDefaultSchema()
                : configuration.getSchemas().length > 0 ? configuration.getSchemas()[0] : null;
        String table = quoted(configuration.getTable());
        return schema == null ? table : quoted(schema) + "." + table;
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, table);
            try (ResultSet result = query.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }
}
