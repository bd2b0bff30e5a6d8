package dev.switchboard.app.experts;

import dev.switchboard.app.ServingTestBase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A serving test that edits the served model through the admin API; after each test the model's expert
 * table is restored, so the shared context stays as the other tests expect it.
 */
abstract class ExpertAdminTestBase extends ServingTestBase {

    /** Adds the example plugin's contributed expert to every layer with a bias that wins every token. */
    static final String ADD_EXAMPLE_EXPERT =
            "{\"plugin\":\"" + ExamplePlugin.ID + "\",\"name\":\"example-relu\",\"selectionBias\":100}";

    ExpertAdminClient api;

    @BeforeEach
    void connectAdminClient() {
        api = new ExpertAdminClient(anonymous, web, port);
    }

    @AfterEach
    void restoreModel() throws Exception {
        api.restore();
    }
}
