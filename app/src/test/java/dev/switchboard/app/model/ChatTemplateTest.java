package dev.switchboard.app.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chat templates rendered with Jinjava: the fixture's own template, the documented default, and raise_exception. */
class ChatTemplateTest {

    private static final List<ChatMessage> CONVERSATION = List.of(
            new ChatMessage("user", "Hi"), new ChatMessage("assistant", "Hello!"), new ChatMessage("user", "Bye"));

    @Test
    void fixtureTemplateFromTokenizerConfig() {
        ChatTemplate template = ChatTemplate.fromModelDirectory(Path.of("../router-service/src/test/resources/fixtures/tiny-gqa-top2"));
        assertThat(template.render(CONVERSATION)).isEqualTo("<s>[INST] Hi [/INST]Hello!</s>[INST] Bye [/INST]");
    }

    @Test
    void defaultTemplateWhenTheModelHasNone(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"bos_token\":{\"content\":\"<B>\"},\"eos_token\":\"<E>\"}");
        ChatTemplate template = ChatTemplate.fromModelDirectory(dir);
        assertThat(template.render(List.of(new ChatMessage("system", "Be brief"), new ChatMessage("user", "Hi"),
                new ChatMessage("assistant", "Yo")))).isEqualTo("<B>[INST] Be brief [/INST][INST] Hi [/INST]Yo<E>");
    }

    @Test
    void raiseExceptionInATemplateRejectsTheConversation(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\":\"{% if messages[0]['role'] != 'user' %}"
                + "{{ raise_exception('Conversation must start with a user turn') }}{% endif %}ok\"}");
        ChatTemplate template = ChatTemplate.fromModelDirectory(dir);
        assertThat(template.render(List.of(new ChatMessage("user", "x")))).isEqualTo("ok");
        assertThatThrownBy(() -> template.render(List.of(new ChatMessage("assistant", "x"))))
                .isInstanceOf(ChatTemplate.TemplateRejectedException.class)
                .hasMessageContaining("Conversation must start with a user turn");
    }
}
