package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTest;
import dev.switchboard.app.ServingTestBase;
import org.junit.jupiter.api.Test;

/**
 * Parsing, template rendering and tokenizing run on the preparation threads, never on a Netty event loop: the
 * fixture's tokenizer records the thread of every call, for each endpoint that takes prompt text.
 */
class RequestPreparationThreadsTest extends ServingTestBase {

    @Test
    void everyPromptIsTokenizedOnAPreparationThread() {
        post("/v1/chat/completions", chat("\"max_tokens\":1")).expectStatus().isOk();
        post("/v1/completions", "{\"model\":\"" + ServingTest.MODEL + "\",\"prompt\":\"Hello\",\"max_tokens\":1}")
                .expectStatus().isOk();
        post("/api/route", "{\"input\":\"Hello there\"}").expectStatus().isOk();
        post("/api/route", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}").expectStatus().isOk();

        assertThat(controls.tokenizingThreads()).hasSize(4)
                .allSatisfy(thread -> assertThat(thread).startsWith(RequestPreparation.THREAD_PREFIX)
                        .doesNotContain("non-blocking"));
    }
}
