package dev.switchboard.app.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.app.errors.ApiException;
import dev.switchboard.app.generation.openai.ChatCompletionRequest;
import dev.switchboard.app.generation.openai.CompletionRequest;
import dev.switchboard.app.generation.openai.GenerationParameters;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binding request bodies to the OpenAI records: what is accepted and what each refusal says. Every refusal is a
 * 400 {@code invalid_request_error} whose {@code param} is the JSON path of the value and whose message names it.
 */
class RequestBindingTest {

    private static final String HELLO = "\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    private final RequestBinder binder = new RequestBinder(JsonMapper.builder().build());

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "integer as string      | \"max_tokens\":\"5\"                  | max_tokens       | 'max_tokens' must be an integer, found the string \"5\"",
        "fraction               | \"max_tokens\":1.5                    | max_tokens       | 'max_tokens' must be an integer, found 1.5",
        "over int range         | \"max_tokens\":2147483648             | max_tokens       | 'max_tokens' must be between 1 and 2147483647, found 2147483648",
        "over long range        | \"seed\":99999999999999999999         | seed             | 'seed' must be an integer, found 99999999999999999999",
        "number as string       | \"temperature\":\"hot\"               | temperature      | 'temperature' must be a number, found the string \"hot\"",
        "top_p zero             | \"top_p\":0                           | top_p            | 'top_p' must be greater than 0.0 and at most 1.0, found 0.0",
        "boolean as string      | \"stream\":\"true\"                   | stream           | 'stream' must be a boolean, found the string \"true\"",
        "boolean as number      | \"routing\":1                         | routing          | 'routing' must be a boolean, found 1",
        "model as number        | \"model\":7                           | model            | 'model' must be a string, found 7",
        "stop element           | \"stop\":[\"a\",7]                    | stop[1]          | 'stop[1]' must be a string, found 7",
        "empty stop             | \"stop\":\"\"                         | stop             | 'stop' strings must not be empty",
        "usage without stream   | \"stream_options\":{\"include_usage\":true} | stream_options | 'stream_options' is only allowed when 'stream' is true",
        "include_usage type     | \"stream\":true,\"stream_options\":{\"include_usage\":\"yes\"} | stream_options.include_usage | 'stream_options.include_usage' must be a boolean, found the string \"yes\"",
        "metadata value         | \"metadata\":{\"domain\":5}           | metadata.domain  | 'metadata.domain' must be a string, found 5",
        "n                      | \"n\":2                               | n                | 'n' is not supported by this server: only one choice per request (n = 1)",
        "tools                  | \"tools\":[{\"type\":\"function\"}]   | tools            | 'tools' is not supported by this server: tool calls, logit bias and log probabilities are not implemented",
        "logprobs               | \"logprobs\":1                        | logprobs         | 'logprobs' is not supported by this server: log probabilities are not implemented",
        "response_format        | \"response_format\":{\"type\":\"json_object\"} | response_format | 'response_format' is not supported by this server: only {\"type\": \"text\"}",
    })
    void chatParameterMistakesNameTheirJsonPath(String name, String field, String param, String message) {
        assertRefused("{" + HELLO + "," + field + "}", ChatCompletionRequest.class, param, message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "missing model    | {\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}             | model                 | Missing required parameter: 'model'",
        "missing messages | {\"model\":\"m\"}                                                    | messages              | Missing required parameter: 'messages'",
        "null message     | {\"model\":\"m\",\"messages\":[null]}                                | messages[0]           | 'messages[0]' must be an object with 'role' and 'content'",
        "unknown role     | {\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]} | messages[0].role | 'messages[0].role' must be one of [assistant, developer, system, tool, user], found \"wizard\"",
        "image part       | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"user\",\"content\":[{\"type\":\"image_url\"}]}]} | messages[1].content | 'messages[1].content' parts must be {\"type\": \"text\", \"text\": ...}; this server reads text only",
        "content number   | {\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}    | messages[0].content   | 'messages[0].content' must be a string or a list of text parts",
        "no user content  | {\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}                  | messages[0].content   | 'messages[0].content' must be a string or a list of text parts",
        "messages object  | {\"model\":\"m\",\"messages\":{}}                                     | messages              | 'messages' must be a list, found an object",
    })
    void messageMistakesNameTheirJsonPath(String name, String body, String param, String message) {
        assertRefused(body, ChatCompletionRequest.class, param, message);
    }

    @Test
    void bodiesThatAreNotAJsonObjectNameNoParameter() {
        assertRefused("[1,2]", ChatCompletionRequest.class, null, "The request body must be a JSON object");
        assertRefused("\"hello\"", ChatCompletionRequest.class, null, "The request body must be a JSON object");
        assertRefused("null", ChatCompletionRequest.class, null, "The request body must be a JSON object");
        assertThatThrownBy(() -> binder.bind("{\"model\": ", ChatCompletionRequest.class))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.param()).isNull();
                    assertThat(e.getMessage()).startsWith("The request body is not valid JSON: ");
                });
    }

    @Test
    void absentAndNullMeanTheDefaultsAndUnknownFieldsAreIgnored() {
        GenerationParameters defaults = binder.bind("{" + HELLO + ",\"max_tokens\":null,\"temperature\":null,\"stop\":null,"
                + "\"store\":false,\"service_tier\":\"auto\",\"whatever\":{\"x\":[1]},\"n\":1,\"presence_penalty\":0,"
                + "\"tools\":[],\"tool_choice\":\"none\",\"logprobs\":false,\"response_format\":{\"type\":\"text\"}}",
                ChatCompletionRequest.class).parameters();
        assertThat(defaults.lengthLimit()).isNull();
        assertThat(defaults.temperature()).isEqualTo(1.0);
        assertThat(defaults.topP()).isEqualTo(1.0);
        assertThat(defaults.stop()).isEmpty();
        assertThat(defaults.stream()).isFalse();
        assertThat(defaults.routing()).isFalse();
        assertThat(defaults.includeUsage()).isFalse();
        assertThat(defaults.domain()).isNull();
    }

    @Test
    void theNewerLengthNameWinsAndStopMayBeOneString() {
        GenerationParameters parameters = binder.bind("{" + HELLO + ",\"max_tokens\":7,\"max_completion_tokens\":3,"
                + "\"stop\":\"\\n\",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"user\":\"u\","
                + "\"metadata\":{\"domain\":\"code\"}}", ChatCompletionRequest.class).parameters();
        assertThat(parameters.lengthLimit()).isEqualTo(3);
        assertThat(parameters.stop()).containsExactly("\n");
        assertThat(parameters.includeUsage()).isTrue();
        assertThat(parameters.domain()).as("metadata.domain wins over user").isEqualTo("code");
    }

    @Test
    void textPartsAreJoinedAndAnAssistantMayHaveNoContent() {
        ChatCompletionRequest request = binder.bind("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":"
                + "[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},{\"role\":\"assistant\",\"content\":null}]}",
                ChatCompletionRequest.class);
        assertThat(request.messages()).extracting(message -> message.text()).containsExactly("ab", "");
    }

    @Test
    void aPromptIsTextOrTokenIdsAloneOrInABatchOfOne() {
        assertThat(prompt("\"x\"").text()).isEqualTo("x");
        assertThat(prompt("[\"x\"]").text()).isEqualTo("x");
        assertThat(prompt("[1,50]").tokenIds()).containsExactly(1, 50);
        assertThat(prompt("[[1,50]]").tokenIds()).containsExactly(1, 50);
        for (String wrong : List.of("[\"a\",\"b\"]", "[]", "5", "{}")) {
            assertThatThrownBy(() -> prompt(wrong)).isInstanceOfSatisfying(ApiException.class,
                    e -> assertThat(e.param()).isEqualTo("prompt"));
        }
        assertRefused("{\"model\":\"m\",\"prompt\":[1,-2]}", CompletionRequest.class, "prompt",
                "'prompt' token ids must be integers in [0, vocabulary size); found -2 at index 1");
        assertRefused("{\"model\":\"m\",\"prompt\":\"x\",\"echo\":true}", CompletionRequest.class, "echo",
                "'echo' is not supported by this server: the prompt is not echoed");
    }

    @Test
    void aRouteTraceNeedsInputOrMessages() {
        assertRefused("{}", RouteRequest.class, "input", "'input' is required: send 'input' (text) or 'messages' (a chat)");
        assertRefused("{\"messages\":[]}", RouteRequest.class, "messages", "'messages' must be a non-empty list of messages");
        assertThat(binder.bind("{\"input\":\"x\"}", RouteRequest.class).input()).isEqualTo("x");
    }

    private dev.switchboard.app.generation.openai.CompletionPrompt prompt(String json) {
        return binder.bind("{\"model\":\"m\",\"prompt\":" + json + "}", CompletionRequest.class).prompt();
    }

    private void assertRefused(String body, Class<?> type, @Nullable String param, String message) {
        assertThatThrownBy(() -> binder.bind(body, type)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status().value()).isEqualTo(400);
            assertThat(e.type()).isEqualTo("invalid_request_error");
            assertThat(e.param()).isEqualTo(param);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
