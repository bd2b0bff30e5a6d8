package dev.switchboard.app.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chat templates rendered with Jinjava: the fixture's own template, the documented default, raise_exception, message
 * contents kept as data, and the bounds that hold a hostile template from a model folder.
 */
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

    @Test
    void templateSyntaxInsideAMessageIsPrintedVerbatim() {
        ChatTemplate template = ChatTemplate.fromModelDirectory(Path.of("../router-service/src/test/resources/fixtures/tiny-gqa-top2"));
        String hostile = "{{ 7*7 }} {{ 'abc'.toUpperCase() }} {% include 'application.yml' %} "
                + "{% for i in range(1000) %}{% for j in range(1000) %}x{% endfor %}{% endfor %} {# c #}";
        assertThat(template.render(List.of(new ChatMessage("user", hostile))))
                .isEqualTo("<s>[INST] " + hostile + " [/INST]");
    }

    @Test
    void aTemplateCannotReadResourcesOrFiles(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "SECRET");
        for (String include : List.of("application.yml", "secret.txt", dir.resolve("secret.txt").toString())) {
            writeTemplate(dir, "[{% include '" + include + "' %}][{% import '" + include + "' as m %}]");
            ChatTemplate template = ChatTemplate.fromModelDirectory(dir);
            String rendered;
            try {
                rendered = template.render(List.of(new ChatMessage("user", "x")));
            } catch (ChatTemplate.TemplateRejectedException refused) {
                rendered = refused.getMessage();
            }
            assertThat(rendered).doesNotContain("SECRET").doesNotContain("switchboard").doesNotContain("spring");
        }
    }

    @Test
    void aTemplateCannotCallArbitraryJavaMethods(@TempDir Path dir) throws Exception {
        writeTemplate(dir, "{{ 'x'.repeat(1000000000) }}");
        ChatTemplate template = ChatTemplate.fromModelDirectory(dir);
        assertThatThrownBy(() -> template.render(List.of(new ChatMessage("user", "x"))))
                .isInstanceOf(ChatTemplate.TemplateRejectedException.class).hasMessageContaining("repeat");
    }

    @Test
    void theStringHelpersChatTemplatesUseStillWork(@TempDir Path dir) throws Exception {
        writeTemplate(dir, "{% for m in messages %}{{ m['content'].strip() }}|{{ m['content'] | trim | upper }}{% endfor %}");
        ChatTemplate template = ChatTemplate.fromModelDirectory(dir);
        assertThat(template.render(List.of(new ChatMessage("user", "  hi  ")))).isEqualTo("hi|HI");
    }

    @Test
    @Timeout(30) // without the render time limit this runs for hours
    void aTemplateThatLoopsWithoutEndIsStopped(@TempDir Path dir) throws Exception {
        // 10^12 iterations without output: only the render time limit ends it (the output cap never triggers).
        writeTemplate(dir, "{% for i in range(10000) %}{% for j in range(10000) %}{% for k in range(10000) %}"
                + "{% endfor %}{% endfor %}{% endfor %}done");
        ChatTemplate template = ChatTemplate.fromModelDirectory(dir);
        assertThatThrownBy(() -> template.render(List.of(new ChatMessage("user", "x"))))
                .isInstanceOf(ChatTemplate.TemplateRejectedException.class).hasMessageContaining("ms of CPU time");
    }

    @Test
    @Timeout(30)
    void aTemplateThatPrintsWithoutEndIsStopped(@TempDir Path dir) throws Exception {
        writeTemplate(dir, "{% for i in range(10000) %}{% for j in range(10000) %}{{ messages[0]['content'] }}"
                + "{% endfor %}{% endfor %}");
        ChatTemplate template = ChatTemplate.fromModelDirectory(dir);
        assertThatThrownBy(() -> template.render(List.of(new ChatMessage("user", "0123456789"))))
                .isInstanceOf(ChatTemplate.TemplateRejectedException.class);
    }

    private static void writeTemplate(Path dir, String template) throws Exception {
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"chat_template\":" + JsonMapper.builder().build().writeValueAsString(template) + "}");
    }
}
