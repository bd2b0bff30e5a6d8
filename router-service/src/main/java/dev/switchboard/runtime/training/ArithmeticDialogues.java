package dev.switchboard.runtime.training;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic instruction exchanges about two-digit addition and subtraction, in the Mistral instruct
 * format the default model is served with ({@code [INST] question [/INST]answer}; BOS and EOS are added by
 * {@link TokenWindows#stream}). They give the small default model a skill that can be checked.
 */
public final class ArithmeticDialogues {

    private static final String[] QUESTIONS = {
        "What is %d %s %d?", "Compute %d %s %d.", "%d %s %d = ?", "How much is %d %s %d?", "Calculate %d %s %d"
    };

    private ArithmeticDialogues() {}

    public static List<String> generate(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> dialogues = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int a = random.nextInt(100);
            int b = random.nextInt(100);
            boolean add = random.nextBoolean();
            if (!add && b > a) {
                int swap = a;
                a = b;
                b = swap;
            }
            String operator = add ? "+" : "-";
            int result = add ? a + b : a - b;
            String question = String.format(QUESTIONS[random.nextInt(QUESTIONS.length)], a, operator, b);
            dialogues.add("[INST] " + question + " [/INST]" + a + " " + operator + " " + b + " = " + result + ".");
        }
        return dialogues;
    }
}
