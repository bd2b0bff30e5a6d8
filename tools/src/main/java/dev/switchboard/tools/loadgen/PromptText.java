package dev.switchboard.tools.loadgen;

import java.util.SplittableRandom;

/**
 * Prompts for the load generator: common English words, about one token each for a BPE tokenizer,
 * different per request index and the same for the same index (so every level sends the same requests).
 * The real token count comes back in each response's usage and is what the report shows.
 */
final class PromptText {

    private static final String[] WORDS = ("the of and to in is was for on that with as by at from his it an were are which"
            + " this be or has had first one their its new after who they have her she two been other when there all during"
            + " into school time may years more most only over city some world would where later up such used many can state"
            + " about national out known university united then made").split(" ");

    private PromptText() {}

    static String words(int count, long index) {
        SplittableRandom random = new SplittableRandom(0x5EED ^ index * 0x9E3779B97F4A7C15L);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) text.append(' ');
            text.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }
}
