package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.app.ServingTestBase;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A temperature so small that 1/T is infinite (1e-320, a subnormal double) decodes greedily. It once made
 * every softmax weight NaN or 0, and the draw fell through to token 0 at every step.
 */
class SubnormalTemperatureTest extends ServingTestBase {

    @Test
    void aSubnormalTemperatureDecodesGreedilyInsteadOfRepeatingTokenZero() {
        // Token 0 of the fixture is <unk>, which decodes to no text: the broken draw answered "" every time.
        String greedyFirst = content("\"temperature\":0,\"max_tokens\":1");
        assertThat(greedyFirst).as("the fixture's greedy first token has text").isNotEmpty();
        assertThat(content("\"temperature\":1e-320,\"max_tokens\":1")).isEqualTo(greedyFirst);
        // Later steps too (not compared token by token: the fixture's logits are nearly flat, so argmax ties can
        // break differently between two runs of the multi-threaded matrix products).
        assertThat(content("\"temperature\":1e-320,\"max_tokens\":12")).startsWith(greedyFirst).hasSizeGreaterThan(3);
    }

    private String content(String fields) {
        AtomicReference<String> text = new AtomicReference<>();
        post("/v1/chat/completions", chat(fields)).expectStatus().isOk()
                .expectBody().jsonPath("$.choices[0].message.content").value(content -> text.set((String) content));
        return text.get();
    }
}
