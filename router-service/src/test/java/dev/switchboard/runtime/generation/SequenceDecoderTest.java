package dev.switchboard.runtime.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.runtime.fixtures.ReferenceFixture;
import dev.switchboard.runtime.tokenizer.MoeTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The decode loop's decisions on the tiny fixture's real tokenizer, driven by one-hot logits so that greedy
 * sampling picks a chosen token: text, end-of-sequence, stop strings and the token limit.
 */
class SequenceDecoderTest {

    private static final int EOS = 2;
    private static MoeTokenizer tokenizer;
    private static int[] helloWorld;

    @BeforeAll
    static void load() {
        tokenizer = MoeTokenizer.load(ReferenceFixture.named(ReferenceFixture.TINY_F32).dir());
        helloWorld = tokenizer.encode("hello world");
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void releasedTextConcatenatesToTheDecodedTokensAndEosEndsWithoutText() {
        SequenceDecoder decoder = decoder(SamplingParams.greedy(100), 1000);
        StringBuilder text = new StringBuilder();
        for (int id : helloWorld) {
            SequenceDecoder.Step step = decoder.next(oneHot(id));
            assertThat(step.tokenId()).isEqualTo(id);
            assertThat(step.finish()).isNull();
            text.append(step.text());
        }
        SequenceDecoder.Step eos = decoder.next(oneHot(EOS));

        assertThat(eos.finish()).isEqualTo(FinishReason.STOP);
        assertThat(text.append(eos.text()).toString()).isEqualTo(tokenizer.decode(helloWorld));
        assertThat(decoder.generated()).isEqualTo(helloWorld.length + 1);
        assertThatThrownBy(() -> decoder.next(oneHot(EOS))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void maxTokensEndsTheSequenceWithLengthOnTheLastToken() {
        SequenceDecoder decoder = decoder(SamplingParams.greedy(2), 1000);

        assertThat(decoder.next(oneHot(helloWorld[0])).finish()).isNull();
        assertThat(decoder.next(oneHot(helloWorld[0])).finish()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void theContextEndsTheSequenceBeforeMaxTokensWhenItIsFull() {
        SequenceDecoder decoder = decoder(SamplingParams.greedy(100), 3);

        List<FinishReason> finishes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            finishes.add(decoder.next(oneHot(helloWorld[0])).finish());
        }
        assertThat(finishes).containsExactly(null, null, FinishReason.LENGTH);
        assertThatThrownBy(() -> decoder(SamplingParams.greedy(1), -1)).hasMessageContaining("shorten the prompt");
    }

    @Test
    void aStopStringEndsTheSequenceAndIsNeverReleased() {
        String full = tokenizer.decode(helloWorld);
        String stop = full.substring(full.length() - 3); // the last three characters: "rld"
        SequenceDecoder decoder = decoder(new SamplingParams(0, 0, 1, null, 100, List.of(stop)), 1000);
        StringBuilder text = new StringBuilder();
        FinishReason finish = null;
        for (int i = 0; i < helloWorld.length && finish == null; i++) {
            SequenceDecoder.Step step = decoder.next(oneHot(helloWorld[i]));
            text.append(step.text());
            finish = step.finish();
        }

        assertThat(finish).isEqualTo(FinishReason.STOP);
        assertThat(text.toString()).isEqualTo(full.substring(0, full.length() - 3));
    }

    @Test
    void endingEarlyReleasesTextHeldForAPossibleStopString() {
        String full = tokenizer.decode(helloWorld);
        SequenceDecoder decoder = decoder(new SamplingParams(0, 0, 1, null, 100, List.of(full + "!")), 1000);
        StringBuilder text = new StringBuilder();
        for (int id : helloWorld) {
            text.append(decoder.next(oneHot(id)).text());
        }
        assertThat(text.toString()).as("all of it may begin the stop string").isEmpty();

        SequenceDecoder.Ending ending = decoder.end(FinishReason.LENGTH);

        assertThat(ending.finish()).isEqualTo(FinishReason.LENGTH);
        assertThat(ending.text()).isEqualTo(full);
        assertThat(decoder.end(FinishReason.CANCELLED)).isEqualTo(new SequenceDecoder.Ending("", FinishReason.LENGTH));
    }

    private static SequenceDecoder decoder(SamplingParams sampling, int contextRoom) {
        return new SequenceDecoder(tokenizer.textStream(), sampling, EOS, contextRoom);
    }

    private static float[] oneHot(int token) {
        float[] logits = new float[tokenizer.vocabSize()];
        logits[token] = 10f;
        return logits;
    }
}
