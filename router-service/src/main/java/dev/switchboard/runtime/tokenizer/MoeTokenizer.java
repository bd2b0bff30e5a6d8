package dev.switchboard.runtime.tokenizer;

import dev.switchboard.runtime.checkpoint.MixtralConfig;
import dev.switchboard.runtime.checkpoint.ModelFamily;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The model's Hugging Face tokenizer ({@code tokenizer.json}) through DJL's native binding, offline.
 *
 * <p>{@link #encode} never adds special tokens; {@link #encodePrompt} is the one place BOS (the checkpoint's
 * {@code MixtralConfig.bosTokenId()}) is put before a plain-text prompt. Special-token strings written in the text (such as {@code <s>})
 * are still recognised as those tokens, as in Hugging Face tokenizers. {@link #decode} skips special
 * tokens. Thread-safety: the native tokenizer may be used from several threads; a {@link TextStream} may not.
 */
public final class MoeTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final String[] pieces;
    private final Optional<String> chatTemplate;
    private final Optional<Boolean> addBosToken;

    private MoeTokenizer(HuggingFaceTokenizer tokenizer, String[] pieces, Optional<String> chatTemplate,
            Optional<Boolean> addBosToken) {
        this.tokenizer = tokenizer;
        this.pieces = pieces;
        this.chatTemplate = chatTemplate;
        this.addBosToken = addBosToken;
    }

    /**
     * Loads {@code tokenizer.json} (and the chat template of {@code tokenizer_config.json}, if any) from a
     * model directory.
     *
     * @throws IllegalArgumentException when the directory has no readable tokenizer.json
     */
    public static MoeTokenizer load(Path modelDir) {
        Path tokenizerJson = modelDir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException(tokenizerJson + ": expected the model's tokenizer.json, found no such file");
        }
        String[] pieces = TokenizerFiles.pieces(tokenizerJson);
        Optional<String> chatTemplate = TokenizerFiles.chatTemplate(modelDir.resolve("tokenizer_config.json"));
        Optional<Boolean> addBosToken = TokenizerFiles.addBosToken(modelDir.resolve("tokenizer_config.json"));
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
            return new MoeTokenizer(tokenizer, pieces, chatTemplate, addBosToken);
        } catch (IOException e) {
            throw new UncheckedIOException(tokenizerJson + ": cannot load tokenizer", e);
        }
    }

    /** Token ids of {@code text}, without BOS/EOS. */
    public int[] encode(String text) {
        return Arrays.stream(tokenizer.encode(text, false, false).getIds()).mapToInt(Math::toIntExact).toArray();
    }

    /**
     * A plain-text prompt as the model reads it: {@code bosTokenId}, then the tokens of {@code text} (Mistral's
     * tokenizers add BOS to a prompt; text rendered by a chat template carries its own and goes through
     * {@link #encode}).
     */
    public int[] encodePrompt(String text, int bosTokenId) {
        requireId(bosTokenId);
        int[] ids = encode(text);
        int[] withBos = new int[ids.length + 1];
        withBos[0] = bosTokenId;
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }

    /**
     * A plain-text prompt as the model's Hugging Face tokenizer encodes it: with {@code config}'s BOS when
     * {@code tokenizer_config.json} sets {@code add_bos_token}, or, when it does not say, for Mixtral (Mistral's
     * tokenizers add BOS) but not for Qwen and OLMoE (theirs add none).
     */
    public int[] encodePrompt(String text, MixtralConfig config) {
        OptionalInt bos = promptBos(config);
        return bos.isPresent() ? encodePrompt(text, bos.getAsInt()) : encode(text);
    }

    /** The BOS {@link #encodePrompt(String, MixtralConfig)} puts before a plain-text prompt; empty when it adds none. */
    public OptionalInt promptBos(MixtralConfig config) {
        boolean bos = addBosToken.orElse(config.family() == ModelFamily.MIXTRAL);
        return bos ? OptionalInt.of(config.bosTokenId()) : OptionalInt.empty();
    }

    /** The text of {@code ids}, special tokens skipped; invalid UTF-8 byte runs become U+FFFD. */
    public String decode(int[] ids) {
        for (int id : ids) {
            requireId(id);
        }
        return tokenizer.decode(Arrays.stream(ids).asLongStream().toArray(), true);
    }

    /** The raw vocabulary piece for traces, e.g. {@code ▁the}, {@code <0xF0>} or {@code <s>}. */
    public String tokenText(int id) {
        requireId(id);
        return pieces[id] == null ? "" : pieces[id];
    }

    /** One past the largest token id the tokenizer knows. */
    public int vocabSize() {
        return pieces.length;
    }

    /** The Jinja {@code chat_template} of {@code tokenizer_config.json}, if the model ships one. */
    public Optional<String> chatTemplate() {
        return chatTemplate;
    }

    /** A fresh incremental detokenizer for one generated sequence. */
    public TextStream textStream() {
        return new TextStream(this);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private void requireId(int id) {
        if (id < 0 || id >= pieces.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + pieces.length + ")");
        }
    }
}
