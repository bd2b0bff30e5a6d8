package dev.switchboard.app.generation;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.generation.openai.ChatRequestMessage;
import dev.switchboard.app.generation.openai.CompletionPrompt;
import dev.switchboard.app.model.ChatMessage;
import dev.switchboard.app.model.ChatTemplate;
import dev.switchboard.app.model.ServedModel;
import java.util.List;

/** Turns bound {@code messages} (chat) or {@code prompt} (completions) into prompt token ids, with 400s naming the parameter. */
final class PromptParser {

    private PromptParser() {}

    /** The chat prompt: messages rendered with the model's chat template, then tokenized. */
    static int[] chatTokens(ServedModel model, List<ChatRequestMessage> messages) {
        PromptLength.requireFits(model, messages.stream().mapToLong(m -> m.text().length()).sum(), "messages");
        List<ChatMessage> conversation = messages.stream().map(m -> new ChatMessage(m.role(), m.text())).toList();
        String rendered;
        try {
            rendered = model.chatTemplate().render(conversation);
        } catch (ChatTemplate.TemplateRejectedException e) {
            throw ApiException.invalid("messages", "The model's chat template rejected the messages: " + e.getMessage());
        }
        PromptLength.requireFits(model, rendered.length(), "messages");
        return model.tokenizer().encodeRendered(rendered);
    }

    /** {@code prompt} as token ids: text tokenized with BOS, or token ids checked against the vocabulary. */
    static int[] completionTokens(ServedModel model, CompletionPrompt prompt) {
        if (prompt.text() != null) {
            PromptLength.requireFits(model, prompt.text().length(), "prompt");
            return model.tokenizer().encodePrompt(prompt.text());
        }
        long[] tokenIds = prompt.tokenIds();
        int vocabSize = model.shape().vocabSize();
        int[] ids = new int[tokenIds.length];
        for (int i = 0; i < ids.length; i++) {
            if (tokenIds[i] >= vocabSize) {
                throw ApiException.invalid("prompt", "'prompt' token ids must be integers in [0, " + vocabSize + "); found "
                        + tokenIds[i] + " at index " + i);
            }
            ids[i] = (int) tokenIds[i];
        }
        return ids;
    }
}
